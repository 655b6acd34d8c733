// One order and everything that follows from it: its lines, its shipments (late, lost, split), a return,
// a support case with its CSAT score. Timestamps after the end of the period are not written: at export
// time those things have not happened yet, so recent orders are still paid or in transit.
import { DAY_MS, HOUR_MS, MINUTE_MS, isoTs } from './clock.js';
import type { Random } from './random.js';
import { WeightedPicker } from './random.js';
import { DISCOUNT_CODES, PROMISE_DAYS, RETURN_REASONS, SUPPORT_CHANNEL_MIX, UTM_SOURCES, type Market } from './reference-data.js';
import { money, priceAt, type Product, type Span } from './world.js';

export interface OrderContext {
  rng: Random;
  span: Span;
  emit: (entity: string, atMs: number, row: string[]) => void;
  products: readonly Product[];
  productPicker: WeightedPicker<number>;
  /** EUR per unit of a currency on a day; undefined for a currency the fx feed does not carry. */
  eurPerUnit: (currency: string, dayIndex: number) => number | undefined;
  /** Units sold per product per day (product-major), for the inventory snapshots. */
  unitsSold: Float32Array;
  /** Extra, unknown columns appended to orders and order lines (schema drift). */
  extraColumns: boolean;
  /** The stream faults draw from, so clean records do not change with --faults. */
  faultRng: Random;
  /** Share of lines that name a product the catalogue does not have yet. */
  unknownProductRate: number;
  seq: { order: number; shipment: number; ret: number; supportCase: number; unknownProduct: number };
  counts: { orderLines: number; unknownProducts: number };
}

export interface PlacedOrder {
  id: string;
  ts: number;
  customerId: string;
  channel: string;
  /** Catalogue indexes of the products in the order's lines. */
  lineProducts: number[];
}

const LINE_COUNTS = new WeightedPicker([1, 2, 3, 4, 5, 6], [30, 25, 20, 12, 8, 5]);
const QUANTITIES = new WeightedPicker([1, 2, 3, 4, 5], [76, 17, 4, 2, 1]);
const CSAT_HAPPY = new WeightedPicker([5, 4, 3, 2, 1], [55, 28, 9, 4, 4]);
const CSAT_UNHAPPY = new WeightedPicker([5, 4, 3, 2, 1], [10, 20, 25, 20, 25]);
const SUPPORT = WeightedPicker.of(SUPPORT_CHANNEL_MIX);

const sec = (ms: number) => Math.floor(ms / 1000) * 1000;

interface Line { product: number | undefined; productId: string; qty: number; price: number; discount: number; returnRate: number }

function orderLines(ctx: OrderContext, ts: number, rateEur: number, discountPct: number): Line[] {
  const { rng } = ctx;
  const n = LINE_COUNTS.pick(rng);
  const lines: Line[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    let p = ctx.productPicker.pick(rng);
    for (let tries = 0; seen.has(p) && tries < 5; tries++) p = ctx.productPicker.pick(rng);
    if (seen.has(p)) continue;
    seen.add(p);
    const product = ctx.products[p];
    const qty = QUANTITIES.pick(rng);
    const price = Math.round((priceAt(product, ts) / rateEur) * 100) / 100;
    const discount = discountPct > 0 ? Math.round(qty * price * discountPct * 100) / 100 : 0;
    if (ctx.unknownProductRate > 0 && ctx.faultRng.chance(ctx.unknownProductRate)) {
      // A product launched in the shop before the catalogue feed knows it: an inferred member downstream.
      ctx.counts.unknownProducts++;
      lines.push({ product: undefined, productId: `PNEW${String(++ctx.seq.unknownProduct).padStart(4, '0')}`, qty, price, discount, returnRate: 0.05 });
      continue;
    }
    lines.push({ product: p, productId: product.id, qty, price, discount, returnRate: product.category.returnRate });
  }
  return lines;
}

