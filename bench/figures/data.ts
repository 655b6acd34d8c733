// The data sets the figures share: one clean generated set per size, in CSV, NDJSON and Parquet, and a by-day
// copy for the incremental figure. Generated once per benchmark run; same seed, so any machine gets the same data.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generate, type GenerateSummary } from '../../src/generate/index.js';

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

export async function makeDataSet(root: string, label: string, orders: number, days: number, log: (m: string) => void): Promise<DataSet> {
  const dir = (f: string) => join(root, `${label}-${f}`);
  const base = { seed: 42, days, orders, force: true };
  let summary: GenerateSummary | undefined;
  for (const format of ['csv', 'ndjson', 'parquet'] as const) {
    if (existsSync(dir(format))) rmSync(dir(format), { recursive: true, force: true });
    log(`generating ${label} (${orders.toLocaleString('en-US')} orders over ${days} days) as ${format}`);
    summary = await generate({ ...base, out: dir(format), format });
  }
  if (existsSync(dir('by-day'))) rmSync(dir('by-day'), { recursive: true, force: true });
  await generate({ ...base, out: dir('by-day'), byDay: true });
  return {
    label, orders, days, csv: dir('csv'), ndjson: dir('ndjson'), parquet: dir('parquet'), byDay: dir('by-day'),
    orderLines: summary!.orderLines, records: Object.values(summary!.records).reduce((a, b) => a + b, 0),
  };
}
