// What real feeds contain, added on request (--faults): exact duplicates (some re-delivered a day later),
// earlier versions of a record arriving after the latest one, orders arriving a day after their items,
// and malformed copies of real records (bad dates, negative quantities, unknown enums, missing fields).
// A malformed copy carries the same key as a good record, so the good one survives validation and the
// KPIs are unchanged; the copy must end up in rejects with its rule.
import { DAY_MS, HOUR_MS, isoTs } from './clock.js';
import type { Random } from './random.js';

export type Row = string[];
type Corruption = (row: Row, col: (name: string) => number) => Row | undefined;

function set(row: Row, index: number, value: string): Row {
  const copy = row.slice();
  copy[index] = value;
  return copy;
}

/** Ways to break a record of each entity; each yields a row that must fail its contract. */
const CORRUPTIONS: Record<string, readonly Corruption[]> = {
  customers: [
    (r, c) => set(r, c('email'), 'not-an-email'),
    (r, c) => set(r, c('country'), ''),
    (r, c) => set(r, c('signup_at'), 'last tuesday'),
  ],
  products: [
    (r, c) => set(r, c('unit_price'), '-4.00'),
    (r, c) => set(r, c('category'), ''),
    (r, c) => set(r, c('sustainability_score'), '140'),
  ],
  orders: [
    (r, c) => set(r, c('order_ts'), '2026-02-30T25:61:00'),
    (r, c) => set(r, c('channel'), 'fax'),
    (r, c) => set(r, c('status'), 'lost_in_space'),
    (r, c) => set(r, c('customer_id'), ''),
    (r, c) => set(r, c('shipping_amount'), '-5.00'),
  ],
  order_items: [
    (r, c) => set(r, c('quantity'), '-1'),
    (r, c) => set(r, c('quantity'), '1.5'),
    (r, c) => set(r, c('product_id'), ''),
    (r, c) => set(r, c('discount_amount'), (Number(r[c('quantity')]) * Number(r[c('unit_price')]) + 5).toFixed(2)),
  ],
  events: [
    (r, c) => set(r, c('event_type'), 'scroll'),
    (r, c) => set(r, c('event_ts'), 'not a date'),
    (r, c) => set(r, c('device'), 'toaster'),
  ],
  shipments: [
    (r, c) => set(r, c('status'), 'teleported'),
    (r, c) => set(r, c('carrier'), ''),
    (r, c) => (r[c('shipped_ts')] ? set(r, c('delivered_ts'), isoTs(Date.parse(r[c('shipped_ts')]) - DAY_MS)) : undefined),
  ],
  returns: [
    (r, c) => set(r, c('refund_amount'), '-10.00'),
    (r, c) => set(r, c('requested_ts'), '31/02/2026'),
  ],
  support_cases: [
    (r, c) => set(r, c('csat_score'), '7'),
    (r, c) => set(r, c('channel'), 'carrier pigeon'),
    (r, c) => set(r, c('opened_ts'), ''),
  ],
  inventory: [
    (r, c) => set(r, c('on_hand'), '-3'),
    (r, c) => set(r, c('snapshot_ts'), '2026-99-01T00:00:00Z'),
  ],
  fx_rates: [
    (r, c) => set(r, c('rate_to_base'), '0'),
    (r, c) => set(r, c('rate_date'), 'soon'),
  ],
};

/** How an earlier version differs from the latest one (it also gets an earlier updated_at). */
const EARLIER_VERSION: Record<string, (row: Row, col: (name: string) => number) => Row> = {
  orders: (r, c) => set(r, c('status'), 'placed'),
  order_items: (r, c) => set(r, c('quantity'), String(Number(r[c('quantity')]) + 1)),
  customers: (r, c) => set(r, c('city'), 'Previous Town'),
  products: (r, c) => set(r, c('unit_price'), (Number(r[c('unit_price')]) * 1.1).toFixed(2)),
  shipments: (r, c) => set(r, c('status'), 'pending'),
};

const RATES = { duplicate: 0.01, malformed: 0.006, earlierVersion: 0.03, lateOrder: 0.03 };

export type Emit = (entity: string, atMs: number, row: Row) => void;

export class FaultInjector {
  readonly counts: Record<string, number> = {
    duplicates: 0, later_versions: 0, late_arrivals: 0, malformed: 0,
  };
  private readonly columnIndex: Record<string, Map<string, number>> = {};

  constructor(
    private readonly rng: Random,
    private readonly write: Emit,
    headers: Record<string, readonly string[]>,
    private readonly lastDayMs: number,
    private readonly byDay: boolean,
  ) {
    for (const [entity, cols] of Object.entries(headers)) this.columnIndex[entity] = new Map(cols.map((c, i) => [c, i]));
  }

  /** Writes the record, and with some chance what a real feed would add around it. */
  emit(entity: string, atMs: number, row: Row): void {
    const columns = this.columnIndex[entity];
    const col = (name: string) => columns.get(name)!;
    let at = atMs;
    if (entity === 'orders' && this.byDay && atMs + DAY_MS <= this.lastDayMs && this.rng.chance(RATES.lateOrder)) {
      at = atMs + DAY_MS; // the order lands the day after its items
      this.counts.late_arrivals++;
    }
    this.write(entity, at, row);

    const earlier = EARLIER_VERSION[entity];
    const updated = columns.get('updated_at');
    if (earlier && updated !== undefined && row[updated] && this.rng.chance(RATES.earlierVersion)) {
      const old = earlier(row, col);
      old[updated] = isoTs(Date.parse(row[updated]) - HOUR_MS);
      this.write(entity, at, old); // arrives after the newer version
      this.counts.later_versions++;
    }
    if (this.rng.chance(RATES.duplicate)) {
      const redelivered = this.byDay && this.rng.chance(0.5) ? Math.min(at + DAY_MS, this.lastDayMs) : at;
      this.write(entity, redelivered, row);
      this.counts.duplicates++;
    }
    if (this.rng.chance(RATES.malformed)) {
      const broken = this.rng.pick(CORRUPTIONS[entity])(row, col);
      if (broken) {
        this.write(entity, at, broken);
        this.counts.malformed++;
      }
    }
  }
}
