// Figure 5, API latency: /api/kpis and a breakdown under a fixed request rate, sent steadily and in autocannon's
// bursts by a load client in a process of its own (bench/lib/http-load.ts), against a serving process whose
// warehouse holds the benchmark's data set.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServe } from '../../test/helpers/serve.js';
import type { LoadResult } from '../lib/http-load.js';

const LOAD = fileURLToPath(new URL('../lib/http-load.ts', import.meta.url));
export const WARMUP_SECONDS = 3;

interface Result extends LoadResult { path: string; rate: number; seconds: number }

/**
 * One load in a process of its own (bench/lib/http-load.ts). Before each sampled load comes a warm-up that is not
 * sampled: a fresh process answers its first requests before V8 has optimised the route, and at 1,000 requests/s
 * those few hundred set the p99 (34 ms for a first 15 s of /api/kpis, 10 ms for a second 15 s against the same
 * process). Its p99 is kept beside the figure.
 */
function load(url: string, rate: number, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD, url, String(rate), String(seconds), String(WARMUP_SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult) : reject(new Error(`the load client exited with ${code}`))));
  });
}

export async function apiLatency(home: string, warehouse: string | undefined, rates: readonly number[], seconds: number): Promise<Result[]> {
  const server = await startServe(home, warehouse ? ['--warehouse', warehouse] : [], { STOREPULSE_LOG_LEVEL: 'warn' });
  const results: Result[] = [];
  try {
    for (const path of ['/api/kpis', '/api/kpis/breakdown?by=channel']) {
      await fetch(`${server.url}${path}`); // the first answer fills the cache; the figure is the steady state (see load)
      for (const rate of rates) {
        results.push({ path, rate, seconds, ...await load(`${server.url}${path}`, rate, seconds) });
      }
    }
  } finally {
    await server.stop();
  }
  return results;
}
