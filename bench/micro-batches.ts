// The live loop's steady work without the HTTP load around it: lands micro-batches of orders and their lines (as
// posts do), runs each with its checkpoint held back to the end (as `serve` does), and times apart the run, the
// checkpoint it put off and a snapshot (`serve` publishes it before that checkpoint). Each DuckDB checkpoint
// threshold given gets a fresh warehouse, side by side in one invocation, so what a threshold costs a micro-batch is
// measured rather than hidden in the freshness figure's spread between runs. With --home, the micro-batches go onto a
// copy of a built home (its last day, its products and customers) instead of an empty warehouse, and --steps N shows
// the run's N slowest steps in the first and the last micro-batch: what grows as the day does.
//
//   node --import tsx bench/micro-batches.ts [--batches 15] [--orders 10000] [--thresholds 16,128] [--home DIR] [--steps N] [--json]
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHealth } from '../src/api/health.js';
import { getEntity } from '../src/contracts/index.js';
import { PII_SECRET, resolveSecret } from '../src/home/secrets.js';
import { ingestRecords } from '../src/ingest/record-ingest.js';
import { queryKpis } from '../src/kpi/kpi-service.js';
import { FreshnessWindow } from '../src/ops/freshness.js';
import { bootstrap } from '../src/pipeline/bootstrap.js';
import { runPipeline } from '../src/pipeline/run.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { flushHome } from './lib/flush-home.js';
import { describeMachine, percentile } from './lib/machine.js';
import { stepTimer, summarise } from './profile.js';

const USAGE = `usage: node --import tsx bench/micro-batches.ts [--batches 15] [--orders 10000] [--thresholds 16,128] [--home DIR] [--steps N] [--json]
Lands --batches micro-batches of --orders orders and as many lines, each in ten posts, runs each as serve does, and
prints per DuckDB checkpoint threshold (MiB) the run, checkpoint and snapshot times. --home DIR: onto a copy of that
built home (left as it is) instead of an empty warehouse; --steps N: the run's N slowest steps, first and last batch.
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
  /** The last micro-batch's slowest steps (--steps), with what each took in the first. */
  steps: { step: string; first_ms: number; last_ms: number; statements: number }[];
}

/** What the posts are made of: the day they fall on, and the customers and products they name. */
interface World {
  day: string;
  customers: string[];
  products: string[];
}

/** A built home's last order day, and its customers and current products. */
async function builtWorld(wh: DuckDBWarehouse): Promise<World> {
  const [{ day }] = await wh.all<{ day: string }>('SELECT CAST(MAX(order_date) AS VARCHAR) AS day FROM gold.fact_order');
  const customers = (await wh.all<{ id: string }>('SELECT customer_id AS id FROM gold.dim_customer ORDER BY customer_id LIMIT 20000')).map((r) => r.id);
  const products = (await wh.all<{ id: string }>('SELECT product_id AS id FROM gold.dim_product WHERE is_current ORDER BY product_id')).map((r) => r.id);
  return { day, customers, products };
}

/** The time of each step of one run (a step's statements come before its progress line). */
async function timedRun(wh: DuckDBWarehouse, piiKey: string): Promise<Map<string, { ms: number; statements: number }>> {
  const timer = stepTimer(wh);
  await runPipeline(timer.wh, { baseCurrency: 'EUR', piiKey, onProgress: timer.onProgress });
  return new Map(summarise(timer.times(), 0).map((s) => [s.step, { ms: Math.round(s.ms), statements: s.statements }]));
}

/** Below this a held-back checkpoint did not happen (restoring the threshold and looking at the log take ~1 ms). */
const CHECKPOINT_SEEN_MS = 20;

async function measure(thresholdMib: number, batches: number, orders: number, from: string | undefined, stepCount: number): Promise<ThresholdResult> {
  const home = mkdtempSync(join(tmpdir(), 'sp-bench-micro-'));
  if (from) {
    cpSync(from, home, { recursive: true });
    flushHome(home);
  }
  const wh = await DuckDBWarehouse.open(join(home, 'warehouse.duckdb'), { checkpointThresholdBytes: thresholdMib * 1024 * 1024 });
  try {
    if (!from) await bootstrap(wh, 'EUR');
    const { day, customers, products }: World = from ? await builtWorld(wh)
      : { day: new Date().toISOString().slice(0, 10), customers: Array.from({ length: 500 }, (_, i) => `C${i}`), products: ['P1'] };
    // A built home's own key, or its customers' tokens would all change.
    const piiKey = from ? resolveSecret(PII_SECRET, home) : 'micro-batch-benchmark-key-0123456789';
    const stepTimes: Map<string, { ms: number; statements: number }>[] = [];
    const post = { source: 'bench', baseCurrency: 'EUR', lockWaitMs: 60_000 };
    const freshness = new FreshnessWindow();
    const each: [number, number, number][] = [];
    for (let b = 0; b < batches; b++) {
      for (let p = 0; p < 10; p++) {
        const records = Array.from({ length: Math.round(orders / 10) }, (_, i) => ({
          order_id: `m-${b}-${p}-${i}`, customer_id: customers[(b * 7919 + p * 131 + i) % customers.length], order_ts: `${day}T12:00:00Z`,
          channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
        }));
        await ingestRecords(wh, getEntity('orders')!, records, post);
        await ingestRecords(wh, getEntity('order_items')!, records.map((o, i) => ({
          order_id: o.order_id, line_number: 1, product_id: products[(i * 37 + b) % products.length], quantity: 1, unit_price: '10.00',
        })), post);
      }
      const started = performance.now();
      let ran = started;
      await wh.deferCheckpoints(async () => {
        if (stepCount > 0) stepTimes.push(await timedRun(wh, piiKey));
        else await runPipeline(wh, { baseCurrency: 'EUR', piiKey });
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
      steps: stepCount > 0 ? slowestSteps(stepTimes[0], stepTimes[stepTimes.length - 1], stepCount) : [],
    };
  } finally {
    await wh.close();
    rmSync(home, { recursive: true, force: true });
  }
}

function slowestSteps(first: Map<string, { ms: number }>, last: Map<string, { ms: number; statements: number }>, n: number) {
  return [...last].sort((a, b) => b[1].ms - a[1].ms).slice(0, n)
    .map(([step, t]) => ({ step, first_ms: first.get(step)?.ms ?? 0, last_ms: t.ms, statements: t.statements }));
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
  const from = argv.includes('--home') ? option('home', '') : undefined;
  const stepCount = Number(option('steps', '0'));
  const results: ThresholdResult[] = [];
  for (const t of thresholds) results.push(await measure(t, batches, orders, from, stepCount));
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ benchmark: 'micro-batches', machine: describeMachine(), at: new Date().toISOString(), results }) + '\n');
    return;
  }
  for (const r of results) {
    process.stdout.write(`${r.threshold_mib} MiB: run p50 ${r.run_p50_ms} ms (max ${r.run_max_ms}), ${r.checkpoints} checkpoint(s) of ${r.batches} micro-batches, `
      + `${r.checkpoint_total_ms} ms in all (max ${r.checkpoint_max_ms}), snapshot p50 ${r.snapshot_p50_ms} ms\n`);
    for (const s of r.steps) {
      process.stdout.write(`  ${s.step.padEnd(32)} ${String(s.first_ms).padStart(6)} ms in the first micro-batch, ${String(s.last_ms).padStart(6)} ms in the last (${s.statements} statements)\n`);
    }
  }
}

if (process.argv[1]?.endsWith('micro-batches.ts')) await main();