/** Writes one order with its lines and aftermath; returns what the clickstream needs to know about it. */
export function placeOrder(
  ctx: OrderContext, ts: number, dayIndex: number, customerId: string, market: Market, channel: string,
): PlacedOrder {
  const { rng, span, emit } = ctx;
  const id = `O${String(++ctx.seq.order).padStart(8, '0')}`;
  const currency = market.currency;
  // An order in a currency without rates (a market launched before the fx feed covers it) waits downstream.
  const knownRate = ctx.eurPerUnit(currency, dayIndex);
  const rateEur = knownRate ?? 0.086;
  const code = rng.chance(0.15) ? rng.pick(DISCOUNT_CODES) : '';
  const discountPct = code === 'FREESHIP' || code === '' ? 0 : Number(code.replace(/\D/g, '')) / 100;
  const lines = orderLines(ctx, ts, rateEur, discountPct);

  let grossEur = 0;
  let net = 0;
  for (const l of lines) { grossEur += l.qty * l.price * rateEur; net += l.qty * l.price - l.discount; }
  const shipping = channel === 'store' || grossEur >= 50 || code === 'FREESHIP' ? 0 : 4.95 / rateEur;
  const tax = net - net / 1.2;
  const promiseDays = PROMISE_DAYS[channel];
  const promised = promiseDays === undefined ? undefined : ts + promiseDays * DAY_MS;

  // What happened after the order, as far as the export time.
  let status = 'paid';
  let updated = ts + rng.int(0, 20) * MINUTE_MS;
  let deliveredMs: number | undefined;
  let shippedMs: number | undefined;
  let late = false;
  let lost = false;
  if (channel !== 'store' && rng.chance(0.03)) {
    status = 'cancelled';
    updated = ts + rng.int(1, 12) * HOUR_MS;
  } else if (channel === 'store') {
    status = 'delivered';
    deliveredMs = ts;
    updated = ts;
  } else if (knownRate !== undefined && ts + HOUR_MS < span.endMs) {
    const shipment = shipOrder(ctx, id, ts, market, lines.length > 1);
    shippedMs = shipment.shippedMs;
    deliveredMs = shipment.deliveredMs;
    late = deliveredMs !== undefined && promised !== undefined && deliveredMs > promised;
    lost = shipment.lost;
    if (deliveredMs !== undefined) { status = 'delivered'; updated = deliveredMs; }
    else if (shippedMs !== undefined) { status = 'shipped'; updated = shippedMs; }
  }

  if (deliveredMs !== undefined && status !== 'cancelled') {
    const chance = Math.max(...lines.map((l) => l.returnRate)) + (late ? 0.05 : 0);
    if (rng.chance(chance)) {
      const returnedAt = returnOrder(ctx, id, deliveredMs, lines, late);
      if (returnedAt !== undefined) { status = 'returned'; updated = returnedAt; }
    }
  }
  if (status !== 'cancelled') openSupportCase(ctx, customerId, id, shippedMs ?? ts, deliveredMs, late, lost);

  updated = Math.min(sec(updated), span.endMs - 1000);
  const row = [
    id, customerId, isoTs(ts), channel, market.country, currency, status,
    code, money(shipping), money(tax), promised === undefined ? '' : isoTs(promised), isoTs(updated),
  ];
  if (ctx.extraColumns) row.push(ctx.faultRng.pick(UTM_SOURCES));
  emit('orders', ts, row);

  lines.forEach((l, i) => {
    const item = [id, String(i + 1), l.productId, String(l.qty), money(l.price), money(l.discount), isoTs(ts)];
    if (ctx.extraColumns) item.push(ctx.faultRng.chance(0.05) ? 'true' : '');
    emit('order_items', ts, item);
    ctx.counts.orderLines++;
    if (status !== 'cancelled' && l.product !== undefined) ctx.unitsSold[l.product * span.days + dayIndex] += l.qty;
  });
  return { id, ts, customerId, channel, lineProducts: lines.flatMap((l) => (l.product === undefined ? [] : [l.product])) };
}

interface ShipOutcome { shippedMs?: number; deliveredMs?: number; lost: boolean }

