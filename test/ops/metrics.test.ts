// GET /metrics of a real `storepulse serve`: valid Prometheus text (checked by promtool, from Debian's prometheus
// package, which scripts/test-services.sh unpacks into .tools/), with the series the operators watch and values
// that match what was posted; and the JSON log lines of its micro-batches, each carrying its run_id.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { eventually, startServe, type ServedProcess } from '../helpers/serve.js';

function findPromtool(): { path: string | null; why: string } {
  const candidates = [process.env.STOREPULSE_TEST_PROMTOOL, join(REPO_ROOT, '.tools/prometheus/usr/bin/promtool'), 'promtool'];
  for (const c of candidates) {
    if (!c || (c.includes('/') && !existsSync(c))) continue;
    if (spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0) return { path: c, why: '' };
  }
  return { path: null, why: 'promtool is not on PATH, not in .tools/prometheus/usr/bin/ and STOREPULSE_TEST_PROMTOOL is not set' };
}
const promtool = findPromtool();
if (!promtool.path && process.env.CI) {
  throw new Error(`The metrics format check must run in CI, but ${promtool.why}: scripts/test-services.sh unpacks Debian's prometheus package into .tools/ (see its output).`);
}
if (!promtool.path) {
  console.warn(`[metrics] SKIPPING the promtool check of /metrics: ${promtool.why}. Run scripts/test-services.sh (it needs apt and the network) or set STOREPULSE_TEST_PROMTOOL.`);
}

function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(promtool.path!, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
    child.stdin.end(text);
  });
}

