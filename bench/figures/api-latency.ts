// Figure 5, API latency: /api/kpis and a breakdown under a fixed request rate, measured by autocannon in its
// own process (so the load tool does not share a core with anything else of ours), against a serving process
// whose warehouse holds the benchmark's data set.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServe } from '../../test/helpers/serve.js';

const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));
export const WARMUP_SECONDS = 3;

interface Result {
  path: string; rate: number; seconds: number; requests: number; errors: number; non_2xx: number; p50_ms: number; p99_ms: number; max_ms: number;
  /** The p99 of the warm-up, which is not part of the figure but is what a freshly started process answers. */
  warmup_p99_ms: number | null;
}
interface Latency { p50: number; p99: number; max: number }
interface AutocannonJson { requests: { total: number }; errors: number; non2xx: number; latency: Latency; warmup?: { latency: Latency } }

function load(url: string, rate: number, seconds: number): Promise<AutocannonJson> {
  const connections = String(Math.min(100, Math.max(10, rate / 20)));
  return new Promise((resolve, reject) => {
    // The warm-up is not sampled: a fresh process answers its first requests before V8 has optimised the route,
    // and at 1,000 requests/s those few hundred set the p99 (34 ms for a first 15 s of /api/kpis, 10 ms for a
    // second 15 s against the same process). Its p99 is kept beside the figure. autocannon prints the warm-up's
    // answer first and the sampled one (which holds both) last.
    const warmup = ['--warmup', '[', '-c', connections, '-d', String(WARMUP_SECONDS), ']'];
    const child = spawn(process.execPath, [AUTOCANNON, '--json', '-R', String(rate), '-c', connections, '-d', String(seconds), ...warmup, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as AutocannonJson) : reject(new Error(`autocannon exited with ${code}`))));
  });
}

export async function apiLatency(home: string, warehouse: string | undefined, rates: readonly number[], seconds: number): Promise<Result[]> {
  const server = await startServe(home, warehouse ? ['--warehouse', warehouse] : [], { STOREPULSE_LOG_LEVEL: 'warn' });
  const results: Result[] = [];
  try {
    for (const path of ['/api/kpis', '/api/kpis/breakdown?by=channel']) {
      await fetch(`${server.url}${path}`); // the first answer fills the cache; the figure is the steady state (see load)
      for (const rate of rates) {
        const r = await load(`${server.url}${path}`, rate, seconds);
        results.push({
          path, rate, seconds, requests: r.requests.total, errors: r.errors, non_2xx: r.non2xx,
          p50_ms: r.latency.p50, p99_ms: r.latency.p99, max_ms: r.latency.max, warmup_p99_ms: r.warmup?.latency.p99 ?? null,
        });
      }
    }
  } finally {
    await server.stop();
  }
  return results;
}
