// An independent computation of every KPI of kpis.md, straight from the generated files.
//
// It shares no code with src/: the entity rules below are written again from contracts.md, the files are read
// with DuckDB's own CSV reader, and every step (validation, deduplication, waiting, currency conversion, the
// KPIs) is plain SQL over those files. Money sums are exact decimals, combined and rounded here with BigInt,
// so the KPI answers of the product can be compared with these to the cent.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

// ---------------------------------------------------------------------------------------------------------
// The contract, restated from contracts.md
// ---------------------------------------------------------------------------------------------------------

type ColType = 'string' | 'timestamp' | 'date' | 'money' | 'rate' | 'integer' | 'number' | 'boolean';

interface ColSpec {
  type: ColType;
  required?: boolean;
  oneOf?: readonly string[];
  format?: 'email' | 'country' | 'currency';
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Strict lower bound. */
  above?: number;
  /** SQL literal used when the value is missing. */
  missing?: string;
}

interface EntitySpec {
  key: readonly string[];
  columns: Record<string, ColSpec>;
  /** SQL over the typed columns; a NULL result (an absent optional value) passes. */
  rules?: readonly string[];
}

export const BASE_CURRENCY = 'EUR';

const S: ColSpec = { type: 'string' };
const REQ_S: ColSpec = { type: 'string', required: true };
const TS: ColSpec = { type: 'timestamp' };
const REQ_TS: ColSpec = { type: 'timestamp', required: true };

export const SPEC: Record<string, EntitySpec> = {
  customers: {
    key: ['customer_id'],
    columns: {
      customer_id: REQ_S, email: { type: 'string', format: 'email' }, first_name: S, last_name: S,
      country: { type: 'string', required: true, format: 'country' }, region: S, city: S, signup_at: REQ_TS,
      marketing_consent: { type: 'boolean' }, updated_at: TS,
    },
  },
  products: {
    key: ['product_id'],
    columns: {
      product_id: REQ_S, name: REQ_S, category: REQ_S, subcategory: S, brand: S,
      unit_price: { type: 'money', required: true, min: 0 }, unit_cost: { type: 'money' },
      currency: { type: 'string', required: true, format: 'currency' }, supplier: S,
      sustainability_score: { type: 'number', min: 0, max: 100 }, is_active: { type: 'boolean', missing: 'TRUE' }, updated_at: TS,
    },
  },
  orders: {
    key: ['order_id'],
    columns: {
      order_id: REQ_S, customer_id: REQ_S, order_ts: REQ_TS,
      channel: { type: 'string', required: true, oneOf: ['web', 'mobile', 'store', 'marketplace', 'partner'] },
      country: { type: 'string', required: true, format: 'country' },
      currency: { type: 'string', required: true, format: 'currency' },
      status: { type: 'string', required: true, oneOf: ['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned'] },
      discount_code: S, shipping_amount: { type: 'money', min: 0 }, tax_amount: { type: 'money', min: 0 },
      promised_delivery_ts: TS, updated_at: TS,
    },
  },
  order_items: {
    key: ['order_id', 'line_number'],
    columns: {
      order_id: REQ_S, line_number: { type: 'integer', required: true, min: 1 }, product_id: REQ_S,
      quantity: { type: 'integer', required: true, above: 0 }, unit_price: { type: 'money', required: true, min: 0 },
      discount_amount: { type: 'money', min: 0, missing: 'CAST(0 AS DECIMAL(18,2))' }, updated_at: TS,
    },
    rules: ['discount_amount <= quantity * unit_price'],
  },
  events: {
    key: ['event_id'],
    columns: {
      event_id: REQ_S, session_id: REQ_S, customer_id: S,
      event_type: { type: 'string', required: true, oneOf: ['page_view', 'search', 'product_view', 'add_to_cart', 'remove_from_cart', 'checkout_start', 'purchase'] },
      product_id: S, order_id: S, device: { type: 'string', oneOf: ['desktop', 'mobile', 'tablet'] }, channel: S, event_ts: REQ_TS,
    },
  },
  shipments: {
    key: ['shipment_id'],
    columns: {
      shipment_id: REQ_S, order_id: REQ_S, carrier: REQ_S, shipped_ts: TS, delivered_ts: TS,
      status: { type: 'string', required: true, oneOf: ['pending', 'in_transit', 'delivered', 'lost'] }, updated_at: TS,
    },
    rules: ['delivered_ts >= shipped_ts'],
  },
  returns: {
    key: ['return_id'],
    columns: {
      return_id: REQ_S, order_id: REQ_S, product_id: S, quantity: { type: 'integer', required: true },
      refund_amount: { type: 'money', required: true, min: 0 }, reason: S, requested_ts: REQ_TS, updated_at: TS,
    },
  },
  support_cases: {
    key: ['case_id'],
    columns: {
      case_id: REQ_S, customer_id: S, order_id: S,
      channel: { type: 'string', required: true, oneOf: ['email', 'chat', 'phone', 'social'] },
      opened_ts: REQ_TS, resolved_ts: TS, csat_score: { type: 'integer', min: 1, max: 5 }, updated_at: TS,
    },
  },
  inventory: {
    key: ['product_id', 'warehouse', 'snapshot_ts'],
    columns: {
      product_id: REQ_S, warehouse: REQ_S, snapshot_ts: REQ_TS, on_hand: { type: 'integer', required: true, min: 0 },
      on_order: { type: 'integer' },
    },
  },
  fx_rates: {
    key: ['currency', 'rate_date'],
    columns: {
      currency: { type: 'string', required: true, format: 'currency' }, rate_date: { type: 'date', required: true },
      rate_to_base: { type: 'rate', required: true, above: 0 },
    },
    rules: [`currency <> '${BASE_CURRENCY}' OR rate_to_base = 1`],
  },
};

