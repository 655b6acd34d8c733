import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, nextSnapshot, startServe, type ServedProcess } from '../helpers/serve.js';

interface KpiJson { kpis: { orders: number; gross_revenue: number } }
interface Snapshot { run_id: number; as_of: string; published_at: string; kpis: { orders: number } | null }

const home = mkdtempSync(join(tmpdir(), 'sp-serve-'));
let server: ServedProcess;
beforeAll(async () => { server = await startServe(home, ['--body-limit', '2000000']); });
afterAll(async () => {
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
/**
 * A post that declares a body over the limit and sends none of it: the server answers 413 from the header and
 * closes the connection. (Sending the body, as fetch does, races that close: the client's write could fail with
 * EPIPE before it read the answer.)
 */
const postDeclaring = (path: string, length: number) => new Promise<Response>((resolve, reject) => {
  const req = request(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(length) } }, (res) => {
    let body = '';
    res.on('data', (c: Buffer) => { body += c.toString(); });
    res.on('end', () => { resolve(new Response(body, { status: res.statusCode })); req.destroy(); });
  });
  req.on('error', reject);
  req.flushHeaders();
});
const getJson = async <T>(path: string) => (await (await fetch(`${server.url}${path}`)).json()) as T;

function orders(prefix: string, n: number, day = '2026-03-02') {
  return Array.from({ length: n }, (_, i) => ({
    order_id: `${prefix}${i}`, customer_id: `C${i % 7}`, order_ts: `${day}T10:00:00Z`, channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
  }));
}
const items = (os: { order_id: string }[]) => os.map((o) => ({ order_id: o.order_id, line_number: 1, product_id: 'P1', quantity: 2, unit_price: '12.50' }));

