// A stream source consumed into bronze on every engine: a consumer that dies after landing a batch but before
// acknowledging it, then a new one on the same durable consumer. The server redelivers what was not acknowledged;
// every record ends in bronze exactly once, and in the KPIs once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsSource, type NatsSourceConfig } from '../../../src/ingest/stream/nats-source.js';
import { StreamConsumer } from '../../../src/ingest/stream/stream-consumer.js';
import type { StreamLanding } from '../../../src/ingest/stream/stream-landing.js';
import type { StreamMessage, StreamSource } from '../../../src/ingest/stream/stream-source.js';
import { queryKpis, type KpiTotal } from '../../../src/kpi/kpi-service.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import { listRejects } from '../../../src/quality/rejects.js';
import { ENGINES } from '../../helpers/engines.js';
import { openTestHome, order, type TestHome } from '../../helpers/fixtures.js';
import { createTestStream, NATS_URL, natsAvailable, type TestStream } from '../../helpers/nats.js';
import { eventually } from '../../helpers/serve.js';

const orderRecord = (n: number, over: Record<string, unknown> = {}) =>
  order(`S${String(n).padStart(4, '0')}`, { customer_id: `C${n % 7}`, order_ts: `2026-03-0${1 + (n % 5)}T10:00:00Z`, ...over });

/** What the test publishes: single records, arrays, NDJSON, one message that is no JSON, one record that breaks its contract. */
function payloads(): { messages: (string | object)[]; records: number; valid: number } {
  const messages: (string | object)[] = [];
  let n = 0;
  for (let i = 0; i < 30; i++) messages.push(orderRecord(++n));
  for (let i = 0; i < 5; i++) messages.push([1, 2, 3, 4].map(() => orderRecord(++n)));
  messages.push('{"order_id": "S9999", "channel": ');
  messages.push(orderRecord(++n, { channel: 'fax' }));
  for (let i = 0; i < 3; i++) messages.push(`${JSON.stringify(orderRecord(++n))}\n${JSON.stringify(orderRecord(++n))}\n`);
  return { messages, records: n + 1, valid: n - 1 };
}

/** Lands like the real source but dies instead of acknowledging its first batch (a crash between the two). */
class DiesBeforeAck implements StreamSource {
  died = false;
  constructor(private readonly inner: NatsSource) {}
  get name() { return this.inner.name; }
  get entity() { return this.inner.entity; }
  start() { return this.inner.start(); }
  next(max: number, linger: number) { return this.died ? Promise.resolve([]) : this.inner.next(max, linger); }
  async commit(_messages: readonly StreamMessage[]): Promise<void> {
    this.died = true;
    await this.inner.stop();
    throw new Error('the process died before its acknowledgement left');
  }
  retryLater(m: readonly StreamMessage[], d: number) { return this.inner.retryLater(m, d); }
  interrupt() { this.inner.interrupt(); }
  stop() { return this.inner.stop(); }
}

describe.skipIf(!natsAvailable).each(ENGINES)('a JetStream source on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  let stream: TestStream;
  beforeAll(async () => {
    home = await openTestHome(engine);
    stream = await createTestStream(`consumer_${engine.name}`);
  });
  afterAll(async () => {
    await stream?.remove();
    await home?.cleanup();
  });

  it('lands every record exactly once across a consumer that died before acknowledging', async () => {
    const { messages, records, valid } = payloads();
    await stream.publish(messages);
    const config: NatsSourceConfig = {
      entity: 'orders', servers: [NATS_URL], stream: stream.name, subjects: [stream.subject], durable: `sp_${stream.name.toLowerCase()}`,
      ackWaitMs: 1000, maxAckPending: 20,
    };
    const bronze = async () => Number((await home.wh.all<{ n: number }>('SELECT COUNT(*) AS n FROM bronze.orders'))[0].n);

    const dying = new DiesBeforeAck(new NatsSource(config));
    const first = new StreamConsumer(home.wh, dying, { batch: 10, lingerMs: 50 });
    await first.start();
    await eventually(async () => dying.died, 20_000, 'the first consumer to land a batch and die');
    await first.stop();
    const landedByTheDead = await bronze();
    expect(landedByTheDead).toBeGreaterThan(0);
    expect(landedByTheDead).toBeLessThan(records);

    const landings: StreamLanding[] = [];
    const second = new StreamConsumer(home.wh, new NatsSource(config), { batch: 10, lingerMs: 50, onLanded: (l) => landings.push(l) });
    await second.start();
    try {
      // The dead consumer's batch comes back once its ack wait is over: it is recognised, not landed again.
      await eventually(async () => landings.some((l) => l.redelivered > 0) && (await bronze()) === records, 30_000, 'every record landed and the redelivery seen');
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      await second.stop();
    }
    expect(await bronze()).toBe(records);
    const info = await stream.jsm.consumers.info(stream.name, config.durable);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);

    await runPipeline(home.wh, { baseCurrency: 'EUR' });
    const kpis = await queryKpis(home.wh, { from: '2026-03-01', to: '2026-04-01' }) as KpiTotal;
    expect(kpis.kpis.orders).toBe(valid);
    expect(kpis.kpis.gross_revenue).toBe(0);
    const rejects = await listRejects(home.wh, { entity: 'orders' });
    expect(rejects.map((r) => r.rule).sort()).toEqual(['enum:channel', 'required:order_id']);
    const unparsed = rejects.find((r) => r.rule === 'required:order_id')!;
    expect(unparsed.raw).toMatchObject({ _unparsed: '{"order_id": "S9999", "channel": ', _subject: stream.subject });
    expect(unparsed.source).toBe(`nats:${stream.name}/${config.durable}`);
  });
});
