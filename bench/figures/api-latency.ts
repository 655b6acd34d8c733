// Figure 5, API latency: /api/kpis and a breakdown under a fixed request rate, measured by autocannon in its
// own process (so the load tool does not share a core with anything else of ours), against a serving process
// whose warehouse holds the benchmark's data set.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServe } from '../../test/helpers/serve.js';

const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

interface Result { path: string; rate: number; seconds: number; requests: number; errors: number; non_2xx: number; p50_ms: number; p99_ms: number; max_ms: number }
interface AutocannonJson { requests: { total: number }; errors: number; non2xx: number; latency: { p50: number; p99: number; max: number } }

function load(url: string, rate: number, seconds: number): Promise<AutocannonJson> {
  const connections = String(Math.min(100, Math.max(10, rate / 20)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AUTOCANNON, '--json', '-R', String(rate), '-c', connections, '-d', String(seconds), url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as AutocannonJson) : reject(new Error(`autocannon exited with ${code}`))));
  });
}

export async function apiLatency(home: string, warehouse: string | undefined, rates: readonly number[], seconds: number): Promise<Result[]> {
  const server = await startServe(home, warehouse ? ['--warehouse', warehouse] : [], { STOREPULSE_LOG_LEVEL: 'warn' });
  const results: Result[] = [];
  try {
    for (const path of ['/api/kpis', '/api/kpis/breakdown?by=channel']) {
      await fetch(`${server.url}${path}`); // the first answer fills the cache; the figure is the steady state
      for (const rate of rates) {
        const r = await load(`${server.url}${path}`, rate, seconds);
        results.push({
          path, rate, seconds, requests: r.requests.total, errors: r.errors, non_2xx: r.non2xx,
          p50_ms: r.latency.p50, p99_ms: r.latency.p99, max_ms: r.latency.max,
        });
      }
    }
  } finally {
    await server.stop();
  }
  return results;
}
