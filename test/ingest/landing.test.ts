// Landing beside a run: HTTP posts, the inbox and `ingest` do not wait for a micro-batch to finish. What lands
// during a run waits for the next one, and nothing is lost or counted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src/contracts/index.js';
import { ingestRecords } from '../../src/ingest/record-ingest.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';

const entity = (name: string) => ENTITIES.find((e) => e.name === name)!;
const orders = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({
  order_id: `${prefix}${i}`, customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
}));

describe.each(ENGINES)('landing beside a run on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeAll(async () => { home = await openTestHome(engine); });
  afterAll(async () => { await home?.cleanup(); });
  const post = (records: Record<string, unknown>[]) =>
    ingestRecords(home.wh, entity('orders'), records, { source: 'test', baseCurrency: 'EUR', lockWaitMs: 5_000 });
  const countedOrders = async () => Number((await home.wh.read<{ n: number }>('SELECT COUNT(*) AS n FROM gold.fact_order'))[0].n);

  it('accepts a post while a run holds its transaction open; the next run picks it up', async () => {
    await post(orders('A', 5));
    // Pause the run inside its transaction, at its first step, until the post below has landed.
    let resume!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((r) => { resume = r; });
    const paused = new Promise<void>((r) => { started = r; });
    let first = true;
    const running = runPipeline(home.wh, {
      baseCurrency: 'EUR',
      observers: [{ stepStarted: async () => { if (first) { first = false; started(); await gate; } } }],
    });
    await paused;
    const landed = await Promise.race([
      post(orders('B', 3)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the post waited for the run')), 10_000)),
    ]);
    expect(landed).toMatchObject({ received: 3, accepted: 3 });
    resume();
    const run = await running;
    expect(run.status).toBe('succeeded');
    expect(run.batches).toBe(1);
    expect(await countedOrders()).toBe(5);
    const [{ n }] = await home.wh.read<{ n: number }>('SELECT COUNT(*) AS n FROM meta.batches WHERE processed_run_id IS NULL');
    expect(Number(n)).toBe(1);
    const second = await runPipeline(home.wh, { baseCurrency: 'EUR' });
    expect(second.batches).toBe(1);
    expect(await countedOrders()).toBe(8);
    expect(second.tests.filter((t) => t.status === 'error')).toEqual([]);
  });

  it('still recognises a repeated post as a repeat', async () => {
    const again = await post(orders('B', 3));
    expect(again).toMatchObject({ duplicate: true });
  });
});