/** The value of one series, e.g. value(text, 'storepulse_pending_records', { entity: 'orders' }). */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(/,(?=[a-zA-Z_]\w*=")/) : [];
    if (want.length === have.length && want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

const orders = [
  { order_id: 'M1', customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid' },
  { order_id: 'M2', customer_id: 'C2', order_ts: '2026-03-02T11:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid' },
  { order_id: 'M3', customer_id: 'C3', order_ts: '2026-03-02T12:00:00Z', channel: 'fax', country: 'DE', currency: 'EUR', status: 'paid' },
];
// Lines of M1 and of an order that has not arrived (it waits).
const items = [
  { order_id: 'M1', line_number: 1, product_id: 'P1', quantity: 2, unit_price: '10.00' },
  { order_id: 'M404', line_number: 1, product_id: 'P1', quantity: 1, unit_price: '10.00' },
];

describe('metrics and logs of storepulse serve', () => {
  const home = mkdtempSync(join(tmpdir(), 'sp-metrics-'));
  let server: ServedProcess;
  let metrics = '';
  const startedAt = Date.now() / 1000;
  const post = (entity: string, body: unknown[]) =>
    fetch(`${server.url}/api/ingest/${entity}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startServe(home, [], { STOREPULSE_LOG_LEVEL: 'debug' });
    expect((await post('orders', orders)).status).toBe(202);
    expect((await post('order_items', items)).status).toBe(202);
    // The same body again is a re-delivery: landed once, counted once.
    const again = await post('orders', orders);
    expect(await again.json()).toMatchObject({ duplicate: true });
    metrics = await eventually(async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return value(text, 'storepulse_pending_records', { entity: 'order_items' }) === 1 ? text : undefined;
    }, 30_000, 'a micro-batch over the posted records in /metrics');
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it.skipIf(!promtool.path)('passes promtool check metrics', async () => {
    const { code, output } = await promtoolCheck(metrics);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('counts records ingested, accepted, rejected and pending per entity, runs, freshness and API latency', () => {
    expect(value(metrics, 'storepulse_ingested_records_total', { entity: 'orders', source: 'http' })).toBe(3);
    expect(value(metrics, 'storepulse_ingested_records_total', { entity: 'order_items', source: 'http' })).toBe(2);
    expect(value(metrics, 'storepulse_processed_records_total', { entity: 'orders', outcome: 'accepted' })).toBe(2);
    expect(value(metrics, 'storepulse_processed_records_total', { entity: 'orders', outcome: 'rejected' })).toBe(1);
    expect(value(metrics, 'storepulse_processed_records_total', { entity: 'order_items', outcome: 'accepted' })).toBe(1);
    expect(value(metrics, 'storepulse_pending_records', { entity: 'orders' })).toBe(0);
    expect(value(metrics, 'storepulse_pending_records', { entity: 'order_items' })).toBe(1);

    const runs = value(metrics, 'storepulse_runs_total', { status: 'succeeded' })!;
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(value(metrics, 'storepulse_run_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value(metrics, 'storepulse_run_duration_seconds_sum')).toBeGreaterThan(0);
    expect(value(metrics, 'storepulse_run_duration_seconds_bucket', { le: '+Inf' })).toBe(value(metrics, 'storepulse_run_duration_seconds_count'));
    expect(value(metrics, 'storepulse_freshness_seconds_count')).toBeGreaterThanOrEqual(1);
    const freshness = value(metrics, 'storepulse_freshness_seconds_sum')! / value(metrics, 'storepulse_freshness_seconds_count')!;
    expect(freshness).toBeGreaterThan(0);
    expect(freshness).toBeLessThan(30);
    const lastRun = value(metrics, 'storepulse_last_successful_run_timestamp_seconds')!;
    expect(lastRun).toBeGreaterThanOrEqual(startedAt);
    expect(lastRun).toBeLessThanOrEqual(Date.now() / 1000);
    expect(value(metrics, 'storepulse_http_request_duration_seconds_count', { method: 'POST', route: '/api/ingest/:entity', status_code: '202' })).toBe(3);
    expect(metrics).toMatch(/^# TYPE storepulse_http_request_duration_seconds histogram$/m);
    expect(metrics).toMatch(/^storepulse_process_process_resident_memory_bytes \d+/m);
  });

  it('logs every line about a run as JSON with its run_id', async () => {
    // The log of the run that published the micro-batch is complete once the batch is published.
    const lines = await eventually(async () => {
      const parsed = server.logs().split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { msg: string; level: number; run_id?: unknown });
      return parsed.some((l) => l.msg === 'micro-batch published') ? parsed : undefined;
    }, 10_000, 'a published micro-batch in the logs');
    const aboutRuns = lines.filter((l) => /\brun\b|micro-batch|step/i.test(l.msg));
    expect(aboutRuns.length).toBeGreaterThan(5);
    expect(aboutRuns.filter((l) => typeof l.run_id !== 'number')).toEqual([]);
    const published = lines.find((l) => l.msg === 'micro-batch published')!;
    const ofRun = lines.filter((l) => l.run_id === published.run_id).map((l) => l.msg);
    expect(ofRun[0]).toBe('run started');
    expect(ofRun).toEqual(expect.arrayContaining(['step finished', 'run succeeded', 'micro-batch published']));
    expect(ofRun.filter((m) => m === 'step finished').length).toBeGreaterThanOrEqual(2);
  });

  it('after a restart, starts from what the warehouse says: records waiting, the last successful run', async () => {
    const lastRun = value(metrics, 'storepulse_last_successful_run_timestamp_seconds')!;
    await server.stop();
    server = await startServe(home);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(value(text, 'storepulse_pending_records', { entity: 'order_items' })).toBe(1);
    // The run's end as the warehouse recorded it: at most a moment before the process noticed it.
    expect(value(text, 'storepulse_last_successful_run_timestamp_seconds')).toBeGreaterThan(lastRun - 5);
    expect(value(text, 'storepulse_last_successful_run_timestamp_seconds')).toBeLessThanOrEqual(lastRun);
    // Nothing new landed: no run, and nothing counted twice.
    expect(value(text, 'storepulse_runs_total', { status: 'succeeded' })).toBeUndefined();
    expect(value(text, 'storepulse_ingested_records_total', { entity: 'orders', source: 'http' })).toBeUndefined();
  });
});
