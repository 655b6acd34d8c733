// A model whose change set later models read rebuilds every partition a change re-opened, but writes only those whose
// rows differ: one rebuilt to the same rows is neither deleted nor inserted. On DuckDB the changed partitions' rows
// are deleted by the row ids kept with the rows before (Dialect.rowIds); on PostgreSQL by the partition column.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/run.js';
import { ENGINES } from '../helpers/engines.js';
import { item, landRows, openTestHome, order, type Rows, type TestHome } from '../helpers/fixtures.js';

describe.each(ENGINES)('partitions re-opened on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeEach(async () => { home = await openTestHome(engine); });
  afterEach(async () => { await home.cleanup(); });

  const land = (entity: 'orders' | 'order_items' | 'shipments', rows: Rows) => landRows(home, entity, rows);
  const run = () => runPipeline(home.wh, { baseCurrency: 'EUR' });
  const parcel = (orderId: string, over: Record<string, string> = {}) => ({
    shipment_id: `S-${orderId}`, order_id: orderId, carrier: 'DHL', shipped_ts: '2026-01-02T10:00:00Z', delivered_ts: '',
    status: 'in_transit', updated_at: '2026-01-02T10:00:00Z', ...over,
  });
  const orders = () => home.wh.all<Record<string, unknown>>('SELECT order_id, status, shipments FROM gold.fact_order ORDER BY order_id');

  it('writes only the re-opened partitions whose rows changed, and keeps the others as they were', async () => {
    await land('orders', [order('O1'), order('O2'), order('O3')]);
    await land('order_items', [item('O1', 1), item('O2', 1), item('O3', 1)]);
    await land('shipments', [parcel('O1'), parcel('O3')]);
    await run();
    // O1's parcel changes carrier, which fact_order does not read: O1 is rebuilt to the same row. O2's status
    // changes. O3 is not re-opened.
    await land('shipments', [parcel('O1', { carrier: 'UPS', updated_at: '2026-01-03T10:00:00Z' })]);
    await land('orders', [order('O2', { status: 'shipped', updated_at: '2026-01-03T10:00:00Z' })]);
    const day = await run();
    expect(day.models.find((m) => m.model === 'gold.fact_order')).toMatchObject({ mode: 'incremental', partitions: 2, deleted: 1, inserted: 1 });
    const incremental = await orders();
    expect(incremental).toEqual([
      { order_id: 'O1', status: 'paid', shipments: 1 },
      { order_id: 'O2', status: 'shipped', shipments: 0 },
      { order_id: 'O3', status: 'paid', shipments: 1 },
    ]);
    await runPipeline(home.wh, { baseCurrency: 'EUR', fullRefresh: true });
    expect(await orders()).toEqual(incremental);
  });
});
