// The API latency figure's load, run as a process of its own (`node --import tsx bench/lib/http-load.ts URL RATE
// SECONDS WARMUP_SECONDS`, one JSON line out) so that it shares no event loop with the service it measures.
//
// Two loads at the same rate, one after the other (finding 36):
// - steady: requests sent at an even pace, each on schedule whether or not earlier ones were answered (an open
//   load, as wrk2 sends it); this is "N requests per second", and its p50/p99 are the figure;
// - bursts: autocannon's fixed rate, which spreads the rate over 10 to 100 connections and lets each send its share
//   of every second back to back from the start of the second, so the whole second's requests arrive within its
//   first tens of milliseconds and wait in line for one another. Its p99 is kept beside the figure.
// The burst p99 is taken here from every answer rather than from autocannon's summary: autocannon 9 corrects for
// coordinated omission with an expected interval of ceil(1 / rate), rate being one connection's requests per
// second, which makes it 1 ms instead of 1000 / rate ms (50 ms at 1,000 requests/s over 50 connections) and counts
// an answer of 10 ms as ten answers of 10, 9, … 1 ms. Here the correction uses the right interval. At these rates
// the two differ by a few milliseconds at most; autocannon's own p99 is kept in the JSON.
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { percentile } from './machine.js';

export interface LoadResult {
  /** The steady load's requests, failures and percentiles, each latency from the request's scheduled time. */
  requests: number;
  errors: number;
  non_2xx: number;
  p50_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  /** The p99 of the steady warm-up (not part of the figure: what a freshly started process answers). */
  warmup_p99_ms: number | null;
  /** The same rate sent in autocannon's bursts: its p99, and its requests that failed or were not 2xx. */
  bursts_p99_ms: number | null;
  bursts_failed: number;
  /** autocannon's own p99 of the bursts, with its 1 ms interval. */
  autocannon_p99_ms: number;
}

/** Connections autocannon spreads a rate over: 20 requests/s each, between 10 and 100. */
export const connectionsFor = (rate: number) => Math.min(100, Math.max(10, Math.round(rate / 20)));

/**
 * Latencies with coordinated omission corrected as HdrHistogram's recordValueWithExpectedInterval does: a response
 * slower than the interval at which its connection should have sent stands also for the requests it held back,
 * each waiting one interval less.
 */
export function correctedLatencies(latencies: readonly number[], intervalMs: number): number[] {
  const out: number[] = [];
  for (const ms of latencies) {
    out.push(ms);
    for (let missed = ms - intervalMs; missed >= intervalMs; missed -= intervalMs) out.push(missed);
  }
  return out;
}

interface Sample { latencies: number[]; errors: number; non2xx: number }

/**
 * Requests at an even pace over keep-alive connections opened as needed. Each latency runs from the request's
 * scheduled time, so a client that fell behind counts its own lateness against the service instead of hiding it.
 */
export async function steadyLoad(url: string, rate: number, seconds: number): Promise<Sample> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const sample: Sample = { latencies: [], errors: 0, non2xx: 0 };
  const answered: Promise<void>[] = [];
  const send = (due: number) => answered.push(new Promise<void>((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode! >= 200 && res.statusCode! < 300) sample.latencies.push(performance.now() - due);
        else sample.non2xx++;
        resolve();
      });
    });
    req.on('error', () => { sample.errors++; resolve(); });
    req.end();
  }));
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const dueAt = (i: number) => start + (i * 1000) / rate;
  for (let i = 0; i < total;) {
    const now = performance.now();
    for (; i < total && dueAt(i) <= now; i++) send(dueAt(i));
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(0, dueAt(i) - performance.now())));
  }
  await Promise.all(answered);
  agent.destroy();
  return sample;
}

/** autocannon's fixed rate (bursts at the start of every second), its answers' latencies recorded here. */
function burstLoad(url: string, rate: number, seconds: number): Promise<Sample & { autocannonP99: number }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, overallRate: rate, connections: connectionsFor(rate), duration: seconds }, (err, result) => (err
      ? reject(err)
      : resolve({ latencies, errors: result.errors, non2xx: result.non2xx, autocannonP99: result.latency.p99 })));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

const round2 = (ms: number | null) => (ms === null ? null : Math.round(ms * 100) / 100);

export async function loadAtRate(url: string, rate: number, seconds: number, warmupSeconds: number): Promise<LoadResult> {
  // The warm-up is not sampled: a fresh process answers its first requests before V8 has optimised the route.
  const warmup = await steadyLoad(url, rate, warmupSeconds);
  const steady = await steadyLoad(url, rate, seconds);
  const bursts = await burstLoad(url, rate, seconds);
  const interval = 1000 / Math.floor(rate / connectionsFor(rate));
  return {
    requests: steady.latencies.length + steady.non2xx + steady.errors, errors: steady.errors, non_2xx: steady.non2xx,
    p50_ms: round2(percentile(steady.latencies, 50)), p99_ms: round2(percentile(steady.latencies, 99)), max_ms: round2(percentile(steady.latencies, 100)),
    warmup_p99_ms: round2(percentile(warmup.latencies, 99)),
    bursts_p99_ms: round2(percentile(correctedLatencies(bursts.latencies, interval), 99)), bursts_failed: bursts.errors + bursts.non2xx,
    autocannon_p99_ms: bursts.autocannonP99,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, rate, seconds, warmup] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await loadAtRate(url, Number(rate), Number(seconds), Number(warmup))) + '\n');
}