export const ENTITY_LIST = Object.keys(SPEC);

/** What the records of an entity wait for when they are valid but cannot be used yet. */
const WAIT_REASON: Record<string, string> = {
  orders: 'awaiting_fx_rate', order_items: 'awaiting_order', shipments: 'awaiting_order', returns: 'awaiting_order',
};

// ---------------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------------

/** The entity a file holds, from its file name (`orders.csv`, `orders-2026-01-01.csv`) or its folder (`orders/x.csv`). */
export function entityOfFile(path: string): string | undefined {
  const byLength = [...ENTITY_LIST].sort((a, b) => b.length - a.length);
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');
  const stem = norm(basename(path).replace(/\.[^.]+$/, ''));
  const folder = norm(basename(dirname(path)));
  for (const name of [stem, folder]) {
    const hit = byLength.find((e) => name === e || (name.startsWith(e) && /^[_.0-9]/.test(name.slice(e.length))));
    if (hit) return hit;
  }
  return undefined;
}

/** Every CSV file under the folder, in the order `storepulse ingest DIR` lands them (each folder's names sorted). */
export function csvFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (name.toLowerCase().endsWith('.csv')) out.push(full);
    }
  };
  visit(resolve(dir));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------

export const KPI_NAMES = [
  'orders', 'units', 'gross_revenue', 'discounts', 'refunds', 'net_revenue', 'aov', 'unique_customers',
  'conversion_rate', 'fulfilment_sla', 'return_rate', 'csat', 'inventory_at_risk',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];
export type KpiValues = Record<KpiName, number | null>;

export interface Filters { channel?: string; country?: string; category?: string }
export interface Request extends Filters { from?: string; to?: string }
export interface Window { from: string; to: string }
export type GroupBy = 'total' | 'channel' | 'country' | 'date';

export interface EntityCount {
  entity: string;
  records: number;
  rejected: number;
  /** Valid and not waiting (every version, superseded ones too). */
  accepted: number;
  pending: number;
  pendingReasons: Record<string, number>;
  /** Keys with an accepted version. */
  current: number;
}

export interface RejectedRecord {
  entity: string;
  /** The key columns' cleaned text joined with '|' (empty when absent). */
  key: string;
  source: string;
  line: number;
  /** The values as they are in the file (empty fields as null). */
  raw: Record<string, string | null>;
}

// ---------------------------------------------------------------------------------------------------------
// Exact money: DECIMAL sums arrive as text and are combined as integers at a fixed scale
// ---------------------------------------------------------------------------------------------------------

const SCALE = 12;
const ONE = 10n ** BigInt(SCALE);

function scaled(text: string | null | undefined): bigint {
  if (text === null || text === undefined || text === '') return 0n;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = (m[3] ?? '').padEnd(SCALE, '0');
  if (frac.length > SCALE && /[1-9]/.test(frac.slice(SCALE))) throw new Error(`more than ${SCALE} decimals: ${text}`);
  const v = BigInt(m[2] || '0') * ONE + BigInt(frac.slice(0, SCALE) || '0');
  return m[1] === '-' ? -v : v;
}

/** n / d rounded half away from zero. */
function divRound(n: bigint, d: bigint): bigint {
  const neg = (n < 0n) !== (d < 0n);
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  const q = (2n * a + b) / (2n * b);
  return neg ? -q : q;
}

