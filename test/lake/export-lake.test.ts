// The open lake, on every engine: `run --export-lake` after each run, then a fresh DuckDB that knows nothing but
// the lake's folder and manifest reads it back and gets the KPIs the warehouse answers, total and broken down.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LakeManifest } from '../../src/lake/lake-manifest.js';
import { storepulse, storepulseJson, tempDir, type TempDir } from '../helpers/cli.js';
import { ENGINES } from '../helpers/engines.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

interface KpiJson { from: string; to: string; kpis: Record<string, number | null> }
interface RowsJson { rows: Record<string, string | number | null>[] }
interface RunJson { status: string; lake?: { exported: { name: string }[]; kept: string[]; run_id: number } }

/** A DuckDB of its own with a view per lake table, declared from the manifest alone. */
async function openLake(dir: string): Promise<{ conn: DuckDBConnection; manifest: LakeManifest; close(): void }> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as LakeManifest;
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run("SET TimeZone = 'UTC'");
  await conn.run('CREATE SCHEMA silver; CREATE SCHEMA gold');
  for (const t of manifest.tables) {
    const types = t.partition_by.map((p) => `'${p}': '${t.columns.find((c) => c.name === p)!.type}'`).join(', ');
    const hive = t.partition_by.length ? `, hive_partitioning = true, hive_types = {${types}}` : '';
    await conn.run(`CREATE VIEW ${t.name} AS SELECT * FROM read_parquet('${join(dir, t.path)}/**/*.parquet'${hive})`);
  }
  return { conn, manifest, close: () => { conn.closeSync(); db.closeSync(); } };
}

async function lakeKpis(conn: DuckDBConnection, by: string | undefined, from: string, to: string): Promise<Record<string, unknown>[]> {
  // The product's one KPI query, run on the lake's tables instead of the warehouse's.
  const { kpiQuery } = await import('../../src/kpi/kpi-sql.js');
  const { duckdbDialect } = await import('../../src/warehouse/duckdb/duckdb-dialect.js');
  // The window is the data's own, as the CLI's answer without --from and --to.
  const q = kpiQuery({ from, to, by: by as never, allData: true }, duckdbDialect);
  const r = await conn.runAndReadAll(q.sql, q.params as never);
  return r.getRowObjectsJson() as Record<string, unknown>[];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

describe.each(ENGINES)('the Parquet lake of $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let tmp: TempDir;
  let db: TestDatabase | undefined;
  let args: string[];
  const lake = () => join(tmp.path, 'lake');
  beforeAll(async () => {
    tmp = tempDir(`sp-lake-${engine.name}`);
    if (engine.name === 'postgres') db = await createTestDatabase('lake');
    args = db ? ['--warehouse', db.url] : [];
    const gen = await storepulse(['generate', '--out', join(tmp.path, 'data'), '--orders', '300', '--days', '8', '--faults', '--by-day', '--quiet']);
    expect(gen.code, gen.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
    tmp?.cleanup();
  });

  const days = (from: number, to: number) => readdirSync(join(tmp.path, 'data')).flatMap((entity) =>
    readdirSync(join(tmp.path, 'data', entity)).filter((f) => { const d = Number(f.slice(8, 10)); return d >= from && d < to; })
      .map((f) => join(tmp.path, 'data', entity, f)));

  async function ingestAndRun(files: string[]): Promise<RunJson> {
    const r = await storepulse([...args, 'ingest', '--quiet', ...files], { home: tmp.path });
    expect([0, 2], r.stderr).toContain(r.code);
    return storepulseJson<RunJson>([...args, 'run', '--json', '--quiet', '--export-lake', lake()], { home: tmp.path });
  }

  async function expectSameKpis(breakdowns: readonly ('channel' | 'date')[]): Promise<void> {
    const cli = await storepulseJson<KpiJson>([...args, 'kpis', '--json'], { home: tmp.path });
    const l = await openLake(lake());
    try {
      const [total] = await lakeKpis(l.conn, undefined, cli.from, cli.to);
      for (const [k, v] of Object.entries(cli.kpis)) expect(num(total[k]), k).toBe(v);
      expect(cli.kpis.orders).toBeGreaterThan(0);
      for (const by of breakdowns) {
        const rows = (await storepulseJson<RowsJson>([...args, 'kpis', '--json', '--by', by], { home: tmp.path })).rows;
        const mine = await lakeKpis(l.conn, by, cli.from, cli.to);
        expect(mine.length, by).toBe(rows.length);
        for (const row of rows) {
          const other = mine.find((m) => String(m.grp) === String(row[by]))!;
          expect(other, `${by} ${row[by]}`).toBeDefined();
          for (const k of Object.keys(cli.kpis)) expect(num(other[k]), `${by} ${row[by]} ${k}`).toBe(row[k]);
        }
      }
      // Silver too: counted orders per the day column the lake adds, straight from the files.
      const [{ n }] = (await l.conn.runAndReadAll(`SELECT COUNT(*) AS n FROM silver.orders
        WHERE status <> 'cancelled' AND order_date >= DATE '${cli.from}' AND order_date < DATE '${cli.to}'`)).getRowObjectsJson() as { n: string }[];
      expect(Number(n)).toBe(cli.kpis.orders);
    } finally {
      l.close();
    }
  }

  it('holds the warehouse\'s KPIs after the first run', async () => {
    const run = await ingestAndRun(days(1, 5));
    expect(run.status).toBe('succeeded');
    expect(run.lake!.kept).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(lake(), 'manifest.json'), 'utf8')) as LakeManifest;
    expect(manifest.run_id).toBe(run.lake!.run_id);
    const factOrder = manifest.tables.find((t) => t.name === 'gold.fact_order')!;
    expect(factOrder.partition_by).toEqual(['order_date']);
    expect(readdirSync(join(lake(), factOrder.path)).filter((d) => d.startsWith('order_date=')).length).toBe(4);
    expect(manifest.tables.find((t) => t.name === 'gold.dim_customer')!.partition_by).toEqual([]);
    await expectSameKpis(['channel', 'date']);
  });

  it('is brought up to date by the next run, rewriting only what it changed', async () => {
    const run = await ingestAndRun(days(5, 32));
    expect(run.lake!.exported.map((t) => t.name)).toContain('gold.fact_order');
    await expectSameKpis(['date']);
    // A run with nothing new writes nothing.
    const idle = await storepulseJson<RunJson>([...args, 'run', '--json', '--quiet', '--export-lake', lake()], { home: tmp.path });
    expect(idle.status).toBe('nothing_to_do');
    expect(idle.lake!.exported).toEqual([]);
  });

  it('is written whole by export-lake, the same tables again', async () => {
    const out = join(tmp.path, 'lake2');
    const r = await storepulseJson<{ exported: { name: string; rows: number }[] }>([...args, 'export-lake', '--to', out, '--json'], { home: tmp.path });
    const first = JSON.parse(readFileSync(join(lake(), 'manifest.json'), 'utf8')) as LakeManifest;
    expect(r.exported.map((t) => [t.name, t.rows])).toEqual(first.tables.map((t) => [t.name, t.rows]));
  });
});