describe('storepulse serve', () => {
  it('shows posted orders in /api/kpis and on the live stream, with as_of and published_at', async () => {
    const batch = orders('A', 20);
    const snapshot = nextSnapshot<Snapshot>(server.url, (s) => (s.kpis?.orders ?? 0) >= 20);
    const r1 = await post('/api/ingest/orders', JSON.stringify(batch));
    expect(r1.status).toBe(202);
    expect(await r1.json()).toMatchObject({ entity: 'orders', received: 20, accepted: 20, rejected: 0 });
    const r2 = await post('/api/ingest/order_items', items(batch).map((x) => JSON.stringify(x)).join('\n'), 'application/x-ndjson');
    expect(r2.status).toBe(202);
    const kpis = await eventually(async () => {
      const k = await getJson<KpiJson>('/api/kpis');
      return k.kpis?.gross_revenue === 500 ? k : undefined;
    }, 20_000, 'the posted orders in /api/kpis');
    expect(kpis.kpis.orders).toBe(20);
    const s = await snapshot;
    expect(Date.parse(s.published_at)).toBeGreaterThanOrEqual(Date.parse(s.as_of));
    const health = await getJson<{ freshness: { batches: number; p50_ms: number; p95_ms: number } }>('/api/health');
    expect(health.freshness.batches).toBeGreaterThan(0);
    expect(health.freshness.p95_ms).toBeGreaterThanOrEqual(health.freshness.p50_ms);
  });

  it('answers breakdowns and the dashboard views, and describes itself at /api/docs', async () => {
    const by = await getJson<{ by: string; rows: { channel: string; orders: number }[] }>('/api/kpis/breakdown?by=channel');
    expect(by.rows.find((r) => r.channel === 'web')?.orders).toBeGreaterThan(0);
    for (const path of ['/api/products/top', '/api/categories', '/api/customers/segments', '/api/funnel', '/api/fulfilment']) {
      const r = await fetch(`${server.url}${path}`);
      expect(r.status, path).toBe(200);
    }
    const docs = await getJson<{ openapi: string; paths: Record<string, unknown> }>('/api/docs');
    expect(docs.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/kpis', '/api/kpis/breakdown', '/api/ingest/{entity}', '/api/health']));
  });

  it('answers bad requests with a 4xx and a clear message, never a 500', async () => {
    const cases: [Promise<Response>, number, RegExp][] = [
      [post('/api/ingest/widgets', '[]'), 404, /Unknown entity "widgets"/],
      [post('/api/ingest/orders', '[{"order_id": '), 400, /not valid JSON/],
      [post('/api/ingest/orders', '{"order_id": "X"}'), 400, /must be a JSON array/],
      [post('/api/ingest/orders', '[]'), 400, /no records/],
      [post('/api/ingest/orders', '[1, 2]'), 400, /Record 1 is not an object/],
      [post('/api/ingest/orders', '[{"order_id": {"nested": true}}]'), 400, /field "order_id" must be a string, number, boolean or null/],
      [post('/api/ingest/orders', '{"a":1}\n{oops', 'application/x-ndjson'), 400, /Line 2 of the NDJSON body is not valid JSON/],
      [post('/api/ingest/orders', 'x'.repeat(20_000), 'text/plain'), 415, /Unsupported Content-Type/],
      [postDeclaring('/api/ingest/orders', 3_000_000), 413, /larger than the \d+ byte limit/],
      [fetch(`${server.url}/api/kpis?from=yesterday`), 400, /from must match pattern/],
      [fetch(`${server.url}/api/kpis/breakdown?by=weather`), 400, /by must be equal to one of the allowed values/],
      [fetch(`${server.url}/api/kpis?bogus=1`), 400, /must NOT have additional properties/],
      [fetch(`${server.url}/api/nothing-here`), 404, /No route GET \/api\/nothing-here/],
    ];
    for (const [request, status, message] of cases) {
      const r = await request;
      const body = await r.json() as { error: { code: string; message: string } };
      expect(r.status, body.error?.message).toBe(status);
      expect(body.error.message).toMatch(message);
    }
  });

  it('counts records that break their contract as rejected, with reasons, and keeps them', async () => {
    const r = await post('/api/ingest/orders', JSON.stringify([
      { ...orders('R', 1)[0], channel: 'telepathy' },
      { ...orders('R', 2)[1], order_ts: 'not-a-date' },
      orders('OK', 1)[0],
    ]));
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({
      received: 3, accepted: 1, rejected: 2,
      rejects: [{ line: 1, key: 'R0', rule: 'enum:channel' }, { line: 2, key: 'R1', rule: 'type:order_ts' }],
    });
  });

  it('ingests files dropped in the inbox once and archives them; refused files go to quarantine with the reason', async () => {
    const inbox = join(home, 'inbox');
    const csv = ['order_id,customer_id,order_ts,channel,country,currency,status', ...orders('F', 5, '2026-03-03').map((o) =>
      [o.order_id, o.customer_id, o.order_ts, o.channel, o.country, o.currency, o.status].join(','))].join('\n') + '\n';
    writeFileSync(join(inbox, 'orders-drop.csv'), csv);
    writeFileSync(join(inbox, 'orders-broken.csv'), 'order_id,customer_id\nX,C1\n');
    const archived = await eventually(async () => {
      const days = existsSync(join(home, 'archive')) ? readdirSync(join(home, 'archive')) : [];
      return days.some((d) => readdirSync(join(home, 'archive', d)).includes('orders-drop.csv'));
    }, 20_000, 'the dropped file in archive/');
    expect(archived).toBe(true);
    const reason = readFileSync(join(home, 'quarantine', 'orders-broken.csv.error.txt'), 'utf8');
    expect(reason).toMatch(/SP_ERR_MISSING_COLUMN: .*order_ts, channel, country, currency, status missing/);
    expect(readdirSync(inbox)).toEqual([]);
    await eventually(async () => {
      const k = await getJson<KpiJson>('/api/kpis?from=2026-03-03&to=2026-03-04');
      return k.kpis.orders === 5;
    }, 20_000, 'the inbox orders counted in /api/kpis');
  });

  it('keeps the run history, exports Prometheus metrics and serves each contract as JSON Schema', async () => {
    const { runs } = await getJson<{ runs: { run_id: number; status: string; duration_ms: number; entities: { entity: string; read: number }[] }[] }>('/api/runs?limit=5');
    expect(runs.length).toBeGreaterThan(0);
    expect(runs[0].status).toBe('succeeded');
    expect(runs[0].duration_ms).toBeGreaterThanOrEqual(0);
    expect(runs.map((r) => r.run_id)).toEqual([...runs.map((r) => r.run_id)].sort((a, b) => b - a));
    expect((await fetch(`${server.url}/api/runs?status=exploded`)).status).toBe(400);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^storepulse_ingested_records_total\{entity="orders",source="http"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^storepulse_processed_records_total\{entity="orders",outcome="rejected"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^storepulse_run_duration_seconds_count [1-9]\d*$/m);
    expect(metrics).toMatch(/^storepulse_freshness_seconds_count [1-9]\d*$/m);
    expect(metrics).toMatch(/^storepulse_last_successful_run_timestamp_seconds \d/m);
    expect(metrics).toMatch(/^storepulse_http_request_duration_seconds_count\{method="GET",route="\/api\/runs",status_code="200"\} [1-9]/m);

    const schema = await getJson<{ required: string[]; properties: Record<string, unknown> }>('/api/contracts/orders');
    expect(schema.required).toEqual(['order_id', 'customer_id', 'order_ts', 'channel', 'country', 'currency', 'status']);
    expect((await fetch(`${server.url}/api/contracts/widgets`)).status).toBe(404);
  });
});