function shipOrder(ctx: OrderContext, orderId: string, ts: number, market: Market, split: boolean): ShipOutcome {
  const { rng, span, emit } = ctx;
  const carrier = rng.pick(market.carriers);
  const parcels = split && rng.chance(0.05) ? 2 : 1;
  let outcome: ShipOutcome = { lost: false };
  for (let k = 0; k < parcels; k++) {
    const id = `S${String(++ctx.seq.shipment).padStart(8, '0')}`;
    const shipped = sec(ts + rng.int(2, 24) * HOUR_MS + k * DAY_MS);
    const lateBy = rng.chance(0.1) ? rng.int(2, 6) * DAY_MS : 0;
    const delivered = sec(shipped + rng.int(1, 2) * DAY_MS + rng.int(0, 8) * HOUR_MS + lateBy);
    const lost = rng.chance(0.01);
    let row: string[];
    let at: number;
    if (shipped >= span.endMs) {
      at = sec(ts + HOUR_MS);
      row = [id, orderId, carrier, '', '', 'pending', isoTs(at)];
    } else if (lost) {
      at = Math.min(shipped + 10 * DAY_MS, span.endMs - 1000);
      row = [id, orderId, carrier, isoTs(shipped), '', at - shipped >= 10 * DAY_MS ? 'lost' : 'in_transit', isoTs(at)];
      outcome = { shippedMs: shipped, lost: row[5] === 'lost' };
    } else if (delivered >= span.endMs) {
      at = shipped;
      row = [id, orderId, carrier, isoTs(shipped), '', 'in_transit', isoTs(at)];
      outcome = { shippedMs: shipped, lost: false };
    } else {
      at = delivered;
      row = [id, orderId, carrier, isoTs(shipped), isoTs(delivered), 'delivered', isoTs(at)];
      // The order counts as delivered when its last parcel arrives.
      if (k === 0 || outcome.deliveredMs !== undefined) outcome = { shippedMs: outcome.shippedMs ?? shipped, deliveredMs: delivered, lost: false };
    }
    emit('shipments', at, row);
  }
  return outcome;
}

function returnOrder(ctx: OrderContext, orderId: string, deliveredMs: number, lines: readonly Line[], late: boolean): number | undefined {
  const { rng, span, emit } = ctx;
  const requested = sec(deliveredMs + rng.int(1, 14) * DAY_MS + rng.int(0, 23) * HOUR_MS);
  if (requested >= span.endMs) return undefined;
  const returned = rng.chance(0.2) ? lines : [rng.pick(lines)];
  for (const l of returned) {
    const qty = l.qty > 1 && rng.chance(0.3) ? rng.int(1, l.qty - 1) : l.qty;
    const refund = (qty / l.qty) * (l.qty * l.price - l.discount);
    const reason = late && rng.chance(0.5) ? 'arrived late' : rng.pick(RETURN_REASONS);
    const id = `R${String(++ctx.seq.ret).padStart(7, '0')}`;
    emit('returns', requested, [id, orderId, l.productId, String(qty), money(refund), reason, isoTs(requested), isoTs(requested)]);
  }
  return requested;
}

/** A support case about an order (likelier when it was late or lost), or about nothing in particular. */
export function openSupportCase(
  ctx: OrderContext, customerId: string, orderId: string, fromMs: number, deliveredMs: number | undefined, late: boolean, lost: boolean,
): void {
  const { rng, span, emit } = ctx;
  const chance = orderId === '' ? 1 : 0.03 + (late ? 0.12 : 0) + (lost ? 0.5 : 0);
  if (!rng.chance(chance)) return;
  const opened = sec((deliveredMs ?? fromMs) + rng.int(1, 72) * HOUR_MS);
  if (opened >= span.endMs) return;
  const resolvedAt = sec(opened + rng.int(1, 72) * HOUR_MS);
  const resolved = resolvedAt < span.endMs ? resolvedAt : undefined;
  const score = resolved !== undefined && rng.chance(0.6) ? String((late || lost ? CSAT_UNHAPPY : CSAT_HAPPY).pick(rng)) : '';
  const id = `K${String(++ctx.seq.supportCase).padStart(7, '0')}`;
  const at = resolved ?? opened;
  emit('support_cases', at, [id, customerId, orderId, SUPPORT.pick(rng), isoTs(opened), resolved === undefined ? '' : isoTs(resolved), score, isoTs(at)]);
}
