// The data sets the figures share: one clean generated set per size. It is generated once, by day (the
// incremental figure needs the days apart); the one-file-per-entity CSV set, and the NDJSON and Parquet files the
// ingest figure and the floor read, are derived from it by DuckDB, which takes seconds where generating each
// format again took minutes at 10M order lines. Same seed, so any machine gets the same data. Only the copies the
// chosen figures read are made, and each is removed once no step left reads it (bench/lib/data-copies.ts).
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { convertFiles } from '../../src/generate/convert.js';
import { generate } from '../../src/generate/index.js';
import { quoteLiteral } from '../../src/warehouse/dialect.js';
import { COPIES, type Copy } from '../lib/data-copies.js';

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

/**
 * Generates the set by day, and derives from it the other copies in `copies` (the CSV set when any is asked for:
 * the others are converted from it). The by-day and CSV copies are made whether asked for or not: the caller
 * releases those no step reads (`releaseCopies`).
 */
export async function makeDataSet(root: string, label: string, orders: number, days: number, copies: ReadonlySet<Copy>, log: (m: string) => void): Promise<DataSet> {
  const dir = (f: string) => join(root, `${label}-${f}`);
  for (const f of ['by-day', 'csv', 'ndjson', 'parquet']) if (existsSync(dir(f))) rmSync(dir(f), { recursive: true, force: true });
  log(`generating ${label} (${orders.toLocaleString('en-US')} orders over ${days} days), one file per entity and day`);
  const summary = await generate({ seed: 42, days, orders, force: true, out: dir('by-day'), byDay: true });
  const data: DataSet = {
    label, orders, days, csv: dir('csv'), ndjson: dir('ndjson'), parquet: dir('parquet'), byDay: dir('by-day'),
    orderLines: summary.orderLines, records: Object.values(summary.records).reduce((a, b) => a + b, 0),
  };
  const derived = (['csv', 'ndjson', 'parquet'] as const).filter((c) => copies.has(c));
  if (derived.length) {
    log(`${label}: ${derived.join(', ')} copies (${INGESTED.join(', ')} as NDJSON; ${[...new Set([...INGESTED, ...FLOOR_INPUTS])].join(', ')} as Parquet)`);
    await joinDays(dir('by-day'), dir('csv'));
    const csv = (entities: readonly string[]) => entities.map((e) => join(dir('csv'), `${e}.csv`));
    if (copies.has('ndjson')) await convertFiles(csv(INGESTED), dir('csv'), dir('ndjson'), 'ndjson');
    if (copies.has('parquet')) await convertFiles(csv([...new Set([...INGESTED, ...FLOOR_INPUTS])]), dir('csv'), dir('parquet'), 'parquet');
  }
  return data;
}

/** Removes every copy of the data set not in `keep`, and returns the ones it removed. */
export function releaseCopies(data: DataSet, keep: ReadonlySet<Copy>): Copy[] {
  const removed = COPIES.filter((c) => !keep.has(c) && existsSync(data[c]));
  for (const c of removed) rmSync(data[c], { recursive: true, force: true });
  return removed;
}