function centsToNumber(cents: bigint): number {
  const neg = cents < 0n;
  const a = neg ? -cents : cents;
  const s = `${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
  return Number(neg ? `-${s}` : s);
}

/** A scaled amount rounded to the cent. */
function money(v: bigint): number {
  return centsToNumber(divRound(v, ONE / 100n));
}

function ratio(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

function isoDay(d: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`not a date: ${d}`);
  return d;
}

export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------
// Typing and validation SQL
// ---------------------------------------------------------------------------------------------------------

const DECIMAL_TEXT = '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)';
const ISO_TIMESTAMP = '[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)? ?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?';
const ISO_DATE = '[0-9]{4}-[0-9]{2}-[0-9]{2}';
const FORMAT_RE: Record<string, string> = {
  email: '[^@\\s]+@[^@\\s]+\\.[^@\\s]+',
  country: '[A-Z]{2}',
  currency: '[A-Z]{3}',
};

function cleaned(col: string, spec: ColSpec): string {
  const t = `NULLIF(TRIM(${col}), '')`;
  if (spec.oneOf) return `LOWER(${t})`;
  if (spec.format === 'country' || spec.format === 'currency') return `UPPER(${t})`;
  return t;
}

function typedValue(t: string, spec: ColSpec): string {
  const m = (re: string) => `regexp_full_match(${t}, ${lit(re)})`;
  let v: string;
  switch (spec.type) {
    case 'string': v = t; break;
    case 'timestamp': v = `CASE WHEN ${m(ISO_TIMESTAMP)} THEN TRY_CAST(${t} AS TIMESTAMPTZ) END`; break;
    case 'date': v = `CASE WHEN ${m(ISO_DATE)} THEN TRY_CAST(${t} AS DATE) END`; break;
    case 'money': v = `CASE WHEN ${m(DECIMAL_TEXT)} THEN TRY_CAST(ROUND(TRY_CAST(${t} AS DECIMAL(38,12)), 2) AS DECIMAL(18,2)) END`; break;
    case 'rate': v = `CASE WHEN ${m(DECIMAL_TEXT)} THEN TRY_CAST(${t} AS DECIMAL(18,10)) END`; break;
    case 'integer': v = `CASE WHEN ${m('[+-]?[0-9]+')} THEN TRY_CAST(${t} AS BIGINT) END`; break;
    case 'number': v = `CASE WHEN ${m(DECIMAL_TEXT)} THEN TRY_CAST(${t} AS DOUBLE) END`; break;
    case 'boolean':
      v = `CASE WHEN LOWER(${t}) IN ('true', 't', '1', 'yes', 'y') THEN TRUE WHEN LOWER(${t}) IN ('false', 'f', '0', 'no', 'n') THEN FALSE END`;
      break;
  }
  return spec.missing !== undefined ? `CASE WHEN ${t} IS NULL THEN ${spec.missing} ELSE ${v} END` : v;
}

/** Conditions that are TRUE when a record breaks its contract (each over `<col>__t` text and typed `<col>`). */
function failures(spec: EntitySpec): string[] {
  const out: string[] = [];
  for (const [c, s] of Object.entries(spec.columns)) {
    const t = `${c}__t`;
    if (s.required) out.push(`${t} IS NULL`);
    if (s.type !== 'string') out.push(`(${t} IS NOT NULL AND ${c} IS NULL)`);
    if (s.oneOf) out.push(`(${c} IS NOT NULL AND ${c} NOT IN (${s.oneOf.map(lit).join(', ')}))`);
    if (s.format) out.push(`(${c} IS NOT NULL AND NOT regexp_full_match(${c}, ${lit(FORMAT_RE[s.format])}))`);
    if (s.min !== undefined) out.push(`COALESCE(${c} < ${s.min}, FALSE)`);
    if (s.max !== undefined) out.push(`COALESCE(${c} > ${s.max}, FALSE)`);
    if (s.above !== undefined) out.push(`COALESCE(${c} <= ${s.above}, FALSE)`);
  }
  for (const r of spec.rules ?? []) out.push(`COALESCE(NOT (${r}), FALSE)`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The computation
// ---------------------------------------------------------------------------------------------------------

interface GroupSql {
  order: string;
  session: string;
  supportCase: string;
  /** Group of a sold line in the inventory horizon (`l` line, `h` horizon). */
  sold: string;
}

const GROUPS: Record<GroupBy, GroupSql> = {
  total: { order: "'all'", session: "'all'", supportCase: "'all'", sold: "'all'" },
  channel: { order: 'o.channel', session: 's.channel', supportCase: 'c.order_channel', sold: 'l.channel' },
  country: { order: 'o.country', session: 's.country', supportCase: 'c.country', sold: 'l.country' },
  date: {
    order: 'CAST(o.order_date AS VARCHAR)', session: 'CAST(s.session_date AS VARCHAR)',
    supportCase: 'CAST(c.opened_date AS VARCHAR)', sold: 'CAST(h.day AS VARCHAR)',
  },
};

interface Acc {
  orders: number; customers: number; slaDen: number; slaNum: number; shipped: number; returned: number;
  units: number; gross: bigint; discounts: bigint; refunds: bigint;
  sessions: number; converted: number; scored: number; satisfied: number; atRisk: number;
}

const emptyAcc = (): Acc => ({
  orders: 0, customers: 0, slaDen: 0, slaNum: 0, shipped: 0, returned: 0, units: 0, gross: 0n, discounts: 0n, refunds: 0n,
  sessions: 0, converted: 0, scored: 0, satisfied: 0, atRisk: 0,
});

function kpisOf(a: Acc): KpiValues {
  const sold = a.gross - a.discounts;
  return {
    orders: a.orders,
    units: a.units,
    gross_revenue: money(a.gross),
    discounts: money(a.discounts),
    refunds: money(a.refunds),
    net_revenue: money(sold - a.refunds),
    aov: a.orders > 0 ? centsToNumber(divRound(sold, BigInt(a.orders) * (ONE / 100n))) : null,
    unique_customers: a.customers,
    conversion_rate: ratio(a.converted, a.sessions),
    fulfilment_sla: ratio(a.slaNum, a.slaDen),
    return_rate: ratio(a.returned, a.shipped),
    csat: ratio(a.satisfied, a.scored),
    inventory_at_risk: a.atRisk,
  };
}

export class IndependentKpis {
  /** Files refused whole because a required column is missing from their header. */
  readonly refused: { path: string; entity: string; missing: string[] }[] = [];

  private constructor(private readonly instance: DuckDBInstance, private readonly db: DuckDBConnection, readonly files: string[]) {}

  /** Reads the CSV files (a folder, or files in the order they are ingested) and derives everything. */
  static async load(input: string | readonly string[]): Promise<IndependentKpis> {
    const files = typeof input === 'string' ? csvFilesUnder(input) : input.map((f) => resolve(f));
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    await db.run("SET TimeZone = 'UTC'");
    await db.run('SET preserve_insertion_order = true');
    const me = new IndependentKpis(instance, db, files);
    await me.build();
    return me;
  }

  close(): void {
    this.db.closeSync();
    this.instance.closeSync();
  }

  async all<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const r = await this.db.runAndReadAll(sql);
    return r.getRowObjectsJS() as T[];
  }

  private async build(): Promise<void> {
    const db = this.db;
    await db.run('CREATE TABLE sources (file_no INTEGER, path VARCHAR, entity VARCHAR)');
    for (const [e, spec] of Object.entries(SPEC)) {
      const cols = Object.keys(spec.columns).map((c) => `${c} VARCHAR`).join(', ');
      await db.run(`CREATE TABLE raw_${e} (_file INTEGER, _line BIGINT, ${cols})`);
    }
    // 1. Land every file as text, with its position in the ingestion order and each record's line (header = 1).
    for (const [fileNo, path] of this.files.entries()) {
      const entity = entityOfFile(path);
      if (!entity) throw new Error(`no entity for ${path}`);
      await db.run(`INSERT INTO sources VALUES (${fileNo}, ${lit(path)}, ${lit(entity)})`);
      const reader = `read_csv(${lit(path)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
      await db.run(`CREATE OR REPLACE TEMP TABLE one_file AS SELECT * FROM ${reader}`);
      const described = await this.all<{ column_name: string }>('DESCRIBE one_file');
      const byName = new Map(described.map((d) => [d.column_name.trim().toLowerCase(), d.column_name]));
      const missing = Object.entries(SPEC[entity].columns).filter(([c, s]) => s.required && !byName.has(c)).map(([c]) => c);
      if (missing.length > 0) {
        // A file without a required column is refused whole: none of its records land.
        this.refused.push({ path, entity, missing });
        continue;
      }
      const names = Object.keys(SPEC[entity].columns);
      const select = names.map((c) => (byName.has(c) ? `CAST("${byName.get(c)!.replace(/"/g, '""')}" AS VARCHAR)` : 'CAST(NULL AS VARCHAR)'));
      await db.run(`INSERT INTO raw_${entity} SELECT ${fileNo}, rowid + 2, ${select.join(', ')} FROM one_file ORDER BY rowid`);
    }
    await db.run('DROP TABLE IF EXISTS one_file');

    // 2. Clean, type and judge every record; a record without updated_at counts as ingested now.
    const now = new Date().toISOString();
    for (const [e, spec] of Object.entries(SPEC)) {
      const cols = Object.entries(spec.columns);
      const texts = cols.map(([c, s]) => `${cleaned(c, s)} AS ${c}__t`).join(', ');
      const typed = cols.map(([c, s]) => `${typedValue(`${c}__t`, s)} AS ${c}`).join(', ');
      const version = 'updated_at' in spec.columns ? `COALESCE(updated_at, TIMESTAMPTZ '${now}')` : `TIMESTAMPTZ '${now}'`;
      await db.run(`CREATE TABLE typed_${e} AS
        SELECT *, ${version} AS _v, (${failures(spec).join(' OR ')}) AS _invalid FROM (
          SELECT _file, _line, ${cols.map(([c]) => `${c}__t`).join(', ')}, ${typed}
          FROM (SELECT _file, _line, ${texts} FROM raw_${e})
        )`);
    }

    // 3. What waits: foreign-currency orders without a rate on or before their day; facts without an accepted order.
    const valid = (e: string) => `(SELECT * FROM typed_${e} WHERE NOT _invalid)`;
    await db.run(`CREATE TABLE acc_fx_rates AS SELECT * FROM ${valid('fx_rates')}`);
    await db.run(`CREATE TABLE acc_orders AS SELECT * FROM ${valid('orders')} o
      WHERE o.currency = '${BASE_CURRENCY}'
         OR EXISTS (SELECT 1 FROM acc_fx_rates f WHERE f.currency = o.currency AND f.rate_date <= CAST(o.order_ts AS DATE))`);
    for (const e of ['order_items', 'shipments', 'returns']) {
      await db.run(`CREATE TABLE acc_${e} AS SELECT * FROM ${valid(e)} r WHERE r.order_id IN (SELECT order_id FROM acc_orders)`);
    }
    for (const e of ['customers', 'products', 'events', 'support_cases', 'inventory']) {
      await db.run(`CREATE TABLE acc_${e} AS SELECT * FROM ${valid(e)}`);
    }

    // 4. The latest accepted version of every key: greatest version time, then the later file, then the later line.
    for (const [e, spec] of Object.entries(SPEC)) {
      await db.run(`CREATE TABLE cur_${e} AS SELECT * FROM acc_${e}
        QUALIFY row_number() OVER (PARTITION BY ${spec.key.join(', ')} ORDER BY _v DESC, _file DESC, _line DESC) = 1`);
    }

    // 5. Facts in the base currency, at the rate of the order's day.
    await db.run(`CREATE TABLE order_rate AS
      SELECT o.order_id,
        CASE WHEN o.currency = '${BASE_CURRENCY}' THEN CAST(1 AS DECIMAL(18,10))
             ELSE arg_max(f.rate_to_base, f.rate_date) END AS rate
      FROM cur_orders o
      LEFT JOIN cur_fx_rates f ON f.currency = o.currency AND f.rate_date <= CAST(o.order_ts AS DATE)
      GROUP BY o.order_id, o.currency`);
    await db.run(`CREATE TABLE f_order AS
      SELECT o.order_id, o.customer_id, CAST(o.order_ts AS DATE) AS order_date, o.channel, o.country, o.status,
        o.status <> 'cancelled' AS counted, o.promised_delivery_ts, r.rate
      FROM cur_orders o JOIN order_rate r ON r.order_id = o.order_id`);
    await db.run(`CREATE TABLE f_product AS SELECT product_id, category, is_active FROM cur_products`);
    await db.run(`CREATE TABLE f_line AS
      SELECT i.order_id, i.line_number, i.product_id, o.order_date, o.channel, o.country, o.counted,
        i.quantity,
        CAST(i.quantity AS DECIMAL(18,0)) * i.unit_price * o.rate AS gross,
        i.discount_amount * o.rate AS discount,
        COALESCE(p.category, 'unknown') AS category,
        COALESCE(p.is_active, TRUE) AS active
      FROM cur_order_items i JOIN f_order o ON o.order_id = i.order_id
      LEFT JOIN f_product p ON p.product_id = i.product_id`);
    await db.run(`CREATE TABLE f_return AS
      SELECT r.return_id, r.order_id, r.refund_amount * o.rate AS refund,
        CASE WHEN r.product_id IS NOT NULL THEN COALESCE(p.category, 'unknown') END AS category
      FROM cur_returns r JOIN f_order o ON o.order_id = r.order_id
      LEFT JOIN f_product p ON p.product_id = r.product_id`);
    await db.run(`CREATE TABLE f_order_flags AS
      SELECT o.order_id,
        EXISTS (SELECT 1 FROM cur_shipments s WHERE s.order_id = o.order_id) AS has_shipment,
        EXISTS (SELECT 1 FROM cur_returns r WHERE r.order_id = o.order_id) AS has_return,
        (SELECT MAX(s.delivered_ts) FROM cur_shipments s
          WHERE s.order_id = o.order_id AND s.status = 'delivered' AND s.delivered_ts IS NOT NULL) AS last_delivered_ts
      FROM f_order o`);
    await db.run(`CREATE TABLE f_session AS
      WITH firsts AS (
        SELECT session_id, MIN(event_ts) AS first_ts, bool_or(event_type = 'purchase') AS converted
        FROM cur_events GROUP BY session_id
      ),
      first_channel AS (
        SELECT session_id, channel FROM cur_events WHERE channel IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY session_id ORDER BY event_ts, event_id) = 1
      ),
      first_customer AS (
        SELECT session_id, customer_id FROM cur_events WHERE customer_id IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY session_id ORDER BY event_ts, event_id) = 1
      )
      SELECT f.session_id, CAST(f.first_ts AS DATE) AS session_date, f.converted, ch.channel, cu.customer_id, c.country
      FROM firsts f
      LEFT JOIN first_channel ch ON ch.session_id = f.session_id
      LEFT JOIN first_customer cu ON cu.session_id = f.session_id
      LEFT JOIN cur_customers c ON c.customer_id = cu.customer_id`);
    await db.run(`CREATE TABLE f_case AS
      SELECT k.case_id, CAST(k.opened_ts AS DATE) AS opened_date, k.csat_score, o.channel AS order_channel,
        COALESCE(c.country, o.country) AS country
      FROM cur_support_cases k
      LEFT JOIN f_order o ON o.order_id = k.order_id
      LEFT JOIN cur_customers c ON c.customer_id = k.customer_id`);
  }

  /** First day with an accepted order, session or support case, to the day after the last one. */
  async dataWindow(): Promise<Window> {
    const [r] = await this.all<{ first_day: string | null; last_day: string | null }>(`
      SELECT CAST(MIN(d) AS VARCHAR) AS first_day, CAST(MAX(d) + 1 AS VARCHAR) AS last_day FROM (
        SELECT order_date AS d FROM f_order UNION ALL SELECT session_date FROM f_session UNION ALL SELECT opened_date FROM f_case)`);
    if (!r.first_day || !r.last_day) throw new Error('no data');
    return { from: r.first_day, to: r.last_day };
  }

  private async window(req: Request): Promise<Window> {
    if (req.from && req.to) return { from: isoDay(req.from), to: isoDay(req.to) };
    const all = await this.dataWindow();
    return { from: isoDay(req.from ?? all.from), to: isoDay(req.to ?? all.to) };
  }

  /** The KPIs over [from, to) with optional filters. */
  async total(req: Request = {}): Promise<{ from: string; to: string; kpis: KpiValues }> {
    const { from, to, rows } = await this.compute('total', req);
    return { from, to, kpis: rows.get('all') ?? kpisOf(emptyAcc()) };
  }

  /** One row per channel, country or date, with the same definitions restricted to the group. */
  async breakdown(by: Exclude<GroupBy, 'total'>, req: Request = {}): Promise<{ from: string; to: string; rows: Map<string | null, KpiValues> }> {
    return this.compute(by, req);
  }

  private async compute(by: GroupBy, req: Request): Promise<{ from: string; to: string; rows: Map<string | null, KpiValues> }> {
    const { from, to } = await this.window(req);
    const g = GROUPS[by];
    const F = `DATE '${from}'`;
    const T = `DATE '${to}'`;
    const accs = new Map<string | null, Acc>();
    const acc = (k: unknown): Acc => {
      const key = k === null || k === undefined ? null : String(k);
      let a = accs.get(key);
      if (!a) accs.set(key, (a = emptyAcc()));
      return a;
    };
    const n = (v: unknown) => Number(v ?? 0);

    // Counted orders in the window (with a category: those that bought from it).
    const counted = `(
      SELECT o.*, ${g.order} AS grp FROM f_order o
      WHERE o.counted AND o.order_date >= ${F} AND o.order_date < ${T}
        ${req.channel !== undefined ? `AND o.channel = ${lit(req.channel)}` : ''}
        ${req.country !== undefined ? `AND o.country = ${lit(req.country)}` : ''}
        ${req.category !== undefined ? `AND EXISTS (SELECT 1 FROM f_line l WHERE l.order_id = o.order_id AND l.category = ${lit(req.category)})` : ''}
    )`;
    for (const r of await this.all(`
      SELECT co.grp, COUNT(*) AS orders, COUNT(DISTINCT co.customer_id) AS customers,
        COUNT(*) FILTER (WHERE f.last_delivered_ts IS NOT NULL AND co.promised_delivery_ts IS NOT NULL) AS sla_den,
        COUNT(*) FILTER (WHERE f.last_delivered_ts IS NOT NULL AND co.promised_delivery_ts IS NOT NULL
                           AND f.last_delivered_ts <= co.promised_delivery_ts) AS sla_num,
        COUNT(*) FILTER (WHERE f.has_shipment) AS shipped,
        COUNT(*) FILTER (WHERE f.has_shipment AND f.has_return) AS returned
      FROM ${counted} co JOIN f_order_flags f ON f.order_id = co.order_id
      GROUP BY co.grp`)) {
      const a = acc(r.grp);
      a.orders = n(r.orders); a.customers = n(r.customers); a.slaDen = n(r.sla_den); a.slaNum = n(r.sla_num);
      a.shipped = n(r.shipped); a.returned = n(r.returned);
    }
    for (const r of await this.all<{ grp: unknown; units: unknown; gross: string; discounts: string }>(`
      SELECT co.grp, SUM(l.quantity) AS units, CAST(SUM(l.gross) AS VARCHAR) AS gross, CAST(SUM(l.discount) AS VARCHAR) AS discounts
      FROM ${counted} co JOIN f_line l ON l.order_id = co.order_id
      ${req.category !== undefined ? `WHERE l.category = ${lit(req.category)}` : ''}
      GROUP BY co.grp`)) {
      const a = acc(r.grp);
      a.units = n(r.units); a.gross = scaled(r.gross); a.discounts = scaled(r.discounts);
    }
    for (const r of await this.all<{ grp: unknown; refunds: string }>(`
      SELECT co.grp, CAST(SUM(r.refund) AS VARCHAR) AS refunds
      FROM ${counted} co JOIN f_return r ON r.order_id = co.order_id
      ${req.category !== undefined ? `WHERE r.category = ${lit(req.category)}` : ''}
      GROUP BY co.grp`)) {
      acc(r.grp).refunds = scaled(r.refunds);
    }
    // Sessions belong to the day of their first event; support cases to the day they were opened.
    for (const r of await this.all(`
      SELECT ${g.session} AS grp, COUNT(*) AS sessions, COUNT(*) FILTER (WHERE s.converted) AS converted
      FROM f_session s
      WHERE s.session_date >= ${F} AND s.session_date < ${T}
        ${req.channel !== undefined ? `AND s.channel = ${lit(req.channel)}` : ''}
        ${req.country !== undefined ? `AND s.country = ${lit(req.country)}` : ''}
      GROUP BY 1`)) {
      const a = acc(r.grp);
      a.sessions = n(r.sessions); a.converted = n(r.converted);
    }
    for (const r of await this.all(`
      SELECT ${g.supportCase} AS grp, COUNT(c.csat_score) AS scored, COUNT(*) FILTER (WHERE c.csat_score >= 4) AS satisfied
      FROM f_case c
      WHERE c.opened_date >= ${F} AND c.opened_date < ${T}
        ${req.channel !== undefined ? `AND c.order_channel = ${lit(req.channel)}` : ''}
        ${req.country !== undefined ? `AND c.country = ${lit(req.country)}` : ''}
      GROUP BY 1`)) {
      const a = acc(r.grp);
      a.scored = n(r.scored); a.satisfied = n(r.satisfied);
    }
    // Inventory at risk as of the window's end (or, by date, each day's end).
    const horizon = by === 'date'
      ? `SELECT CAST(d AS DATE) AS day, CAST(d AS DATE) + 1 AS to_date FROM generate_series(CAST(${F} AS TIMESTAMP), CAST(${T} AS TIMESTAMP) - INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)`
      : `SELECT CAST(NULL AS DATE) AS day, ${T} AS to_date`;
    for (const r of await this.all(`
      WITH h AS (${horizon}),
      latest AS (
        SELECT h.to_date, i.product_id, i.warehouse, i.on_hand
        FROM h JOIN cur_inventory i ON i.snapshot_ts < CAST(h.to_date AS TIMESTAMPTZ)
        QUALIFY row_number() OVER (PARTITION BY h.to_date, i.product_id, i.warehouse ORDER BY i.snapshot_ts DESC) = 1
      ),
      stock AS (SELECT to_date, product_id, SUM(on_hand) AS on_hand FROM latest GROUP BY ALL),
      sold AS (
        SELECT ${g.sold} AS grp, h.to_date, l.product_id, SUM(l.quantity) AS units
        FROM h JOIN f_line l ON l.order_date >= h.to_date - 28 AND l.order_date < h.to_date
        WHERE l.counted AND l.active
          ${req.channel !== undefined ? `AND l.channel = ${lit(req.channel)}` : ''}
          ${req.country !== undefined ? `AND l.country = ${lit(req.country)}` : ''}
          ${req.category !== undefined ? `AND l.category = ${lit(req.category)}` : ''}
        GROUP BY ALL
      )
      SELECT so.grp, COUNT(*) FILTER (WHERE COALESCE(st.on_hand, 0) * 28 < 7 * so.units) AS at_risk
      FROM sold so LEFT JOIN stock st ON st.to_date = so.to_date AND st.product_id = so.product_id
      WHERE so.units > 0
      GROUP BY so.grp`)) {
      acc(r.grp).atRisk = n(r.at_risk);
    }
    if (by === 'total') acc('all');
    const rows = new Map<string | null, KpiValues>();
    for (const [k, a] of accs) rows.set(k, kpisOf(a));
    return { from, to, rows };
  }

  /**
   * Customer segments of kpis.md: customers with a counted order ranked by lifetime gross − discounts − refunds
   * (ties by customer id); Platinum the top 5 %, Gold the next 15 %, Silver the next 30 %, Bronze the rest.
   */
  async segments(): Promise<{ segment: string; customers: number; orders: number; lifetime_value: number }[]> {
    const rows = await this.all<{ segment: string; customers: unknown; orders: unknown; lifetime_value: string }>(`
      WITH per_order AS (
        SELECT o.order_id, o.customer_id,
          COALESCE((SELECT SUM(l.gross - l.discount) FROM f_line l WHERE l.order_id = o.order_id), 0)
            - COALESCE((SELECT SUM(r.refund) FROM f_return r WHERE r.order_id = o.order_id), 0) AS value
        FROM f_order o WHERE o.counted
      ),
      lifetime AS (SELECT customer_id, COUNT(*) AS orders, SUM(value) AS value FROM per_order GROUP BY customer_id),
      ranked AS (
        SELECT *, row_number() OVER (ORDER BY value DESC, customer_id) - 1 AS above, COUNT(*) OVER () AS n FROM lifetime
      )
      SELECT CASE WHEN above < 0.05 * n THEN 'Platinum' WHEN above < 0.20 * n THEN 'Gold' WHEN above < 0.50 * n THEN 'Silver' ELSE 'Bronze' END AS segment,
        COUNT(*) AS customers, SUM(orders) AS orders, CAST(SUM(value) AS VARCHAR) AS lifetime_value
      FROM ranked GROUP BY 1 ORDER BY MIN(above)`);
    return rows.map((r) => ({ segment: r.segment, customers: Number(r.customers), orders: Number(r.orders), lifetime_value: money(scaled(r.lifetime_value)) }));
  }

  /** Categories of the lines of counted orders, most units first. */
  async categories(): Promise<{ category: string; units: number }[]> {
    const rows = await this.all<{ category: string; units: unknown }>(`
      SELECT category, SUM(quantity) AS units FROM f_line WHERE counted GROUP BY category ORDER BY units DESC, category`);
    return rows.map((r) => ({ category: r.category, units: Number(r.units) }));
  }

  /** Per entity: records in the files, rejected, accepted, waiting (with why), and keys with a current version. */
  async accounting(): Promise<EntityCount[]> {
    const out: EntityCount[] = [];
    for (const e of ENTITY_LIST) {
      const [r] = await this.all(`SELECT
        (SELECT COUNT(*) FROM typed_${e}) AS records,
        (SELECT COUNT(*) FROM typed_${e} WHERE _invalid) AS rejected,
        (SELECT COUNT(*) FROM acc_${e}) AS accepted,
        (SELECT COUNT(*) FROM cur_${e}) AS current`);
      const records = Number(r.records);
      const rejected = Number(r.rejected);
      const accepted = Number(r.accepted);
      const pending = records - rejected - accepted;
      out.push({
        entity: e, records, rejected, accepted, pending,
        pendingReasons: pending > 0 ? { [WAIT_REASON[e] ?? 'unknown']: pending } : {},
        current: Number(r.current),
      });
    }
    return out;
  }

  /** Every record that breaks its contract, with where it came from and its values as written. */
  async rejected(): Promise<RejectedRecord[]> {
    const out: RejectedRecord[] = [];
    for (const [e, spec] of Object.entries(SPEC)) {
      const cols = Object.keys(spec.columns);
      const rows = await this.all<Record<string, unknown>>(`
        SELECT s.path AS _source, r._line, ${spec.key.map((k) => `COALESCE(t.${k}__t, '')`).join(" || '|' || ")} AS _key,
          ${cols.map((c) => `r.${c}`).join(', ')}
        FROM raw_${e} r JOIN typed_${e} t ON t._file = r._file AND t._line = r._line
        JOIN sources s ON s.file_no = r._file
        WHERE t._invalid ORDER BY r._file, r._line`);
      for (const row of rows) {
        const raw: Record<string, string | null> = {};
        for (const c of cols) raw[c] = row[c] === null || row[c] === undefined ? null : String(row[c]);
        out.push({ entity: e, key: String(row._key), source: String(row._source), line: Number(row._line), raw });
      }
    }
    return out;
  }
}
