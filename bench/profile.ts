// `node --import tsx bench/profile.ts --home DIR [--warehouse URL] [--full-refresh] [--top N] [--json]`: one
// `storepulse run` over what landed in DIR, with every statement the pipeline sends through the warehouse timed.
// Prints the slowest statements, each under the step (the progress line) it belongs to, and each step's total, so
// the largest item of a run is found before anything is changed. It changes the warehouse as a run does: profile a
// copy of the home. The close (DuckDB's checkpoint) is timed apart from the run.
import { ignoreClosedStdout } from '../src/cli/closed-pipe.js';
import { PII_SECRET, resolveSecret } from '../src/home/secrets.js';
import { runPipeline } from '../src/pipeline/run.js';
import { openWarehouse } from '../src/warehouse/open.js';
import type { Warehouse } from '../src/warehouse/engine.js';
import { flushHome } from './lib/flush-home.js';

export interface StatementTime {
  /** The progress line the statement came before (the step that ran it). */
  step: string;
  sql: string;
  ms: number;
}

/** A warehouse whose run/all calls are timed into `times`, each under the current value of `step()`. */
export function timedWarehouse(wh: Warehouse, step: () => string, times: StatementTime[]): Warehouse {
  const timed = <A extends unknown[], R>(fn: (sql: string, ...rest: A) => Promise<R>) => async (sql: string, ...rest: A): Promise<R> => {
    const t0 = performance.now();
    try {
      return await fn(sql, ...rest);
    } finally {
      times.push({ step: step(), sql, ms: performance.now() - t0 });
    }
  };
  return new Proxy(wh, {
    get(target, prop, receiver) {
      if (prop === 'run') return timed(target.run.bind(target));
      if (prop === 'all') return timed(target.all.bind(target));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Statements grouped by step: each step's total and its slowest statements, slowest step first. */
export function summarise(times: readonly StatementTime[], top: number): { step: string; ms: number; statements: number; slowest: StatementTime[] }[] {
  const steps = new Map<string, StatementTime[]>();
  for (const t of times) {
    if (!steps.has(t.step)) steps.set(t.step, []);
    steps.get(t.step)!.push(t);
  }
  return [...steps].map(([step, ts]) => ({
    step, ms: ts.reduce((a, t) => a + t.ms, 0), statements: ts.length, slowest: [...ts].sort((a, b) => b.ms - a.ms).slice(0, top),
  })).sort((a, b) => b.ms - a.ms);
}

/**
 * A warehouse that times each statement under the step it belongs to (the step whose progress line comes after it:
 * each step reports when it ends), the onProgress that tells it, and the times once the run is over.
 */
export function stepTimer(wh: Warehouse): { wh: Warehouse; onProgress: (line: string) => void; times: () => StatementTime[] } {
  const times: StatementTime[] = [];
  const pending: StatementTime[] = [];
  return {
    wh: timedWarehouse(wh, () => '(running)', pending),
    // "gold.fact_order: 10 of 10 tests passed", then "gold.fact_order: incremental, …": both are the model's.
    onProgress: (line) => { times.push(...pending.splice(0).map((t) => ({ ...t, step: line.split(':')[0] }))); },
    times: () => [...times, ...pending.map((t) => ({ ...t, step: '(after the last step)' }))],
  };
}

const oneLine = (sql: string, width: number) => sql.replace(/\s+/g, ' ').trim().slice(0, width);

async function main(): Promise<void> {
  ignoreClosedStdout();
  const argv = process.argv.slice(2);
  const option = (name: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
  const home = option('home');
  if (!home || argv.includes('--help')) {
    process.stderr.write('usage: node --import tsx bench/profile.ts --home DIR [--warehouse URL] [--full-refresh] [--top N] [--json]\n'
      + 'Runs the pipeline once over DIR (a copy: it changes the warehouse as `storepulse run` does) and prints its statements\' times by step.\n');
    process.exit(argv.includes('--help') ? 0 : 2);
  }
  const top = Number(option('top') ?? 3);
  if (!option('warehouse')) flushHome(home);
  const wh = await openWarehouse({ home, warehouse: option('warehouse') });
  const timer = stepTimer(wh);
  const started = performance.now();
  let ran = started;
  try {
    await runPipeline(timer.wh, {
      baseCurrency: process.env.STOREPULSE_BASE_CURRENCY ?? 'EUR', fullRefresh: argv.includes('--full-refresh'), piiKey: resolveSecret(PII_SECRET, home),
      onProgress: timer.onProgress,
    });
    ran = performance.now();
  } finally {
    await wh.close();
  }
  const times = timer.times();
  const wall = performance.now() - started;
  const closeMs = Math.round(performance.now() - ran);
  const steps = summarise(times, top);
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ wall_ms: Math.round(wall), close_ms: closeMs, statements: times.length, steps }) + '\n');
    return;
  }
  const timedMs = times.reduce((a, t) => a + t.ms, 0);
  process.stdout.write(`run ${(wall / 1000).toFixed(1)} s, ${times.length} statements timed (${(timedMs / 1000).toFixed(1)} s of it), `
    + `the close and its checkpoint ${(closeMs / 1000).toFixed(1)} s\n`);
  for (const s of steps) {
    process.stdout.write(`${(s.ms / 1000).toFixed(2).padStart(7)} s  ${s.step} (${s.statements} statements)\n`);
    for (const t of s.slowest) process.stdout.write(`${String(Math.round(t.ms)).padStart(14)} ms  ${oneLine(t.sql, 140)}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
