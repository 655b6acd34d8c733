// Weekly stock snapshots (and one on the last day) per product and warehouse. Stock follows what actually
// sold: each product keeps a typical number of days of cover, and about one in ten runs thin (under a week),
// so "inventory at risk" has something to find.
import { DAY_MS, HOUR_MS, isoTs } from './clock.js';
import type { Random } from './random.js';
import { WAREHOUSES, WAREHOUSE_SHARE } from './reference-data.js';
import type { Product, Span } from './world.js';

/** Weekly snapshots over the last quarter at most (older stock levels matter to no KPI), and the last day. */
export function snapshotDays(span: Span): number[] {
  const days: number[] = [];
  for (let d = Math.max(0, span.days - 1 - 13 * 7); d < span.days; d += 7) days.push(d);
  if (days[days.length - 1] !== span.days - 1) days.push(span.days - 1);
  return days;
}

export function inventoryRows(
  rng: Random, products: readonly Product[], unitsSold: Float32Array, span: Span,
  emit: (atMs: number, row: string[]) => void,
): void {
  const days = snapshotDays(span);
  products.forEach((p, i) => {
    const thin = rng.chance(0.1);
    const cover = thin ? 1 + rng.next() * 5 : 10 + rng.lognormal(0.5) * 30;
    // Prefix sums of daily units, so each snapshot's 28-day average is O(1).
    const prefix = new Float64Array(span.days + 1);
    for (let d = 0; d < span.days; d++) prefix[d + 1] = prefix[d] + unitsSold[i * span.days + d];
    for (const d of days) {
      const from = Math.max(0, d - 27);
      const daily = (prefix[d + 1] - prefix[from]) / 28 || 0.2;
      const snapshotMs = span.startMs + d * DAY_MS + 23 * HOUR_MS;
      WAREHOUSES.forEach((warehouse, w) => {
        const onHand = Math.ceil(daily * cover * WAREHOUSE_SHARE[w] * (0.8 + rng.next() * 0.4));
        const onOrder = cover < 14 ? Math.round(daily * 21 * WAREHOUSE_SHARE[w]) : 0;
        emit(snapshotMs, [p.id, warehouse, isoTs(snapshotMs), String(onHand), String(onOrder)]);
      });
    }
  });
}
