// A model that reads an upstream through {{ rebuilt('…') }} reads, in an incremental build, the upstream's rows
// just rebuilt in this run where they cover every partition it re-opens, and the upstream's table where they do
// not. Either way its rows are those of a full build.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timedWarehouse, type StatementTime } from '../../bench/profile.js';
import { loadModels, parseModel } from '../../src/models/model-file.js';
import { runPipeline, type RunOptions } from '../../src/pipeline/run.js';
import type { Warehouse } from '../../src/warehouse/engine.js';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';
import { loadShop, post } from '../helpers/shop.js';

/** A run of the pipeline, with the statements it sent (bench/profile.ts's timed warehouse keeps each). */
async function recordedRun(wh: Warehouse, options: RunOptions): Promise<string[]> {
  const times: StatementTime[] = [];
  await runPipeline(timedWarehouse(wh, () => '', times), options);
  return times.map((t) => t.sql);
}

/** The statement that built a model's rebuilt partitions, by the temp table it created. */
const buildOf = (sent: string[], model: string) => {
  const found = sent.filter((sql) => sql.startsWith(`CREATE TEMP TABLE new_chg_gold_${model} AS`));
  expect(found, model).toHaveLength(1);
  return found[0];
};

const MODELS = ['fact_order_line', 'fact_shipment', 'fact_return', 'mart_order_tracking', 'fact_order_product'];

// The product fact re-opens orders that its upstreams did not rebuild (a support case of an old order), so the
// shipped model reads them from their tables. This variant reads two of them through {{ rebuilt('…') }}, so that a
// run shows both ways.
const models = loadModels().map((m) => (m.name !== 'gold.fact_order_product' ? m : parseModel(m.file, readFileSync(m.file, 'utf8')
  .replace('FROM gold.fact_order_line l', "FROM {{ rebuilt('gold.fact_order_line') }} l")
  .replace('JOIN gold.mart_order_tracking t', "JOIN {{ rebuilt('gold.mart_order_tracking') }} t"))));

describe.each(ENGINES)('upstream rows just rebuilt, on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeEach(async () => { home = await openTestHome(engine); });
  afterEach(async () => { await home.cleanup(); });

  const rows = async () => Object.fromEntries(await Promise.all(MODELS.map(async (m) =>
    [m, await home.wh.all(`SELECT * FROM gold.${m} ORDER BY 1, 2`)] as const)));

  it('stand for the upstream table where they cover the partitions re-opened, and not where they do not', async () => {
    expect(models.find((m) => m.name === 'gold.fact_order_product')!.readsRebuilt).toEqual(['gold.fact_order_line', 'gold.mart_order_tracking']);
    await loadShop(home.wh, models);
    // A new order: every model re-opens it alone, which fact_order has just rebuilt.
    await post(home.wh, 'orders', [{ order_id: 'O8', customer_id: 'C1', order_ts: '2026-03-04T10:00:00Z', channel: 'web', country: 'DE',
      currency: 'EUR', status: 'paid', promised_delivery_ts: '2026-03-07T10:00:00Z' }]);
    await post(home.wh, 'order_items', [{ order_id: 'O8', line_number: 1, product_id: 'P2', quantity: 3, unit_price: '5.00' }]);
    await post(home.wh, 'shipments', [{ shipment_id: 'S8', order_id: 'O8', carrier: 'DHL', shipped_ts: '2026-03-05T10:00:00Z',
      delivered_ts: '2026-03-06T10:00:00Z', status: 'delivered' }]);
    let sent = await recordedRun(home.wh, { baseCurrency: 'EUR', models });
    expect(buildOf(sent, 'fact_order_line')).toMatch(/JOIN new_chg_gold_fact_order o\b/);
    expect(buildOf(sent, 'fact_shipment')).toMatch(/JOIN new_chg_gold_fact_order o\b/);
    expect(buildOf(sent, 'mart_order_tracking')).toMatch(/FROM new_chg_gold_fact_order o\b/);
    expect(buildOf(sent, 'fact_order_product')).toMatch(/FROM new_chg_gold_fact_order_line l\b/);
    expect(buildOf(sent, 'fact_order_product')).toMatch(/JOIN new_chg_gold_mart_order_tracking t\b/);
    // (The return fact re-opens nothing: the new order has no return.)
    for (const m of MODELS.filter((x) => x !== 'fact_return')) expect(buildOf(sent, m)).not.toMatch(/\bgold\.(fact_order|fact_order_line|mart_order_tracking) /);

    // A new order, and a support case of O1 (delivered on time, days ago): the product fact re-opens O1 too, which
    // the tracking mart did not rebuild, so it reads the tracking of both from the mart itself.
    await post(home.wh, 'orders', [{ order_id: 'O9', customer_id: 'C2', order_ts: '2026-03-05T10:00:00Z', channel: 'web', country: 'GB',
      currency: 'EUR', status: 'paid' }]);
    await post(home.wh, 'order_items', [{ order_id: 'O9', line_number: 1, product_id: 'P1', quantity: 1, unit_price: '20.00' }]);
    await post(home.wh, 'support_cases', [{ case_id: 'K3', customer_id: 'C1', order_id: 'O1', channel: 'chat', opened_ts: '2026-03-05T12:00:00Z',
      resolved_ts: '2026-03-05T13:00:00Z', csat_score: 5 }]);
    sent = await recordedRun(home.wh, { baseCurrency: 'EUR', models });
    expect(buildOf(sent, 'fact_order_line')).toMatch(/JOIN new_chg_gold_fact_order o\b/);
    const product = buildOf(sent, 'fact_order_product');
    expect(product).toMatch(/JOIN gold\.mart_order_tracking t\b/);
    expect(product).toMatch(/FROM gold\.fact_order_line l\b/);

    const incremental = await rows();
    // O1's products keep its punctual delivery, which the tracking mart's rows of O9 alone would have lost.
    expect((incremental.fact_order_product as Record<string, unknown>[]).filter((r) => r.order_id === 'O1')
      .map((r) => [r.product_id, Number(r.delivered_on_time), Number(r.support_cases)])).toEqual([['P1', 1, 1], ['P2', 1, 1]]);
    await runPipeline(home.wh, { baseCurrency: 'EUR', fullRefresh: true, models });
    expect(await rows()).toEqual(incremental);
  });
});
