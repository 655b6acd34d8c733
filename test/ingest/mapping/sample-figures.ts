// The KPIs of the two shipped sample data sets, computed here straight from their foreign files, in plain
// JavaScript, with the platforms' rules written again from their documentation and the KPI catalogue: nothing
// of the mappings or of src/ is used. DuckDB only reads the CSV files (every field as text).
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { KpiValues } from '../../kpi/independent-kpis.js';

type Row = Record<string, string | null>;

export async function readCsv(path: string): Promise<Row[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const r = await c.runAndReadAll(`SELECT * FROM read_csv('${path.replace(/'/g, "''")}', header = true, all_varchar = true)`);
    return r.getRowObjectsJS() as Row[];
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

export interface Window { from: string; to: string }

const cents = (text: string) => Math.round(Number(text) * 100);
const ratio = (n: number, d: number) => (d > 0 ? n / d : null);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

/** What the KPIs need of one counted order, in one place for both data sets. */
interface Order {
  id: string;
  customer: string;
  /** UTC day. */
  date: string;
  lines: { product: string; quantity: number; priceCents: number; discountCents: number }[];
  shipped: boolean;
  /** Delivered on or before the promise; undefined when not delivered or nothing was promised. */
  onTime?: boolean;
}

function kpis(orders: Order[], w: Window, cases: { date: string; score: number }[], activeProducts: (p: string) => boolean): KpiValues {
  const inWindow = orders.filter((o) => o.date >= w.from && o.date < w.to);
  let units = 0, gross = 0, discounts = 0;
  for (const o of inWindow) for (const l of o.lines) { units += l.quantity; gross += l.quantity * l.priceCents; discounts += l.discountCents; }
  const judged = inWindow.filter((o) => o.onTime !== undefined);
  const scored = cases.filter((c) => c.date >= w.from && c.date < w.to);
  // No stock figures in either data set: a product that sold in the 28 days before `to` has no cover at all.
  const horizon = day(Date.parse(`${w.to}T00:00:00Z`) - 28 * DAY);
  const sold = new Set(orders.filter((o) => o.date >= horizon && o.date < w.to).flatMap((o) => o.lines.map((l) => l.product)).filter(activeProducts));
  return {
    orders: inWindow.length,
    units,
    gross_revenue: gross / 100,
    discounts: discounts / 100,
    refunds: 0,
    net_revenue: (gross - discounts) / 100,
    aov: inWindow.length ? Math.round((gross - discounts) / inWindow.length) / 100 : null,
    unique_customers: new Set(inWindow.map((o) => o.customer)).size,
    conversion_rate: null,
    fulfilment_sla: ratio(judged.filter((o) => o.onTime).length, judged.length),
    return_rate: ratio(0, inWindow.filter((o) => o.shipped).length),
    csat: ratio(scored.filter((c) => c.score >= 4).length, scored.length),
    inventory_at_risk: sold.size,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The shop platform: one row per line item, the order's fields on its first row, times with their offset.
// ---------------------------------------------------------------------------------------------------------

/** Financial statuses of an order that is counted (everything but voided; an unknown word is refused). */
const COUNTED_FINANCIAL = new Set(['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded']);

/** "2026-01-10 00:30:00 +0100" → epoch ms. */
function shopTime(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a shop time: ${text}`);
  return Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
}

export async function shopFigures(dir: string, w: Window): Promise<{ kpis: KpiValues; ordersByDate: Map<string, number> }> {
  const rows = await readCsv(join(dir, 'orders_export_1.csv'));
  const products = await readCsv(join(dir, 'products_export.csv'));
  const status = new Map<string, string>();
  for (const p of products) if (p.Status) status.set(p.Handle!, p.Status);
  const inactive = new Set(products.filter((p) => p['Variant SKU'] && status.get(p.Handle!) !== 'active').map((p) => p['Variant SKU']!));
  const byName = new Map<string, Row[]>();
  for (const r of rows) byName.set(r.Name!, [...(byName.get(r.Name!) ?? []), r]);
  const orders: Order[] = [];
  for (const [name, group] of byName) {
    const head = group.find((r) => r['Financial Status'])!;
    if (!COUNTED_FINANCIAL.has(head['Financial Status']!)) continue;
    orders.push({
      id: name,
      customer: head.Email!.toLowerCase(),
      date: day(shopTime(head['Created at']!)),
      // A line of no units is refused on its own; the rest of the order counts.
      lines: group.filter((r) => Number(r['Lineitem quantity']) > 0).map((r) => ({
        product: r['Lineitem sku']!, quantity: Number(r['Lineitem quantity']),
        priceCents: cents(r['Lineitem price']!), discountCents: cents(r['Lineitem discount'] ?? '0'),
      })),
      shipped: Boolean(head['Fulfilled at']),
    });
  }
  const ordersByDate = new Map<string, number>();
  for (const o of orders) if (o.date >= w.from && o.date < w.to) ordersByDate.set(o.date, (ordersByDate.get(o.date) ?? 0) + 1);
  return { kpis: kpis(orders, w, [], (p) => !inactive.has(p)), ordersByDate };
}

// ---------------------------------------------------------------------------------------------------------
// The marketplace: split tables, one item row per unit, São Paulo local times (UTC−3 all of June 2018).
// ---------------------------------------------------------------------------------------------------------

const COUNTED_STATUS = new Set(['created', 'approved', 'invoiced', 'processing', 'shipped', 'delivered']);

/** "2018-06-03 22:40:00" in São Paulo → epoch ms; NaN for a day that does not exist. */
function saoPaulo(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return NaN;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4] + 3, +m[5], +m[6]);
  return new Date(t - 3 * 3_600_000).getUTCDate() === +m[3] ? t : NaN;
}

export async function marketplaceFigures(dir: string, w: Window): Promise<KpiValues> {
  const read = (name: string) => readCsv(join(dir, name));
  const [orders, items, customers, reviews] = await Promise.all([
    read('olist_orders_dataset.csv'), read('olist_order_items_dataset.csv'), read('olist_customers_dataset.csv'), read('olist_order_reviews_dataset.csv'),
  ]);
  const person = new Map(customers.map((c) => [c.customer_id!, c.customer_unique_id!]));
  const counted: Order[] = [];
  for (const o of orders) {
    const t = saoPaulo(o.order_purchase_timestamp!);
    if (!COUNTED_STATUS.has(o.order_status!) || Number.isNaN(t)) continue;
    const delivered = o.order_delivered_carrier_date && o.order_delivered_customer_date ? o.order_delivered_customer_date : undefined;
    counted.push({
      id: o.order_id!,
      customer: person.get(o.customer_id!)!,
      date: day(t),
      lines: items.filter((i) => i.order_id === o.order_id).map((i) => ({ product: i.product_id!, quantity: 1, priceCents: cents(i.price!), discountCents: 0 })),
      shipped: Boolean(o.order_delivered_carrier_date),
      onTime: delivered && o.order_estimated_delivery_date ? saoPaulo(delivered) <= saoPaulo(o.order_estimated_delivery_date) : undefined,
    });
  }
  // A review is a case; a score outside 1..5 is refused.
  const cases = reviews.filter((r) => /^[1-5]$/.test(r.review_score!)).map((r) => ({ date: day(saoPaulo(r.review_creation_date!)), score: Number(r.review_score) }));
  return kpis(counted, w, cases, () => true);
}
