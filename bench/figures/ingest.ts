// Figure 1, ingest throughput: order lines per second from one order_items file of each format into bronze.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storepulse } from '../lib/cli.js';
import { repeat } from '../lib/measure.js';
import type { DataSet } from './data.js';

export async function ingestThroughput(data: DataSet, runs: number) {
  const rows = [];
  for (const format of ['csv', 'ndjson', 'parquet'] as const) {
    const file = join(data[format], `order_items.${format}`);
    let home = '';
    const m = await repeat(runs, async () => {
      if (home) rmSync(home, { recursive: true, force: true });
      home = mkdtempSync(join(tmpdir(), 'sp-bench-ingest-'));
    }, () => storepulse(['ingest', '--quiet', file], home));
    rmSync(home, { recursive: true, force: true });
    rows.push({ size: data.label, format, order_lines: data.orderLines, ms: m.ms, runs_ms: m.runs_ms, lines_per_s: Math.round(data.orderLines / (m.ms / 1000)), max_rss_mib: m.max_rss_mib });
  }
  return rows;
}
