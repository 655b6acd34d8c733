// Freshness under load: a client on loopback posts orders (with their lines) at a fixed rate to `storepulse
// serve` for a bounded time and measures, for every post, the delay until a published snapshot counts it.
// The same load runs against the DuckDB and the PostgreSQL warehouse, side by side.
//
//   node --import tsx bench/freshness.ts [--rates 1000,5000] [--seconds 20] [--engines duckdb,postgres] [--tick MS] [--out FILE]
// (or through `npm run bench:freshness`, which builds first)
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServedProcess } from '../test/helpers/serve.js';
import { describeMachine, percentile } from './lib/machine.js';
import { scratchDatabase } from './lib/postgres.js';

interface Options { rates: number[]; seconds: number; engines: string[]; out?: string; tickMs: number }

function parseArgs(argv: string[]): Options {
  const get = (name: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
  return {
    rates: (get('rates') ?? '1000,5000').split(',').map(Number),
    seconds: Number(get('seconds') ?? 20),
    engines: (get('engines') ?? 'duckdb,postgres').split(','),
    out: get('out'),
    tickMs: Number(get('tick') ?? 100),
  };
}

interface Sample { sentAt: number; cumulative: number }

async function watch(url: string, onOrders: (orders: number, at: number) => void, signal: AbortSignal): Promise<void> {
  const res = await fetch(`${url}/api/stream`, { signal });
  const reader = res.body!.getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += Buffer.from(value).toString();
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data) onOrders((JSON.parse(data.slice(6)) as { kpis: { orders: number } | null }).kpis?.orders ?? 0, Date.now());
      }
    }
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}

