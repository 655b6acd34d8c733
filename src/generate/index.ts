// `storepulse generate`: a realistic, deterministic ecommerce data set in the canonical shape (all ten
// entities), optionally with the faults real feeds contain. Rows are produced in one pass over the days of the
// period and streamed to CSV; NDJSON and Parquet are converted from that CSV by DuckDB.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import v8 from 'node:v8';
import { join, resolve } from 'node:path';
import { ENTITIES, ENTITY_NAMES } from '../contracts/index.js';
import { Errors } from '../errors/catalogue.js';
import { DAY_MS, apportion, dayWeight, parseDay } from './clock.js';
import { convertFiles, type OutputFormat } from './convert.js';
import { CsvSink } from './csv-sink.js';
import { FaultInjector } from './faults.js';
import { inventoryRows } from './inventory.js';
import { openSupportCase, placeOrder, type OrderContext } from './orders.js';
import { Random, WeightedPicker } from './random.js';
import { MARKETS, SALES_CHANNEL_MIX, type Market } from './reference-data.js';
import { browsingSession, purchaseSession, type SessionContext } from './sessions.js';
import { FxTable, customerRows, makeCustomers, makeProducts, productRows, timeInDay, type Customer, type Span } from './world.js';

export interface GenerateOptions {
  out: string;
  seed?: number;
  days?: number;
  /** First day, YYYY-MM-DD. */
  start?: string;
  /** Orders over the whole period (about 2.5 lines each); default 200 a day. */
  orders?: number;
  faults?: boolean;
  format?: OutputFormat;
  /** One file per entity and day: `<out>/<entity>/<YYYY-MM-DD>.<ext>`. */
  byDay?: boolean;
  baseCurrency?: string;
  /** Replace the entity files already in `out`. */
  force?: boolean;
  onProgress?: (message: string) => void;
}

export interface GenerateSummary {
  out: string;
  files: string[];
  /** Rows written per entity, faults included. */
  records: Record<string, number>;
  /** Order lines of real orders (malformed and duplicate copies not counted). */
  orderLines: number;
  /** What --faults added, by kind (all zero without it). */
  faults: Record<string, number>;
  ms: number;
}

/** Extra columns a drifting source adds (kept in bronze, ignored downstream). */
const EXTRA_COLUMNS: Record<string, readonly string[]> = { orders: ['utm_source'], order_items: ['gift_wrap'] };
/** A market whose currency the fx feed does not carry yet: its orders wait for a rate. */
const NORWAY: Market = { country: 'NO', currency: 'NOK', weight: 0, regions: [['Oslo', 'Oslo']], carriers: ['Posten'], warehouse: 'WH-SE-JONKOPING' };

function clearOutput(out: string, force: boolean): void {
  if (!existsSync(out)) return;
  const taken = readdirSync(out).filter((name) => ENTITY_NAMES.some((e) => name === e || name.startsWith(`${e}.`)));
  if (taken.length === 0) return;
  if (!force) throw Errors.outputExists(out);
  for (const name of taken) rmSync(join(out, name), { recursive: true, force: true });
}

