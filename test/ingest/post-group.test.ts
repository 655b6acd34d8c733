// Posts that arrive together land together (one transaction, one contract check) and are answered as if each had
// landed alone: a batch of its own, its own rejects, a repeated body a repeat; a group that fails lands post by post.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEntity } from '../../src/contracts/index.js';
import type { QueuedPost } from '../../src/ingest/post-queue.js';
import { ingestRecords, landPosts, writeRecordsFile } from '../../src/ingest/record-ingest.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';

const orders = getEntity('orders')!;
const order = (id: string, over: Record<string, unknown> = {}) => ({
  order_id: id, customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid', ...over,
});

describe.each(ENGINES)('posts landed together on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeAll(async () => { home = await openTestHome(engine); });
  afterAll(async () => { await home?.cleanup(); });
  const post = (records: Record<string, unknown>[], source: string) =>
    ingestRecords(home.wh, orders, records, { source, baseCurrency: 'EUR', lockWaitMs: 10_000 });

  it('answers each post of a group with its own batch, rejects and repeat', async () => {
    // The first lands at once; the four that arrive while it lands land as one group.
    const answers = await Promise.all([
      post([order('A1'), order('A2')], 'a'),
      post([order('B1'), order('B2', { channel: 'telepathy' }), order('B3')], 'b'),
      post([order('C1')], 'c'),
      post([order('B1'), order('B2', { channel: 'telepathy' }), order('B3')], 'b again'),
      post([order('D1', { country: 'germany' })], 'd'),
    ]);
    const [a, b, c, bAgain, d] = answers;
    expect(a).toMatchObject({ received: 2, accepted: 2, rejected: 0, rejects: [] });
    expect(b).toMatchObject({ received: 3, accepted: 2, rejected: 1, rejects: [{ line: 2, key: 'B2', rule: 'enum:channel' }] });
    expect(c).toMatchObject({ received: 1, accepted: 1, rejected: 0 });
    expect(bAgain).toEqual({ ...b, duplicate: true });
    expect(d).toMatchObject({ received: 1, accepted: 0, rejected: 1, rejects: [{ line: 1, key: 'D1', rule: 'format:country' }] });
    expect(b.duplicate).toBeUndefined();
    // New batches in the order the posts arrived; the group's share one ingestion time, the first its own.
    expect(a.batch_id < b.batch_id && b.batch_id < c.batch_id && c.batch_id < d.batch_id).toBe(true);
    const batches = await home.wh.all<{ batch_id: number; source: string; records: number; at: string }>(
      'SELECT batch_id, source, records, CAST(ingested_at AS VARCHAR) AS at FROM meta.batches ORDER BY batch_id');
    expect(batches.map((r) => [Number(r.batch_id), r.source, Number(r.records)])).toEqual([
      [a.batch_id, 'a', 2], [b.batch_id, 'b', 3], [c.batch_id, 'c', 1], [d.batch_id, 'd', 1]]);
    expect(new Set(batches.map((r) => r.at)).size).toBe(2);
    const lines = await home.wh.all<{ batch_id: number; n: number }>('SELECT _batch_id AS batch_id, COUNT(*) AS n FROM bronze.orders GROUP BY 1 ORDER BY 1');
    expect(lines.map((r) => [Number(r.batch_id), Number(r.n)])).toEqual([[a.batch_id, 2], [b.batch_id, 3], [c.batch_id, 1], [d.batch_id, 1]]);
    // Each file's records keep their own lines, as if landed alone.
    const bLines = await home.wh.all<{ line: number; order_id: string }>(`SELECT _line AS line, order_id FROM bronze.orders WHERE _batch_id = ${b.batch_id} ORDER BY _line`);
    expect(bLines.map((r) => [Number(r.line), r.order_id])).toEqual([[1, 'B1'], [2, 'B2'], [3, 'B3']]);
    const run = await runPipeline(home.wh, { baseCurrency: 'EUR' });
    expect(run.batches).toBe(4);
    expect(run.entities.find((e) => e.entity === 'orders')).toMatchObject({ read: 7, accepted: 5, rejected: 2 });
  });

  it('lands post by post when the group fails: a post that cannot be read fails alone', async () => {
    const queued = (name: string, records: Record<string, unknown>[]): QueuedPost => {
      const { contentHash, ...file } = writeRecordsFile(orders, records, join(home.dir, `${name}.ndjson`));
      return { entity: orders, file, contentHash, source: name, received: records.length, baseCurrency: 'EUR', lockWaitMs: 10_000 };
    };
    const gone = { ...queued('gone', [order('G1')]), file: { path: join(home.dir, 'no-such-file.ndjson'), format: 'ndjson' as const, entity: 'orders' } };
    const settled = await landPosts(home.wh, [queued('e', [order('E1')]), gone, queued('f', [order('F1'), order('F2')])]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ httpStatus: 400 });
    const landed = await home.wh.all<{ source: string; records: number }>("SELECT source, records FROM meta.batches WHERE source IN ('e', 'f', 'gone') ORDER BY batch_id");
    expect(landed.map((r) => [r.source, Number(r.records)])).toEqual([['e', 1], ['f', 2]]);
  });
});
