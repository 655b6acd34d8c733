// The quality gate in the live service: a micro-batch that breaks an error-level test is not published (the
// served KPIs stay as they were, the run is marked failed), and the corrected record publishes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServe, type ServedProcess } from '../helpers/serve.js';

interface Kpis { kpis: { orders: number; refunds: number; net_revenue: number } }
interface Runs { runs: { run_id: number; status: string; error: string | null; tests: { model: string; test: string; status: string; sample: string[] }[] }[] }

const home = mkdtempSync(join(tmpdir(), 'sp-gate-'));
let server: ServedProcess;
beforeAll(async () => { server = await startServe(home, [], { STOREPULSE_LOG_LEVEL: 'debug' }); });
afterAll(async () => {
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

const post = (path: string, records: unknown[]) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
const getJson = async <T>(path: string) => (await (await fetch(`${server.url}${path}`)).json()) as T;
const aReturn = (refund: string, updatedAt: string) => ({
  return_id: 'R1', order_id: 'G1', product_id: 'P1', quantity: 1, refund_amount: refund, requested_ts: '2026-03-05T10:00:00Z', updated_at: updatedAt,
});

describe('the quality gate in serve', () => {
  it('keeps serving the previous KPIs while a bad batch fails its test, and publishes the corrected one', async () => {
    expect((await post('/api/ingest/orders', [{ order_id: 'G1', customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid' }])).status).toBe(202);
    expect((await post('/api/ingest/order_items', [{ order_id: 'G1', line_number: 1, product_id: 'P1', quantity: 2, unit_price: '25.00' }])).status).toBe(202);
    const before = await eventually(async () => {
      const k = await getJson<Kpis>('/api/kpis');
      return k.kpis?.orders === 1 && k.kpis.net_revenue === 50 ? k : undefined;
    }, 20_000, 'the first order in /api/kpis');

    expect((await post('/api/ingest/returns', [aReturn('10000.00', '2026-03-05T10:00:00Z')])).status).toBe(202);
    const failed = await eventually(async () => (await getJson<Runs>('/api/runs?status=failed')).runs[0], 20_000, 'a failed run');
    expect(failed.error).toMatch(/gold\.fact_order expression\(line_count = 0 OR refunds <= gross_revenue - discounts \+ shipping \+ tax\): 1 of 1 rows fail/);
    expect(failed.tests).toEqual([expect.objectContaining({ model: 'gold.fact_order', status: 'error', sample: ['G1'] })]);
    expect(await getJson<Kpis>('/api/kpis')).toEqual(before);
    expect((await getJson<{ status: string }>('/api/health')).status).not.toBe('ok');

    expect((await post('/api/ingest/returns', [aReturn('10.00', '2026-03-05T11:00:00Z')])).status).toBe(202);
    const after = await eventually(async () => {
      const k = await getJson<Kpis>('/api/kpis');
      return k.kpis.refunds === 10 ? k : undefined;
    }, 30_000, 'the corrected refund in /api/kpis');
    expect(after.kpis.net_revenue).toBe(40);
    // The answer can name what it read: the gold tables, and the batches behind them up to the last run.
    const traced = await getJson<{ lineage: { tables: string[]; batches: { entity: string; last_run_id: number }[] } }>('/api/kpis?lineage=true');
    expect(traced.lineage.tables).toEqual(expect.arrayContaining(['gold.mart_daily_revenue', 'gold.mart_customer_ltv']));
    expect(traced.lineage.batches.find((b) => b.entity === 'returns')?.last_run_id).toBe((await getJson<Runs>('/api/runs?limit=1')).runs[0].run_id);
    expect((await getJson<Runs>('/api/runs?limit=1')).runs[0].status).toBe('succeeded');
  });

  it('logs every line of a run as JSON with its run_id, the failed run with the tests that stopped it', () => {
    const lines = server.logs().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; run_id?: number; failed_tests?: string[] });
    const about = lines.filter((l) => ['run started', 'step finished', 'run succeeded', 'run failed', 'micro-batch published'].includes(l.msg));
    expect(about.length).toBeGreaterThan(10);
    expect(about.filter((l) => typeof l.run_id !== 'number')).toEqual([]);
    const failed = about.find((l) => l.msg === 'run failed');
    expect(failed?.failed_tests).toEqual([expect.stringMatching(/^gold\.fact_order expression\(line_count = 0 OR refunds/)]);
    // A run's lines share its id: the failed run's steps were logged under the same one.
    expect(about.some((l) => l.msg === 'step finished' && l.run_id === failed?.run_id)).toBe(true);
  });
});
