// The generator: deterministic, complete (ten entities in contract column order), realistic in its mix,
// clean unless asked for faults, and faulty in every way --faults promises.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES, ENTITY_NAMES } from '../../src/contracts/index.js';
import { generate, type GenerateSummary } from '../../src/generate/index.js';
import { storepulse, storepulseJson, tempDir } from '../helpers/cli.js';

const tmp = tempDir('sp-generate');
afterAll(() => tmp.cleanup());

function digest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, name.name);
      if (name.isDirectory()) walk(full);
      else hash.update(name.name).update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

async function query<T>(sql: string): Promise<T[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const csv = (dir: string, entity: string) => `read_csv('${join(dir, `${entity}.csv`)}', header = true, all_varchar = true)`;

interface StatusJson { entities: { entity: string; records: number; accepted: number; rejected: number; pending: number }[] }

describe('a clean data set (seed 3, 4 000 orders over 30 days)', () => {
  const dir = join(tmp.path, 'clean');
  let summary: GenerateSummary;
  beforeAll(async () => {
    summary = await generate({ out: dir, seed: 3, days: 30, orders: 4000 });
  });

  it('writes all ten entities with the contract columns in contract order', () => {
    expect(readdirSync(dir).sort()).toEqual(ENTITY_NAMES.map((e) => `${e}.csv`).sort());
    for (const entity of ENTITIES) {
      const header = readFileSync(join(dir, `${entity.name}.csv`), 'utf8').split('\n', 1)[0];
      expect(header, entity.name).toBe(Object.keys(entity.columns).join(','));
      expect(summary.records[entity.name], entity.name).toBeGreaterThan(0);
    }
    expect(Object.values(summary.faults).every((n) => n === 0)).toBe(true);
  });

  it('is deterministic for a seed and different for another seed', async () => {
    const again = join(tmp.path, 'clean-again');
    const other = join(tmp.path, 'other-seed');
    await generate({ out: again, seed: 3, days: 30, orders: 4000 });
    await generate({ out: other, seed: 4, days: 30, orders: 4000 });
    expect(digest(again)).toBe(digest(dir));
    expect(digest(other)).not.toBe(digest(dir));
  });

  it('looks like a real shop: exact order count, ~2.5 lines per order, the channel mix, few cancellations', async () => {
    const [o] = await query<{ n: string; cancelled: string; web: string; mobile: string; store: string; currencies: string }>(`
      SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE status = 'cancelled') AS cancelled,
             COUNT(*) FILTER (WHERE channel = 'web') AS web, COUNT(*) FILTER (WHERE channel = 'mobile') AS mobile,
             COUNT(*) FILTER (WHERE channel = 'store') AS store, COUNT(DISTINCT currency) AS currencies
      FROM ${csv(dir, 'orders')}`);
    const n = Number(o.n);
    expect(n).toBe(4000);
    expect(Number(o.web) / n).toBeGreaterThan(0.4);
    expect(Number(o.web) / n).toBeLessThan(0.5);
    expect(Number(o.mobile) / n).toBeGreaterThan(0.25);
    expect(Number(o.store) / n).toBeGreaterThan(0.05);
    expect(Number(o.cancelled) / n).toBeGreaterThan(0.01);
    expect(Number(o.cancelled) / n).toBeLessThan(0.05);
    expect(Number(o.currencies)).toBe(5);
    const linesPerOrder = summary.orderLines / n;
    expect(linesPerOrder).toBeGreaterThan(2.2);
    expect(linesPerOrder).toBeLessThan(2.8);
  });

  it('has late deliveries, returns, support cases with CSAT, carts that do not convert, and stock snapshots', async () => {
    const [s] = await query<{ late: string; delivered: string }>(`
      SELECT COUNT(*) FILTER (WHERE CAST(s.delivered_ts AS TIMESTAMP) > CAST(o.promised_delivery_ts AS TIMESTAMP)) AS late,
             COUNT(*) FILTER (WHERE s.status = 'delivered') AS delivered
      FROM ${csv(dir, 'shipments')} s JOIN ${csv(dir, 'orders')} o USING (order_id)`);
    expect(Number(s.late) / Number(s.delivered)).toBeGreaterThan(0.03);
    expect(Number(s.late) / Number(s.delivered)).toBeLessThan(0.25);
    expect(summary.records.returns / 4000).toBeGreaterThan(0.04);
    const [c] = await query<{ scored: string; all: string }>(`SELECT COUNT(csat_score) AS scored, COUNT(*) AS "all" FROM ${csv(dir, 'support_cases')}`);
    expect(Number(c.scored)).toBeGreaterThan(0);
    expect(Number(c.scored)).toBeLessThan(Number(c.all));
    const [e] = await query<{ sessions: string; buying: string; carts: string }>(`
      SELECT COUNT(DISTINCT session_id) AS sessions,
             COUNT(DISTINCT session_id) FILTER (WHERE event_type = 'purchase') AS buying,
             COUNT(DISTINCT session_id) FILTER (WHERE event_type = 'add_to_cart') AS carts
      FROM ${csv(dir, 'events')}`);
    expect(Number(e.buying) / Number(e.sessions)).toBeGreaterThan(0.1);
    expect(Number(e.buying) / Number(e.sessions)).toBeLessThan(0.5);
    expect(Number(e.carts)).toBeGreaterThan(Number(e.buying)); // abandoned carts exist
    const [i] = await query<{ snapshots: string }>(`SELECT COUNT(DISTINCT snapshot_ts) AS snapshots FROM ${csv(dir, 'inventory')}`);
    expect(Number(i.snapshots)).toBe(6); // weekly over 30 days (days 0, 7, 14, 21, 28) and the last day
    const [fx] = await query<{ days: string; base_not_one: string }>(`
      SELECT COUNT(DISTINCT rate_date) AS days, COUNT(*) FILTER (WHERE currency = 'EUR' AND rate_to_base <> '1') AS base_not_one
      FROM ${csv(dir, 'fx_rates')}`);
    expect(Number(fx.days)).toBe(30);
    expect(Number(fx.base_not_one)).toBe(0);
  });

  it('passes its own contracts: nothing rejected, nothing left waiting', async () => {
    const home = join(tmp.path, 'clean-home');
    expect((await storepulse(['ingest', '--quiet', dir], { home })).code).toBe(0);
    expect((await storepulse(['run', '--quiet'], { home })).code).toBe(0);
    const status = await storepulseJson<StatusJson>(['status', '--json'], { home });
    for (const e of status.entities) {
      expect(e.records, e.entity).toBe(summary.records[e.entity]);
      expect(e.rejected, e.entity).toBe(0);
      expect(e.pending, e.entity).toBe(0);
    }
  });
});

describe('--faults', () => {
  const dir = join(tmp.path, 'faults');
  let summary: GenerateSummary;
  beforeAll(async () => {
    summary = await generate({ out: dir, seed: 3, days: 30, orders: 4000, faults: true });
  });

  it('adds every kind of fault it promises, and extra columns the contracts do not know', () => {
    for (const kind of ['duplicates', 'later_versions', 'malformed', 'unknown_products', 'unknown_customers', 'orders_awaiting_fx', 'missing_fx_rates', 'extra_columns']) {
      expect(summary.faults[kind], kind).toBeGreaterThan(0);
    }
    expect(readFileSync(join(dir, 'orders.csv'), 'utf8').split('\n', 1)[0]).toMatch(/,utm_source$/);
    expect(readFileSync(join(dir, 'order_items.csv'), 'utf8').split('\n', 1)[0]).toMatch(/,gift_wrap$/);
  });

  it('sends rejects, waits and inferred members downstream, and accounts for every record', async () => {
    const home = join(tmp.path, 'faults-home');
    expect((await storepulse(['ingest', '--quiet', dir], { home })).code).toBe(0);
    expect((await storepulse(['run', '--quiet'], { home })).code).toBe(0);
    const status = await storepulseJson<StatusJson>(['status', '--json'], { home });
    const by = new Map(status.entities.map((e) => [e.entity, e]));
    for (const e of status.entities) expect(e.records, e.entity).toBe(e.accepted + e.rejected + e.pending);
    for (const entity of ['orders', 'order_items', 'events', 'shipments']) expect(by.get(entity)!.rejected, entity).toBeGreaterThan(0);
    // Orders in a currency without rates wait (with any re-delivered copies), and so do their lines.
    expect(by.get('orders')!.pending).toBeGreaterThanOrEqual(summary.faults.orders_awaiting_fx);
    expect(by.get('order_items')!.pending).toBeGreaterThan(0);
    const rejects = await storepulseJson<{ rule: string }[]>(['rejects', '--json'], { home });
    const rules = new Set(rejects.map((r) => r.rule));
    for (const rule of ['enum:channel', 'range:quantity', 'type:order_ts', 'rule:discount_within_line']) expect(rules, rule).toContain(rule);
  });
});

describe('layouts and formats', () => {
  it('writes one file per entity and day with --by-day, every day inside the period, orders sometimes a day late', async () => {
    const dir = join(tmp.path, 'by-day');
    const summary = await generate({ out: dir, seed: 5, days: 10, orders: 1500, byDay: true, faults: true });
    for (const entity of ENTITY_NAMES) {
      for (const f of readdirSync(join(dir, entity))) {
        expect(f).toMatch(/^2026-01-(0[1-9]|10)\.csv$/);
      }
    }
    expect(summary.faults.late_arrivals).toBeGreaterThan(0);
    const lines = summary.files.reduce((n, f) => n + readFileSync(f, 'utf8').trimEnd().split('\n').length - 1, 0);
    expect(lines).toBe(Object.values(summary.records).reduce((a, b) => a + b, 0));
  });

  it('writes the same records as NDJSON and Parquet as it does as CSV', async () => {
    const base = { seed: 9, days: 7, orders: 500, faults: true };
    const asCsv = await generate({ ...base, out: join(tmp.path, 'fmt-csv') });
    for (const format of ['ndjson', 'parquet'] as const) {
      const out = join(tmp.path, `fmt-${format}`);
      const s = await generate({ ...base, out, format });
      expect(readdirSync(out).sort()).toEqual(ENTITY_NAMES.map((e) => `${e}.${format}`).sort());
      expect(s.records).toEqual(asCsv.records);
      const reader = format === 'ndjson' ? 'read_json_auto' : 'read_parquet';
      const [n] = await query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${reader}('${join(out, 'order_items.' + format)}')`);
      expect(Number(n.n)).toBe(asCsv.records.order_items);
    }
  });

  it('refuses to write over an earlier data set unless told to', async () => {
    const out = join(tmp.path, 'fmt-csv');
    const r = await storepulse(['generate', '--out', out, '--orders', '10', '--days', '2', '--quiet']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SP_ERR_OUTPUT_EXISTS');
    const forced = await storepulseJson<GenerateSummary>(['generate', '--out', out, '--orders', '10', '--days', '2', '--force', '--json']);
    expect(forced.records.fx_rates).toBe(10); // 5 currencies × 2 days
  });
});
