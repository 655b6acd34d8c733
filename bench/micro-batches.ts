// The live loop's steady work without the HTTP load around it: lands micro-batches of orders and their lines (as
// posts do), runs each with its checkpoint held back to the end (as `serve` does), and times apart the run, the
// checkpoint it put off and a snapshot (`serve` publishes it before that checkpoint). Each DuckDB checkpoint
// threshold given gets a fresh warehouse, side by side in one invocation, so what a threshold costs a micro-batch is
// measured rather than hidden in the freshness figure's spread between runs.
//
//   node --import tsx bench/micro-batches.ts [--batches 15] [--orders 10000] [--thresholds 16,128] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHealth } from '../src/api/health.js';
import { getEntity } from '../src/contracts/index.js';
import { ingestRecords } from '../src/ingest/record-ingest.js';
import { queryKpis } from '../src/kpi/kpi-service.js';
import { FreshnessWindow } from '../src/ops/freshness.js';
import { bootstrap } from '../src/pipeline/bootstrap.js';
import { runPipeline } from '../src/pipeline/run.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { describeMachine, percentile } from './lib/machine.js';

const USAGE = `usage: node --import tsx bench/micro-batches.ts [--batches 15] [--orders 10000] [--thresholds 16,128] [--json]
Lands --batches micro-batches of --orders orders and as many lines, each in ten posts, runs each as serve does, and
prints per DuckDB checkpoint threshold (MiB) the run, checkpoint and snapshot times.
`;

/** What one threshold's micro-batches took, in ms. */
interface ThresholdResult {
  threshold_mib: number;
  batches: number;
  orders_per_batch: number;
  run_p50_ms: number | null;
  run_max_ms: number;
  checkpoints: number;
  checkpoint_total_ms: number;
  checkpoint_max_ms: number;
  snapshot_p50_ms: number | null;
  /** Run, checkpoint and snapshot of each micro-batch, in order: the day grows as they go. */
  each_ms: [number, number, number][];
}

/** Below this a held-back checkpoint did not happen (restoring the threshold and looking at the log take ~1 ms). */
const CHECKPOINT_SEEN_MS = 20;

async function measure(thresholdMib: number, batches: number, orders: number): Promise<ThresholdResult> {
  const home = mkdtempSync(join(tmpdir(), 'sp-bench-micro-'));
  const wh = await DuckDBWarehouse.open(join(home, 'warehouse.duckdb'), { checkpointThresholdBytes: thresholdMib * 1024 * 1024 });
  try {
    await bootstrap(wh, 'EUR');
    const day = new Date().toISOString().slice(0, 10);
    const post = { source: 'bench', baseCurrency: 'EUR', lockWaitMs: 60_000 };
    const freshness = new FreshnessWindow();
    const each: [number, number, number][] = [];
    for (let b = 0; b < batches; b++) {
      for (let p = 0; p < 10; p++) {
        const records = Array.from({ length: Math.round(orders / 10) }, (_, i) => ({
          order_id: `m-${b}-${p}-${i}`, customer_id: `C${i % 500}`, order_ts: `${day}T12:00:00Z`, channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
        }));
        await ingestRecords(wh, getEntity('orders')!, records, post);
        await ingestRecords(wh, getEntity('order_items')!, records.map((o) => ({ order_id: o.order_id, line_number: 1, product_id: 'P1', quantity: 1, unit_price: '10.00' })), post);
      }
      const started = performance.now();
      let ran = started;
      await wh.deferCheckpoints(async () => {
        await runPipeline(wh, { baseCurrency: 'EUR', piiKey: 'micro-batch-benchmark-key-0123456789' });
        ran = performance.now();
      });
      const checkpointed = performance.now();
      await queryKpis(wh, {});
      await readHealth(wh, freshness);
      each.push([ran - started, checkpointed - ran, performance.now() - checkpointed].map(Math.round) as [number, number, number]);
      process.stderr.write(`  ${thresholdMib} MiB, micro-batch ${b + 1}/${batches}: run ${each[b][0]} ms, checkpoint ${each[b][1]} ms, snapshot ${each[b][2]} ms\n`);
    }
    const column = (i: number) => each.map((e) => e[i]);
    const checkpoints = column(1).filter((ms) => ms >= CHECKPOINT_SEEN_MS);
    return {
      threshold_mib: thresholdMib, batches, orders_per_batch: orders,
      run_p50_ms: percentile(column(0), 50), run_max_ms: Math.max(...column(0)),
      checkpoints: checkpoints.length, checkpoint_total_ms: checkpoints.reduce((a, b) => a + b, 0), checkpoint_max_ms: Math.max(0, ...checkpoints),
      snapshot_p50_ms: percentile(column(2), 50), each_ms: each,
    };
  } finally {
    await wh.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  const option = (name: string, fallback: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };
  const batches = Number(option('batches', '15'));
  const orders = Number(option('orders', '10000'));
  const thresholds = option('thresholds', '16,128').split(',').map(Number);
  const results: ThresholdResult[] = [];
  for (const t of thresholds) results.push(await measure(t, batches, orders));
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ benchmark: 'micro-batches', machine: describeMachine(), at: new Date().toISOString(), results }) + '\n');
    return;
  }
  for (const r of results) {
    process.stdout.write(`${r.threshold_mib} MiB: run p50 ${r.run_p50_ms} ms (max ${r.run_max_ms}), ${r.checkpoints} checkpoint(s) of ${r.batches} micro-batches, `
      + `${r.checkpoint_total_ms} ms in all (max ${r.checkpoint_max_ms}), snapshot p50 ${r.snapshot_p50_ms} ms\n`);
  }
}

if (process.argv[1]?.endsWith('micro-batches.ts')) await main();
