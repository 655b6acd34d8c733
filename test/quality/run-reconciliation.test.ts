// A run's revenue reconciliation: over the days it rebuilt, silver is read for the orders the run changed and gold's
// facts stand for the rest; a fact that is off for a changed order still fails the run, on both engines.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src/contracts/index.js';
import { ingestRecords } from '../../src/ingest/record-ingest.js';
import { loadModels, parseModel, type Model } from '../../src/models/model-file.js';
import { runPipeline } from '../../src/pipeline/run.js';
import type { Warehouse } from '../../src/warehouse/engine.js';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';

const post = (wh: Warehouse, entity: string, records: Record<string, unknown>[]) =>
  ingestRecords(wh, ENTITIES.find((e) => e.name === entity)!, records, { source: 'test', baseCurrency: 'EUR', lockWaitMs: 0 });

/** Orders of 2 March, each with one line of 2 × 25.00. */
async function postOrders(wh: Warehouse, ids: string[]): Promise<void> {
  await post(wh, 'orders', ids.map((id) => ({
    order_id: id, customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
  })));
  await post(wh, 'order_items', ids.map((id) => ({ order_id: id, line_number: 1, product_id: 'P1', quantity: 2, unit_price: '25.00' })));
}

/** The warehouse, with every statement it is sent through `all` kept in `seen`. */
function recording(wh: Warehouse, seen: string[]): Warehouse {
  return new Proxy(wh, {
    get(target, prop, receiver) {
      if (prop === 'all') return (sql: string, ...rest: unknown[]) => { seen.push(sql); return (target.all as (...a: unknown[]) => unknown)(sql, ...rest); };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const revenueOf = (summary: Awaited<ReturnType<typeof runPipeline>>) =>
  summary.tests.filter((t) => t.kind === 'reconciliation' && t.model === 'gold.mart_daily_revenue').map((t) => [t.test, t.status, t.rows]);

describe.each(ENGINES)('the run\'s revenue reconciliation on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeAll(async () => {
    home = await openTestHome(engine);
    await postOrders(home.wh, ['A1', 'A2']);
    await runPipeline(home.wh, { baseCurrency: 'EUR' });
  });
  afterAll(async () => { await home?.cleanup(); });

  it('counts the rebuilt day\'s other orders from gold and reads silver for the orders the run changed', async () => {
    await postOrders(home.wh, ['A3']);
    const seen: string[] = [];
    const summary = await runPipeline(recording(home.wh, seen), { baseCurrency: 'EUR' });
    // All three orders of 2 March are reconciled: A1 and A2 as fact_order holds them, A3 from silver.
    expect(revenueOf(summary)).toEqual([['reconcile(orders)', 'pass', 3], ['reconcile(gross_revenue)', 'pass', 150]]);
    const reconciliation = seen.filter((sql) => sql.includes('FROM silver.orders s'));
    expect(reconciliation).toHaveLength(1);
    expect(reconciliation[0]).toMatch(/changed_orders AS MATERIALIZED \(SELECT order_id FROM chg_gold_fact_order UNION SELECT order_id FROM chg_silver_orders UNION SELECT order_id FROM chg_silver_order_items\)/);
    expect(reconciliation[0]).toMatch(/s\.order_id IN \(SELECT order_id FROM changed_orders\)/);
  });

  it('fails a run whose fact is off for an order it changed, and keeps the previous gold', async () => {
    // fact_order one unit of money too high on every order it builds, marked as already built by this SQL so
    // the run rebuilds only the changed order incrementally (a changed model would be rebuilt whole).
    const models: Model[] = loadModels().map((m) => m.name !== 'gold.fact_order' ? m : parseModel(m.file, readFileSync(m.file, 'utf8').replace(
      "CAST(COALESCE(l.gross, 0) * o.fx_rate AS {{ type('exact') }}) AS gross_revenue",
      "CAST(COALESCE(l.gross, 0) * o.fx_rate + 1 AS {{ type('exact') }}) AS gross_revenue")));
    const faulty = models.find((m) => m.name === 'gold.fact_order')!;
    const shipped = loadModels().find((m) => m.name === 'gold.fact_order')!;
    expect(faulty.hash).not.toBe(shipped.hash);
    await home.wh.run("UPDATE meta.models SET sql_hash = $1 WHERE name = 'gold.fact_order'", [faulty.hash]);
    try {
      await postOrders(home.wh, ['A4']);
      const failure = await runPipeline(home.wh, { baseCurrency: 'EUR', models }).then(() => undefined, (e: unknown) => e as Error & { code: string });
      expect(failure?.code).toBe('SP_ERR_TEST_FAILED');
      expect(failure?.message).toMatch(/reconcile\(gross_revenue\).*expected 200, found 201 \(difference \+1\)/s);
      const [{ orders }] = await home.wh.read<{ orders: number }>('SELECT SUM(orders) AS orders FROM gold.mart_daily_revenue');
      expect(Number(orders)).toBe(3);
    } finally {
      await home.wh.run("UPDATE meta.models SET sql_hash = $1 WHERE name = 'gold.fact_order'", [shipped.hash]);
    }
    // The shipped model takes the waiting order in.
    const summary = await runPipeline(home.wh, { baseCurrency: 'EUR' });
    expect(revenueOf(summary)).toEqual([['reconcile(orders)', 'pass', 4], ['reconcile(gross_revenue)', 'pass', 200]]);
  });
});
