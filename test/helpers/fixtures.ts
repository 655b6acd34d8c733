// Small hand-written data sets and an open warehouse in a temp home, for tests that call the library directly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discoverFiles } from '../../src/ingest/discover.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import type { Warehouse } from '../../src/warehouse/engine.js';
import { ENGINES, type EngineUnderTest } from './engines.js';

export type Rows = Record<string, string | number | boolean | null>[];

function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes rows as CSV with the given header (so tests can drop or add columns). */
export function writeCsv(path: string, header: readonly string[], rows: Rows): string {
  mkdirSync(dirname(path), { recursive: true });
  const lines = [header.join(','), ...rows.map((r) => header.map((h) => csvValue(r[h])).join(','))];
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

export interface TestHome {
  dir: string;
  wh: Warehouse;
  cleanup(): Promise<void>;
}

/** A temp home with a fresh warehouse on the given engine (DuckDB by default). */
export async function openTestHome(engine: EngineUnderTest = ENGINES[0], baseCurrency = 'EUR'): Promise<TestHome> {
  const dir = mkdtempSync(join(tmpdir(), `sp-test-${engine.name}-`));
  const { wh, drop } = await engine.open(dir, baseCurrency);
  return {
    dir, wh,
    async cleanup() {
      await wh.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let landed = 0;

/** Writes rows as a new CSV file of the entity in the home and ingests it; throws unless it landed. Answers the path. */
export async function landRows(home: TestHome, entity: keyof typeof HEADERS, rows: Rows, header: readonly string[] = HEADERS[entity]): Promise<string> {
  const path = writeCsv(join(home.dir, 'in', `${entity}-${++landed}.csv`), header, rows);
  const outcome = await ingestFile(home.wh, discoverFiles([path])[0]);
  if (outcome.status !== 'loaded') throw new Error(`${path} did not land: ${JSON.stringify(outcome)}`);
  return path;
}

export const HEADERS = {
  orders: ['order_id', 'customer_id', 'order_ts', 'channel', 'country', 'currency', 'status', 'discount_code', 'shipping_amount', 'tax_amount', 'promised_delivery_ts', 'updated_at'],
  order_items: ['order_id', 'line_number', 'product_id', 'quantity', 'unit_price', 'discount_amount', 'updated_at'],
  customers: ['customer_id', 'email', 'first_name', 'last_name', 'country', 'region', 'city', 'signup_at', 'marketing_consent', 'updated_at'],
  products: ['product_id', 'name', 'category', 'subcategory', 'brand', 'unit_price', 'unit_cost', 'currency', 'supplier', 'sustainability_score', 'is_active', 'updated_at'],
  fx_rates: ['currency', 'rate_date', 'rate_to_base'],
  shipments: ['shipment_id', 'order_id', 'carrier', 'shipped_ts', 'delivered_ts', 'status', 'updated_at'],
} as const;

type Over = Record<string, string | number | null>;

export function order(id: string, over: Over = {}): Over {
  return { order_id: id, customer_id: 'C1', order_ts: '2026-01-01T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid', updated_at: '2026-01-01T10:00:00Z', ...over };
}

export function item(orderId: string, line: number, over: Over = {}): Over {
  return { order_id: orderId, line_number: line, product_id: 'P1', quantity: 1, unit_price: '10.00', discount_amount: 0, updated_at: '2026-01-01T10:00:00Z', ...over };
}

export function writeText(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}
