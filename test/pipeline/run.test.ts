import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/index.js';
import { BIN, storepulse, storepulseJson } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'sp-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface RunJson { runId: number | null; status: string; entities: { entity: string; read: number; accepted: number }[]; models: { model: string; mode: string; partitions?: number }[] }

/** Every day file of the generated set, grouped by date. */
function dayFiles(dir: string): Map<string, string[]> {
  const days = new Map<string, string[]>();
  for (const entity of readdirSync(dir)) {
    for (const f of readdirSync(join(dir, entity))) {
      const day = f.slice(0, 10);
      days.set(day, [...(days.get(day) ?? []), join(dir, entity, f)]);
    }
  }
  return new Map([...days.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Distinct order dates of the orders that the given files name (their own orders, and the orders of their lines, shipments and returns). */
async function orderDatesNamedBy(files: readonly string[], days: Map<string, string[]>): Promise<number> {
  const csv = (f: string) => `SELECT order_id FROM read_csv('${f}', header = true, all_varchar = true)`;
  const named = files.filter((f) => /[\\/](orders|order_items|shipments|returns)[\\/]/.test(f)).map(csv).join(' UNION ');
  const allOrders = [...days.values()].flat().filter((f) => /[\\/]orders[\\/]/.test(f))
    .map((f) => `SELECT order_id, order_ts FROM read_csv('${f}', header = true, all_varchar = true)`).join(' UNION ALL ');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const rows = (await conn.runAndReadAll(`SELECT COUNT(DISTINCT CAST(TRY_CAST(o.order_ts AS TIMESTAMPTZ) AS DATE)) AS n
      FROM (${allOrders}) o WHERE o.order_id IN (${named})`)).getRowObjectsJson();
    return Number(rows[0].n);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const kpisByDate = (home: string) => storepulseJson<unknown>(['kpis', '--by', 'date', '--json'], { home });

/** Each gold table's row count and the sum of its rows' hashes: equal for equal tables, whatever the row order. */
async function goldFingerprint(home: string): Promise<Record<string, string>> {
  const db = await DuckDBInstance.create(join(home, 'warehouse.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    const tables = (await conn.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'gold' ORDER BY 1")).getRows().map((r) => String(r[0]));
    const print: Record<string, string> = {};
    for (const t of tables) {
      const [row] = (await conn.runAndReadAll(`SELECT COUNT(*) AS n, SUM(hash(t)) AS h FROM gold.${t} t`)).getRows();
      print[t] = `${String(row[0])} rows, ${String(row[1])}`;
    }
    return print;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('incremental runs', () => {
  const data = join(root, 'days');
  beforeAll(async () => {
    await generate({ out: data, seed: 11, days: 31, orders: 6000, byDay: true, faults: true });
  });

  it('absorbs one more day by reprocessing only that day\'s work, with the same KPIs as a full rebuild', async () => {
    const home = join(root, 'incremental');
    const days = dayFiles(data);
    const dates = [...days.keys()];
    const last = dates[dates.length - 1];
    const earlier = dates.filter((d) => d !== last).flatMap((d) => days.get(d)!);
    expect((await storepulse(['ingest', ...earlier], { home })).code).toBe(0);
    await storepulseJson<RunJson>(['run', '--json'], { home });

    const lastFiles = days.get(last)!;
    const landed = await storepulseJson<{ files: { entity: string; records: number }[] }>(['ingest', '--json', ...lastFiles], { home });
    const second = await storepulseJson<RunJson>(['run', '--json'], { home });
    // Silver reads exactly the new day's records, nothing older.
    const newRecords = new Map<string, number>();
    for (const f of landed.files) newRecords.set(f.entity, (newRecords.get(f.entity) ?? 0) + f.records);
    for (const e of second.entities) expect(e.read, e.entity).toBe(newRecords.get(e.entity) ?? 0);
    // Gold rebuilds only the partitions the day touched: its own date and the order dates of late shipments/returns.
    const byModel = new Map(second.models.map((m) => [m.model, m]));
    expect(byModel.get('gold.fact_order')!.mode).toBe('incremental');
    const revenue = byModel.get('gold.mart_daily_revenue')!;
    expect(revenue.mode).toBe('incremental');
    expect(revenue.partitions!).toBeGreaterThan(0);
    // Late deliveries and returns reach back weeks, so the bound is the order dates the day's files name.
    expect(revenue.partitions!).toBeLessThanOrEqual(await orderDatesNamedBy(lastFiles, days));
    expect(revenue.partitions!).toBeLessThan(dates.length);
    // The last day's stock snapshots re-open two days, theirs and the week before's (whose snapshots they end),
    // not every product's whole history.
    const inventory = byModel.get('gold.fact_inventory_snapshot')!;
    expect(inventory.mode).toBe('incremental');
    expect(inventory.partitions).toBe(2);
    const orders = await storepulseJson<{ kpis: { orders: number } }>(['kpis', '--json', '--from', last, '--to', '2100-01-01'], { home });
    expect(orders.kpis.orders).toBeGreaterThan(0);

    const incremental = await kpisByDate(home);
    const incrementalTables = await goldFingerprint(home);
    expect(Object.keys(incrementalTables).length).toBe(second.models.length);
    const full = await storepulseJson<RunJson>(['run', '--json', '--full-refresh'], { home });
    expect(full.models.every((m) => m.mode === 'full')).toBe(true);
    expect(await kpisByDate(home)).toEqual(incremental);
    // Not only the KPIs: every gold table holds the rows a full rebuild gives it.
    expect(await goldFingerprint(home)).toEqual(incrementalTables);
  });
});

/** `storepulse run`, killed the moment its progress matches `moment`; answers the signal it ended by. */
function runKilledAt(home: string, moment: RegExp): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'run', '--home', home], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise<string>((resolve) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (moment.test(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => resolve(signal ?? 'exited'));
  });
}

describe('atomic and single-writer runs', () => {
  const data = join(root, 'big');
  beforeAll(async () => {
    await generate({ out: data, seed: 5, days: 60, orders: 40000, faults: true });
  });

  async function uninterrupted(): Promise<unknown> {
    const home = join(root, 'reference');
    await storepulse(['ingest', data], { home });
    await storepulseJson(['run', '--json'], { home });
    return kpisByDate(home);
  }

  it('leaves the warehouse as it was when a run is killed part-way; the next run finishes the work', async () => {
    const home = join(root, 'killed');
    expect((await storepulse(['ingest', data], { home })).code).toBe(0);
    // Kill once silver is written and gold is being built: the worst moment.
    expect(await runKilledAt(home, /gold\.fact_order:/)).toBe('SIGKILL');
    const status = await storepulseJson<{ lastRun: unknown; entities: { records: number; unprocessed: number; accepted: number; current: number }[] }>(['status', '--json'], { home });
    expect(status.lastRun).toBeNull();
    for (const e of status.entities) expect(e).toMatchObject({ unprocessed: e.records, accepted: 0, current: 0 });
    expect((await storepulse(['kpis'], { home })).stderr).toContain('SP_ERR_NO_DATA');

    await storepulseJson(['run', '--json'], { home });
    expect(await kpisByDate(home)).toEqual(await uninterrupted());
  });

  it('leaves the warehouse as it was when a first load is killed while it builds tables apart; the next run drops them', async () => {
    // A clean load into empty tables: DuckDB builds silver and gold before the run's transaction (built-apart.ts).
    const clean = join(root, 'clean');
    await generate({ out: clean, seed: 6, days: 20, orders: 4000 });
    const home = join(root, 'killed-apart');
    expect((await storepulse(['ingest', clean], { home })).code).toBe(0);
    expect(await runKilledAt(home, /gold\.fact_order:/)).toBe('SIGKILL');
    const builtApart = async () => {
      const db = await DuckDBInstance.create(join(home, 'warehouse.duckdb'));
      const conn = await db.connect();
      try {
        return (await conn.runAndReadAll(`SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
          WHERE table_name LIKE '%build%' ORDER BY 1`)).getRowObjectsJson().map((r) => String(r.t));
      } finally {
        conn.closeSync();
        db.closeSync();
      }
    };
    // What the killed run had built is there, under names nothing reads.
    expect(await builtApart()).toEqual(expect.arrayContaining(['silver._build_orders', 'gold._build_fact_order', 'gold._build_dim_customer']));
    const status = await storepulseJson<{ lastRun: unknown; entities: { records: number; unprocessed: number; accepted: number; current: number }[] }>(['status', '--json'], { home });
    expect(status.lastRun).toBeNull();
    for (const e of status.entities) expect(e).toMatchObject({ unprocessed: e.records, accepted: 0, current: 0 });
    expect((await storepulse(['kpis'], { home })).stderr).toContain('SP_ERR_NO_DATA');
    expect((await storepulse(['test'], { home })).stderr).toContain('SP_ERR_NO_DATA');

    await storepulseJson(['run', '--json'], { home });
    expect(await builtApart()).toEqual([]);
    const reference = join(root, 'clean-reference');
    await storepulse(['ingest', clean], { home: reference });
    await storepulseJson(['run', '--json'], { home: reference });
    expect(await kpisByDate(home)).toEqual(await kpisByDate(reference));
  });

  it('lets one writer in at a time: a second run fails clearly, or queues with --wait', async () => {
    const home = join(root, 'concurrent');
    expect((await storepulse(['ingest', data], { home })).code).toBe(0);
    const [a, b] = await Promise.all([storepulse(['run'], { home }), storepulse(['run'], { home })]);
    const outcomes = [a, b].map((r) => r.code).sort();
    expect(outcomes).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    // DuckDB names the holder's pid when it knows it.
    expect(loser.stderr).toMatch(/SP_ERR_WAREHOUSE_LOCKED: Another StorePulse process \((pid \d+|another process)\) is writing/);

    const home2 = join(root, 'queued');
    expect((await storepulse(['ingest', data], { home: home2 })).code).toBe(0);
    const both = await Promise.all([storepulse(['run', '--wait', '120'], { home: home2 }), storepulse(['run', '--wait', '120'], { home: home2 })]);
    expect(both.map((r) => r.code)).toEqual([0, 0]);
    expect(both.filter((r) => /Nothing to do/.test(r.stdout))).toHaveLength(1);
    const reference = await kpisByDate(join(root, 'reference'));
    expect(await kpisByDate(home2)).toEqual(reference);
    expect(await kpisByDate(home)).toEqual(reference);
  });
});
