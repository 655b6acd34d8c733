// `serve` consuming orders and their lines from JetStream, killed (SIGKILL) in the middle of the stream and
// started again: every record is in bronze once and in the KPIs once, whatever was in flight at the kill.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storepulseJson, tempDir, type TempDir } from '../../helpers/cli.js';
import { ENGINES } from '../../helpers/engines.js';
import { item, order } from '../../helpers/fixtures.js';
import { createTestStream, natsAvailable, type TestStream } from '../../helpers/nats.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { eventually, startServe, type ServedProcess } from '../../helpers/serve.js';

const ORDERS = 300;
const PER_MESSAGE = 3;

interface KpiJson { kpis: { orders: number; units: number; gross_revenue: number } }
interface StatusJson { entities: { entity: string; records: number; rejected: number }[] }

/** Orders 0..n-1 with two lines each, in messages of a few records. */
function messages(from: number, to: number): { orders: object[][]; lines: object[][] } {
  const orders: object[][] = [];
  const lines: object[][] = [];
  for (let i = from; i < to; i += PER_MESSAGE) {
    const ids = Array.from({ length: Math.min(PER_MESSAGE, to - i) }, (_, k) => `K${i + k}`);
    orders.push(ids.map((id) => order(id, { order_ts: '2026-04-02T09:00:00Z' })));
    lines.push(ids.flatMap((id) => [item(id, 1, { quantity: 2, unit_price: '10.00' }), item(id, 2, { quantity: 1, unit_price: '5.50' })]));
  }
  return { orders, lines };
}

describe.skipIf(!natsAvailable).each(ENGINES)('serve with a JetStream source on $name, killed mid-stream', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let tmp: TempDir;
  let orders: TestStream;
  let lines: TestStream;
  let db: TestDatabase | undefined;
  let server: ServedProcess | undefined;
  beforeAll(async () => {
    tmp = tempDir(`sp-stream-serve-${engine.name}`);
    orders = await createTestStream(`serve_orders_${engine.name}`);
    lines = await createTestStream(`serve_lines_${engine.name}`);
    if (engine.name === 'postgres') db = await createTestDatabase('stream');
  });
  afterAll(async () => {
    await server?.stop();
    await orders?.remove();
    await lines?.remove();
    await db?.drop();
    tmp?.cleanup();
  });

  it('sees every record exactly once after a restart', async () => {
    const config = join(tmp.path, 'streams.yaml');
    // Small batches and a short ack wait, so the kill lands among batches and redeliveries come back quickly.
    writeFileSync(config, `sources:
  orders: { stream: ${orders.name}, subjects: ${orders.subject}, durable: sp-orders, batch: 4, linger: 10ms, ack_wait: 2s }
  order_items: { stream: ${lines.name}, durable: sp-lines, batch: 4, linger: 10ms, ack_wait: 2s }
`);
    const warehouse = db ? ['--warehouse', db.url] : [];
    const serve = () => startServe(tmp.path, ['--streams', config, ...warehouse]);
    const landed = async (s: ServedProcess) => {
      const text = await (await fetch(`${s.url}/metrics`)).text();
      return [...text.matchAll(/storepulse_ingested_records_total\{entity="[a-z_]+",source="stream"\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    };

    const half = messages(0, ORDERS / 2);
    await orders.publish(half.orders);
    await lines.publish(half.lines);
    server = await serve();
    expect(server.logs()).not.toContain('"level":50');
    const first = server;
    const beforeKill = await eventually(async () => { const n = await landed(first); return n > 0 ? n : undefined; }, 30_000, 'the first stream batch to land');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    // The stream goes on while the service is down.
    const rest = messages(ORDERS / 2, ORDERS);
    await orders.publish(rest.orders);
    await lines.publish(rest.lines);
    expect(beforeKill).toBeLessThan(ORDERS * 3);

    server = await serve();
    const second = server;
    const kpis = await eventually(async () => {
      const k = await (await fetch(`${second.url}/api/kpis?from=2026-04-01&to=2026-05-01`)).json() as KpiJson;
      return k.kpis?.orders === ORDERS && k.kpis.units === ORDERS * 3 ? k : undefined;
    }, 60_000, `all ${ORDERS} orders and their lines in the KPIs`);
    expect(kpis.kpis.gross_revenue).toBeCloseTo(ORDERS * 25.5, 2);
    await server.stop();
    server = undefined;

    // Bronze holds each record once: nothing lost at the kill, nothing landed twice by the redelivery.
    const status = await storepulseJson<StatusJson>(['status', '--json', ...warehouse], { home: tmp.path });
    const of = (e: string) => status.entities.find((x) => x.entity === e)!;
    expect(of('orders')).toMatchObject({ records: ORDERS, rejected: 0 });
    expect(of('order_items')).toMatchObject({ records: ORDERS * 2, rejected: 0 });
    expect((await orders.jsm.consumers.info(orders.name, 'sp-orders')).num_ack_pending).toBe(0);
  });
});
