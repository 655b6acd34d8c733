// GET /api/quality: the scorecard over HTTP (same JSON as `storepulse quality --json`), its query validated by the
// route's schema, and described in the OpenAPI document.
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerCache } from '../../src/api/answer-cache.js';
import { buildServer } from '../../src/api/server.js';
import { SnapshotHub } from '../../src/api/snapshots.js';
import { ENTITIES } from '../../src/contracts/index.js';
import { ingestRecords } from '../../src/ingest/record-ingest.js';
import { FreshnessWindow } from '../../src/ops/freshness.js';
import { Metrics } from '../../src/ops/metrics.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { qualityScorecard, type Scorecard } from '../../src/quality/scorecard.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';

const entity = (name: string) => ENTITIES.find((e) => e.name === name)!;
const order = (id: string, over: Record<string, unknown> = {}) =>
  ({ order_id: id, customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid', ...over });

describe('GET /api/quality', () => {
  let home: TestHome;
  let app: FastifyInstance;
  beforeAll(async () => {
    home = await openTestHome();
    const post = (name: string, records: Record<string, unknown>[]) =>
      ingestRecords(home.wh, entity(name), records, { source: 'test', baseCurrency: 'EUR', lockWaitMs: 0 });
    await post('orders', [order('Q1'), order('Q2', { currency: 'NOK' }), order('Q3', { status: 'lost-in-space' }), order('Q4', { order_ts: null })]);
    await post('order_items', [{ order_id: 'Q1', line_number: 1, product_id: 'P1', quantity: 1, unit_price: '5.00' }]);
    await runPipeline(home.wh, { baseCurrency: 'EUR' });
    app = await buildServer({
      wh: home.wh, baseCurrency: 'EUR', freshness: new FreshnessWindow(), snapshots: new SnapshotHub(), dataArrived: () => undefined,
      bodyLimit: 1_000_000, metrics: new Metrics(), answers: new AnswerCache(),
    }, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await app?.close();
    await home?.cleanup();
  });

  it('answers the scorecard, the same as the library (and the CLI) gives', async () => {
    const r = await app.inject('/api/quality');
    expect(r.statusCode).toBe(200);
    const card = r.json<Scorecard>();
    expect(card).toEqual(JSON.parse(JSON.stringify(await qualityScorecard(home.wh))));
    // One ingestion day (the test's): [that day, the next).
    expect(Date.parse(card.to!) - Date.parse(card.from!)).toBe(86_400_000);
    // Q4 lacks its order_ts (completeness), Q3 has an unknown status (validity), Q2 waits for a NOK rate (RI).
    const orders = Object.fromEntries(card.entities.filter((e) => e.entity === 'orders').map((e) => [e.dimension, [e.checked, e.failed]]));
    expect(orders).toEqual({ completeness: [4, 1], validity: [4, 1], uniqueness: [2, 0], referential_integrity: [2, 1] });
    expect(card.rules).toEqual(expect.arrayContaining([
      { entity: 'orders', dimension: 'referential_integrity', rule: 'pending:awaiting_fx_rate', failed: 1 },
      { entity: 'orders', dimension: 'validity', rule: 'enum:status', failed: 1 },
    ]));
  });

  it('filters by period and entity, and refuses bad queries with a 400 that says why', async () => {
    const { from: today, to: tomorrow } = (await app.inject('/api/quality')).json<Scorecard>();
    const one = (await app.inject(`/api/quality?from=${today}&to=${tomorrow}&entity=order_items`)).json<Scorecard>();
    expect(one).toMatchObject({ from: today, to: tomorrow, entity: 'order_items' });
    expect(one.days.map((d) => [d.entity, d.dimension, d.pass_rate])).toEqual([
      ['order_items', 'completeness', 1], ['order_items', 'validity', 1], ['order_items', 'uniqueness', 1], ['order_items', 'referential_integrity', 1],
    ]);
    const cases: [string, RegExp][] = [
      ['/api/quality?entity=widgets', /entity must be equal to one of the allowed values/],
      ['/api/quality?from=yesterday', /from must match pattern/],
      ['/api/quality?from=2026-02-30', /Invalid value "2026-02-30" for --from/],
      [`/api/quality?from=${tomorrow}&to=${today}`, /a day after --from/],
      ['/api/quality?day=1', /must NOT have additional properties/],
    ];
    for (const [url, message] of cases) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json<{ error: { message: string } }>().error.message, url).toMatch(message);
    }
    const docs = (await app.inject('/api/docs')).json<{ paths: Record<string, { get: { summary: string } }> }>();
    expect(docs.paths['/api/quality'].get.summary).toMatch(/pass rates/i);
  });
});