async function post(url: string, entity: string, records: unknown[]): Promise<void> {
  const res = await fetch(`${url}/api/ingest/${entity}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
  if (res.status !== 202) throw new Error(`${entity}: ${res.status} ${await res.text()}`);
}

/** Ticks whose posts may be awaiting their answers at once; a tick that finds this many waits, and counts as late. */
const MAX_TICKS_IN_FLIGHT = 32;

/**
 * One bounded load at one rate; returns delays in ms (a tick's scheduled send → first snapshot that counts it).
 * The load is open: each tick's posts start on schedule whether or not earlier ones were answered, so a service
 * that falls behind shows as growing delays and a lower accepted rate, not as a client that quietly sends less
 * (a client that waited for each answer before its next tick measured its own pace, and was late on up to a third
 * of its ticks at 1,000 orders/s).
 */
async function load(server: ServedProcess, rate: number, seconds: number, tickMs: number, prefix: string) {
  const samples: Sample[] = [];
  const delays: number[] = [];
  const postMs: number[] = [];
  let baseline = -1;
  let next = 0;
  let doneSending = false;
  const controller = new AbortController();
  const seen = new Promise<void>((resolve) => {
    void watch(server.url, (orders, at) => {
      if (baseline < 0) { baseline = orders; return; }
      while (next < samples.length && orders - baseline >= samples[next].cumulative) {
        delays.push(at - samples[next].sentAt);
        next++;
      }
      if (doneSending && next === samples.length) resolve();
    }, controller.signal);
  });
  await new Promise((r) => setTimeout(r, 500)); // the stream's first snapshot sets the baseline
  let sent = 0;
  let late = 0;
  let failure: unknown;
  const inFlight = new Set<Promise<void>>();
  const perTick = (rate * tickMs) / 1000;
  const started = Date.now();
  const day = new Date().toISOString().slice(0, 10);
  for (let tick = 0; tick * tickMs < seconds * 1000; tick++) {
    const due = started + tick * tickMs;
    if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
    if (inFlight.size >= MAX_TICKS_IN_FLIGHT) await Promise.race(inFlight);
    if (Date.now() - due > tickMs) late++;
    const count = Math.round(perTick * (tick + 1)) - Math.round(perTick * tick);
    const orders = Array.from({ length: count }, (_, i) => ({
      order_id: `${prefix}-${tick}-${i}`, customer_id: `C${i % 500}`, order_ts: `${day}T12:00:00Z`, channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
    }));
    sent += count;
    samples.push({ sentAt: due, cumulative: sent });
    const posted: Promise<void> = (async () => {
      const t = Date.now();
      // A tick's lines follow its orders, as a shop sends them.
      await post(server.url, 'orders', orders);
      await post(server.url, 'order_items', orders.map((o) => ({ order_id: o.order_id, line_number: 1, product_id: 'P1', quantity: 1, unit_price: '10.00' })));
      postMs.push(Date.now() - t);
    })().catch((e: unknown) => { failure ??= e; }).finally(() => inFlight.delete(posted));
    inFlight.add(posted);
  }
  await Promise.all(inFlight);
  if (failure) {
    controller.abort();
    throw failure;
  }
  // Orders the service took in per second, from the first post to the last answer.
  const elapsed = (Date.now() - started) / 1000;
  doneSending = true;
  const drained = await Promise.race([seen.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
  controller.abort();
  const achieved = Math.round(sent / elapsed);
  return {
    rate, seconds: elapsed, sent, achieved_rate: achieved,
    p50_ms: percentile(delays, 50), p95_ms: percentile(delays, 95), p99_ms: percentile(delays, 99),
    kept_up: drained && late < 0.05 * samples.length && achieved >= 0.95 * rate,
    late_ticks: late,
    post_p50_ms: percentile(postMs, 50), post_p95_ms: percentile(postMs, 95),
  };
}

export async function freshnessBenchmark(opts: Pick<Options, 'rates' | 'seconds' | 'engines' | 'tickMs'>): Promise<Record<string, unknown>[]> {
  const results: Record<string, unknown>[] = [];
  for (const engine of opts.engines) {
    const home = mkdtempSync(join(tmpdir(), `sp-bench-fresh-${engine}-`));
    let drop: (() => Promise<void>) | undefined;
    // The home (and PostgreSQL's database) go whatever happens: a service that failed to start left them behind.
    try {
      const extra: string[] = [];
      if (engine === 'postgres') {
        try {
          const db = await scratchDatabase('sp_bench_fresh');
          extra.push('--warehouse', db.url);
          drop = db.drop;
        } catch (e) {
          process.stderr.write(`skipping postgres: ${(e as Error).message}\n`);
          continue;
        }
      }
      const server = await startServe(home, [...extra, '--min-interval', '100'], { STOREPULSE_LOG_LEVEL: 'warn' });
      try {
        for (const rate of opts.rates) {
          process.stderr.write(`${engine}: ${rate} orders/s for ${opts.seconds} s …\n`);
          const r = await load(server, rate, opts.seconds, opts.tickMs, `${engine}-${rate}`);
          const health = await (await fetch(`${server.url}/api/health`)).json() as { freshness: unknown };
          results.push({ engine, ...r, server_freshness: health.freshness });
          process.stderr.write(`  sent ${r.sent} (${r.achieved_rate}/s): p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms, p99 ${r.p99_ms} ms, kept up: ${r.kept_up} (a tick's posts: p95 ${r.post_p95_ms} ms)\n`);
        }
      } finally {
        await server.stop();
      }
    } finally {
      await drop?.();
      rmSync(home, { recursive: true, force: true });
    }
  }
  return results;
}

const USAGE = `usage: node --import tsx bench/freshness.ts [--rates 1000,5000] [--seconds 20] [--engines duckdb,postgres] [--tick MS] [--out FILE]
Posts orders to \`storepulse serve\` at each rate for the given seconds and reports the delay until a snapshot counts them.
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  const opts = parseArgs(process.argv.slice(2));
  const machine = describeMachine();
  const results = await freshnessBenchmark(opts);
  const report = { benchmark: 'freshness', command: `npm run bench:freshness -- ${process.argv.slice(2).join(' ')}`.trim(), machine, at: new Date().toISOString(), results };
  const out = opts.out ?? join('bench', 'results', `${report.at.slice(0, 10)}-${machine.host}-freshness.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nwritten to ${out}\n`);
}

if (process.argv[1]?.endsWith('freshness.ts')) await main();