export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  // Millions of short-lived rows: a larger young generation halves the time spent collecting garbage.
  v8.setFlagsFromString('--max-semi-space-size=64');
  const started = Date.now();
  const out = resolve(options.out);
  const days = options.days ?? 90;
  const orders = options.orders ?? days * 200;
  const faults = Boolean(options.faults);
  const format = options.format ?? 'csv';
  const byDay = Boolean(options.byDay);
  const progress = options.onProgress ?? (() => undefined);
  if (!Number.isInteger(days) || days < 1) throw Errors.badOption('--days', String(days), 'a whole number ≥ 1');
  if (!Number.isInteger(orders) || orders < 0) throw Errors.badOption('--orders', String(orders), 'a whole number ≥ 0');
  const startText = options.start ?? '2026-01-01';
  const startMs = parseDay(startText);
  clearOutput(out, Boolean(options.force));

  const span: Span = { startMs, endMs: startMs + days * DAY_MS, days };
  const rng = new Random(options.seed ?? 1);
  // Faults draw from their own stream, so how often they happen does not depend on the clean rows before them.
  const faultRng = new Random(((options.seed ?? 1) ^ 0x5eed5eed) >>> 0);
  const headers: Record<string, string[]> = {};
  for (const e of ENTITIES) headers[e.name] = [...Object.keys(e.columns), ...(faults ? EXTRA_COLUMNS[e.name] ?? [] : [])];

  const csvDir = format === 'csv' ? out : join(out, '.csv-staging');
  const sink = new CsvSink({ out: csvDir, byDay, firstDayMs: startMs, lastDayMs: span.endMs - DAY_MS }, headers);
  const injector = faults ? new FaultInjector(faultRng, (e, at, row) => sink.write(e, at, row), headers, span.endMs - DAY_MS, byDay) : undefined;
  const emit = injector ? (e: string, at: number, row: string[]) => injector.emit(e, at, row) : (e: string, at: number, row: string[]) => sink.write(e, at, row);

  // Volume per day: weekly and yearly seasonality, a growth trend and some noise.
  const weights = Array.from({ length: days }, (_, d) => dayWeight(startMs + d * DAY_MS, d / days) * rng.lognormal(0.08));
  const perDay = apportion(orders, weights);
  const dayPicker = new WeightedPicker(weights.map((_, d) => d), weights);

  const customers = makeCustomers(rng, Math.max(20, Math.round(orders * 0.4)), span, dayPicker);
  customerRows(rng, customers, span, (at, row) => emit('customers', at, row));
  const products = makeProducts(rng, Math.min(5000, Math.max(40, Math.round(orders / 25))), span);
  productRows(rng, products, span, (at, row) => emit('products', at, row));
  // Popularity falls off with rank (a long tail); discontinued products still sell, rarely.
  const ranks = products.map((_, i) => i);
  for (let i = ranks.length - 1; i > 0; i--) { const j = rng.int(0, i); [ranks[i], ranks[j]] = [ranks[j], ranks[i]]; }
  const productPicker = new WeightedPicker(products.map((_, i) => i), products.map((p, i) => (p.active ? 1 : 0.1) / Math.pow(ranks[i] + 1, 0.9)));

  const fx = new FxTable(rng, span, options.baseCurrency ?? 'EUR');
  const fxGap = (currency: string, d: number) => faults && currency === 'SEK' && d >= days - 2;
  fx.rows(span, fxGap, (at, row) => emit('fx_rates', at, row));
  progress(`catalogue: ${customers.length.toLocaleString('en-US')} customers, ${products.length.toLocaleString('en-US')} products`);

  const ctx: OrderContext = {
    rng, span, emit, products, productPicker,
    eurPerUnit: (currency, d) => fx.eurPerUnit(currency, d),
    unitsSold: new Float32Array(products.length * days),
    extraColumns: faults,
    faultRng,
    unknownProductRate: faults ? 0.003 : 0,
    seq: { order: 0, shipment: 0, ret: 0, supportCase: 0, unknownProduct: 0 },
    counts: { orderLines: 0, unknownProducts: 0 },
  };
  const sessions: SessionContext = { rng, endMs: span.endMs, emit, products, productPicker, seq: { session: 0, event: 0 } };
  const channels = WeightedPicker.of(SALES_CHANNEL_MIX);
  const markets = new WeightedPicker(MARKETS, MARKETS.map((m) => m.weight));
  const extra = { unknownCustomers: 0, awaitingFx: 0 };
  let signedUp = 0;
  let guest = 0;

  const customerFor = (ts: number): [string, Market] => {
    while (signedUp < customers.length && customers[signedUp].signupMs <= ts) signedUp++;
    if (faults && faultRng.chance(0.002)) { extra.awaitingFx++; return [`CG${String(++guest).padStart(6, '0')}`, NORWAY]; }
    if (signedUp === 0 || (faults && faultRng.chance(0.005))) {
      // A customer the customer feed has not delivered yet: an inferred member downstream.
      extra.unknownCustomers++;
      return [`CG${String(++guest).padStart(6, '0')}`, markets.pick(faultRng)];
    }
    // A third of orders come from recent sign-ups, the rest from a loyal base that buys again.
    const c: Customer = rng.chance(0.33)
      ? customers[signedUp - 1 - Math.floor(rng.next() * Math.max(1, Math.ceil(signedUp * 0.1)))]
      : customers[Math.floor(signedUp * Math.pow(rng.next(), 1.5))];
    return [c.id, c.market];
  };
  const knownCustomer = (ts: number): string => {
    while (signedUp < customers.length && customers[signedUp].signupMs <= ts) signedUp++;
    return signedUp === 0 ? '' : customers[Math.floor(rng.next() * signedUp)].id;
  };

  for (let d = 0; d < days; d++) {
    const dayMs = startMs + d * DAY_MS;
    const times = Array.from({ length: perDay[d] }, () => timeInDay(rng, dayMs)).sort((a, b) => a - b);
    let online = 0;
    for (const ts of times) {
      const [customerId, market] = customerFor(ts);
      const order = placeOrder(ctx, ts, d, customerId, market, channels.pick(rng));
      if (order.channel === 'web' || order.channel === 'mobile') { online++; purchaseSession(sessions, order); }
    }
    // Sessions that do not buy: about three for every online order, a little under half of them signed in.
    const browsing = Math.round(online * 3 * rng.lognormal(0.1));
    const starts = Array.from({ length: browsing }, () => timeInDay(rng, dayMs)).sort((a, b) => a - b);
    for (const s of starts) browsingSession(sessions, s, rng.chance(0.45) ? knownCustomer(s) : '');
    // Questions that are not about an order.
    for (let k = Math.round(perDay[d] * 0.01); k > 0; k--) {
      const at = timeInDay(rng, dayMs);
      openSupportCase(ctx, knownCustomer(at), '', at, undefined, false, false);
    }
    if (days >= 10 && (d + 1) % Math.ceil(days / 10) === 0) progress(`orders: day ${d + 1}/${days}, ${ctx.seq.order.toLocaleString('en-US')} orders`);
  }
  inventoryRows(rng, products, ctx.unitsSold, span, (at, row) => emit('inventory', at, row));

  let files = sink.close();
  if (format !== 'csv') {
    progress(`converting ${files.length} files to ${format}`);
    files = await convertFiles(files, csvDir, out, format);
    rmSync(csvDir, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  const faultCounts: Record<string, number> = {
    duplicates: 0, later_versions: 0, late_arrivals: 0, malformed: 0, ...injector?.counts,
    unknown_products: ctx.counts.unknownProducts,
    unknown_customers: extra.unknownCustomers,
    orders_awaiting_fx: extra.awaitingFx,
    missing_fx_rates: faults ? Math.min(2, days) : 0,
    extra_columns: faults ? Object.values(EXTRA_COLUMNS).flat().length : 0,
  };
  return { out, files, records: { ...sink.rows }, orderLines: ctx.counts.orderLines, faults: faultCounts, ms: Date.now() - started };
}
