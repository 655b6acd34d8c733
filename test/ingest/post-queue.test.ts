// Posts that wait while another lands are landed together: the waiting posts of the first one's entity, in
// arrival order, within the bounds; each settles on its own.
import { describe, expect, it } from 'vitest';
import { getEntity } from '../../src/contracts/index.js';
import { MAX_GROUP_RECORDS, PostQueue, type QueuedPost } from '../../src/ingest/post-queue.js';
import type { Warehouse } from '../../src/warehouse/engine.js';

const post = (entity: string, source: string, received = 10): QueuedPost => ({
  entity: getEntity(entity)!, file: { path: `${source}.ndjson`, format: 'ndjson', entity }, contentHash: source, source, received,
  baseCurrency: 'EUR', lockWaitMs: 1_000,
});

/** A queue whose landings are recorded and held until released, one at a time. */
function heldQueue(fail: (source: string) => boolean = () => false) {
  const groups: string[][] = [];
  let release: () => void = () => undefined;
  const queue = new PostQueue<string>({} as Warehouse, async (_wh, posts) => {
    groups.push(posts.map((p) => p.source));
    await new Promise<void>((r) => { release = r; });
    return posts.map((p) => fail(p.source)
      ? { status: 'rejected' as const, reason: new Error(`${p.source} failed`) }
      : { status: 'fulfilled' as const, value: `landed ${p.source}` });
  });
  const next = async () => {
    const landed = groups.length;
    release();
    // The next landing starts once the last one's answers are out.
    for (let i = 0; i < 50 && groups.length === landed; i++) await new Promise((r) => setTimeout(r, 1));
  };
  return { queue, groups, next };
}

describe('the post queue', () => {
  it('lands the first post at once and the posts that waited for it together, entity by entity, in order', async () => {
    const { queue, groups, next } = heldQueue();
    const answers = [
      queue.submit(post('orders', 'o1')),
      queue.submit(post('orders', 'o2')),
      queue.submit(post('order_items', 'i1')),
      queue.submit(post('orders', 'o3')),
      queue.submit(post('order_items', 'i2')),
    ];
    expect(groups).toEqual([['o1']]);
    await next();
    expect(groups).toEqual([['o1'], ['o2', 'o3']]);
    await next();
    expect(groups).toEqual([['o1'], ['o2', 'o3'], ['i1', 'i2']]);
    await next();
    expect(await Promise.all(answers)).toEqual(['landed o1', 'landed o2', 'landed i1', 'landed o3', 'landed i2']);
  });

  it('keeps a group within its record bound, and a later post of the entity behind the one that did not fit', async () => {
    const { queue, groups, next } = heldQueue();
    const half = MAX_GROUP_RECORDS / 2 + 1;
    const answers = ['a', 'b', 'c', 'd'].map((s, i) => queue.submit(post('orders', s, i === 3 ? 1 : half)));
    await next();
    await next();
    await next();
    expect(groups).toEqual([['a'], ['b'], ['c', 'd']]);
    expect(await Promise.all(answers)).toHaveLength(4);
  });

  it('settles each post of a group on its own: one failure rejects only its post', async () => {
    const { queue, next } = heldQueue((s) => s === 'bad');
    const first = queue.submit(post('orders', 'first'));
    const good = queue.submit(post('orders', 'good'));
    // Its error is caught as it happens (awaited later, it would be an unhandled rejection meanwhile).
    const bad = queue.submit(post('orders', 'bad')).catch((e: unknown) => e);
    await next();
    await next();
    await expect(first).resolves.toBe('landed first');
    await expect(good).resolves.toBe('landed good');
    expect(await bad).toEqual(new Error('bad failed'));
  });
});
