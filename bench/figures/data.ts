// The data sets the figures share: one clean generated set per size. It is generated once, by day (the
// incremental figure needs the days apart); the one-file-per-entity CSV set, and the NDJSON and Parquet files the
// ingest figure and the floor read, are derived from it by DuckDB, which takes seconds where generating each
// format again took minutes at 10M order lines. Same seed, so any machine gets the same data.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { convertFiles } from '../../src/generate/convert.js';
import { generate } from '../../src/generate/index.js';
import { quoteLiteral } from '../../src/warehouse/dialect.js';

export interface DataSet {
  label: string;
  orders: number;
  days: number;
  csv: string;
  ndjson: string;
  parquet: string;
  byDay: string;
  orderLines: number;
  records: number;
}

/** Files the ingest figure reads in every format, and the ones the floor reads as Parquet. */
const INGESTED = ['order_items'];
const FLOOR_INPUTS = ['orders', 'order_items', 'returns', 'fx_rates'];

/** One CSV file per entity, the day files of each concatenated in day order. */
async function joinDays(byDay: string, out: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const entity of readdirSync(byDay).sort()) {
      const days = quoteLiteral(join(byDay, entity, '*.csv'));
      await conn.run(`COPY (SELECT * FROM read_csv(${days}, header = true, all_varchar = true, union_by_name = true, filename = false))
        TO ${quoteLiteral(join(out, `${entity}.csv`))} (HEADER, DELIMITER ',')`);
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

export async function makeDataSet(root: string, label: string, orders: number, days: number, log: (m: string) => void): Promise<DataSet> {
  const dir = (f: string) => join(root, `${label}-${f}`);
  for (const f of ['by-day', 'csv', 'ndjson', 'parquet']) if (existsSync(dir(f))) rmSync(dir(f), { recursive: true, force: true });
  log(`generating ${label} (${orders.toLocaleString('en-US')} orders over ${days} days), one file per entity and day`);
  const summary = await generate({ seed: 42, days, orders, force: true, out: dir('by-day'), byDay: true });
  log(`${label}: one CSV per entity, and ${INGESTED.join(', ')} as NDJSON and Parquet, ${FLOOR_INPUTS.join(', ')} as Parquet`);
  await joinDays(dir('by-day'), dir('csv'));
  const csv = (entities: readonly string[]) => entities.map((e) => join(dir('csv'), `${e}.csv`));
  await convertFiles(csv(INGESTED), dir('csv'), dir('ndjson'), 'ndjson');
  await convertFiles(csv([...new Set([...INGESTED, ...FLOOR_INPUTS])]), dir('csv'), dir('parquet'), 'parquet');
  return {
    label, orders, days, csv: dir('csv'), ndjson: dir('ndjson'), parquet: dir('parquet'), byDay: dir('by-day'),
    orderLines: summary.orderLines, records: Object.values(summary.records).reduce((a, b) => a + b, 0),
  };
}
