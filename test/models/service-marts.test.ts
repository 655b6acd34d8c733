// The gold marts behind the customer and transparency APIs and the KPIs, on every engine: incremental runs (new
// orders, a parcel delivered, a return, a support case, stock counts, a customer moving, a cancelled order,
// catalogue changes) leave every mart exactly as a full rebuild makes it, so the `affected` queries miss nothing;
// and loyalty tiers switch at their thresholds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModels, type Model } from '../../src/models/model-file.js';
import { render } from '../../src/models/render.js';
import { runPipeline } from '../../src/pipeline/run.js';
import type { Warehouse } from '../../src/warehouse/engine.js';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';
import { loadShop, post } from '../helpers/shop.js';

const MARTS: Record<string, string> = {
  mart_order_tracking: 'order_id',
  mart_product_affinity: 'product_id, related_product_id',
  mart_customer_loyalty: 'customer_id',
  mart_product_trust: 'product_id',
  fact_order_product: 'order_id, product_id',
  mart_product_experience: 'product_id',
  mart_carrier_sla_daily: 'order_date, carrier',
  mart_carrier_sla: 'carrier',
  mart_category_daily: 'order_date, category, channel, country',
  mart_product_daily: 'order_date, product_id',
  mart_category_customers: 'customer_id, category',
  mart_daily_customers: 'order_date, all_channels, all_countries, channel, country',
  mart_group_customers: 'customer_id, all_channels, all_countries, channel, country',
  mart_case_daily: 'opened_date, channel, country',
  mart_funnel_daily: 'session_date, channel, device, country',
  mart_stock_cover_daily: 'day, product_id',
  mart_inventory_risk: 'product_id',
  // Read through {{ changes_of(...) }} of the order: the columns they name are all that re-opens them.
  fact_order_line: 'order_id, line_number',
  fact_return: 'return_id',
  fact_shipment: 'shipment_id',
  mart_customer_ltv: 'customer_id',
  mart_order_daily: 'order_date, channel, status',
};

const SUM_MODELS = loadModels().filter((m) => m.strategy === 'sum');

/** Rows in which a model's table and its SQL run whole over its inputs now differ, either way. */
async function differingRows(wh: Warehouse, m: Model): Promise<number> {
  const whole = `SELECT * FROM (${render(m.sql, { dialect: wh.dialect, baseCurrency: 'EUR' })}) w`;
  const [{ n }] = await wh.read<{ n: number }>(`SELECT COUNT(*) AS n FROM (
    (SELECT * FROM ${m.name} EXCEPT ALL ${whole}) UNION ALL (${whole} EXCEPT ALL SELECT * FROM ${m.name})) d`);
  return Number(n);
}

async function contents(wh: Warehouse): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [mart, key] of Object.entries(MARTS)) out[mart] = await wh.read(`SELECT * FROM gold.${mart} ORDER BY ${key}`);
  return out;
}

const order = (id: string, customer: string, day: string, over: Record<string, string> = {}) =>
  ({ order_id: id, customer_id: customer, order_ts: `${day}T10:00:00Z`, channel: 'web', country: 'DE', currency: 'EUR', status: 'paid', ...over });
const line = (orderId: string, n: number, product: string, price: string, quantity = 1) =>
  ({ order_id: orderId, line_number: n, product_id: product, quantity, unit_price: price });

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`service marts on ${engine.name}`, () => {
    let home: TestHome;
    const run = () => runPipeline(home.wh, { baseCurrency: 'EUR' });
    beforeAll(async () => {
      home = await openTestHome(engine);
      await loadShop(home.wh);
    });
    afterAll(async () => { await home?.cleanup(); });

    it('builds incrementally exactly what a full rebuild builds', async () => {
      // One kind of change per run, so each input's `affected` query is the only way its change gets in.
      // (The shop's orders carry no updated_at: a later delivery is the later version.)
      const steps: [string, Record<string, string | number | null>[]][][] = [
        // A new order joining two products that never met.
        [['orders', [order('O9', 'C3', '2026-03-04')]], ['order_items', [line('O9', 1, 'P3', '2.00'), line('O9', 2, 'P5', '50.00')]]],
        // One more line on an old order.
        [['order_items', [line('O1', 3, 'P4', '400.00')]]],
        // O4's parcel leaves and arrives late (a carrier not seen before).
        [['shipments', [{ shipment_id: 'S5', order_id: 'O4', carrier: 'GLS', shipped_ts: '2026-03-03T10:00:00Z', delivered_ts: '2026-03-09T10:00:00Z', status: 'delivered' }]]],
        // O4 gets a promise after the fact.
        [['orders', [order('O4', 'C3', '2026-03-02', { order_ts: '2026-03-02T12:00:00Z', country: 'GB', promised_delivery_ts: '2026-03-05T10:00:00Z' })]]],
        // O6's parcel arrives on time.
        [['shipments', [{ shipment_id: 'S4', order_id: 'O6', carrier: 'DHL', shipped_ts: '2026-03-04T10:00:00Z', delivered_ts: '2026-03-06T10:00:00Z', status: 'delivered' }]]],
        [['returns', [{ return_id: 'R2', order_id: 'O6', product_id: 'P5', quantity: 1, refund_amount: '50.00', requested_ts: '2026-03-07T10:00:00Z' }]]],
        [['support_cases', [{ case_id: 'K3', customer_id: 'C1', order_id: 'O1', channel: 'phone', opened_ts: '2026-03-07T10:00:00Z', resolved_ts: '2026-03-09T11:00:00Z', csat_score: 5 }]]],
        // Stock counted in a second warehouse, and a count of the first that arrives late (before the last one).
        [['inventory', [{ product_id: 'P1', warehouse: 'W2', snapshot_ts: '2026-03-04T08:00:00Z', on_hand: 4 }]]],
        [['inventory', [{ product_id: 'P1', warehouse: 'W1', snapshot_ts: '2026-03-02T00:00:00Z', on_hand: 12 }]]],
        // Sessions of Grace and Ada (the funnel counts them by their customer's current country).
        [['events', [
          { event_id: 'E1', session_id: 'SG', customer_id: 'C2', event_type: 'product_view', product_id: 'P1', device: 'mobile', channel: 'web', event_ts: '2026-03-01T09:00:00Z' },
          { event_id: 'E2', session_id: 'SG', customer_id: 'C2', event_type: 'add_to_cart', product_id: 'P1', device: 'mobile', channel: 'web', event_ts: '2026-03-01T09:05:00Z' },
          { event_id: 'E3', session_id: 'SA', customer_id: 'C1', event_type: 'page_view', device: 'desktop', channel: 'web', event_ts: '2026-03-02T09:00:00Z' },
        ]]],
        // Ada's new email changes no country: the funnel's days stay as they are.
        [['customers', [{ customer_id: 'C1', email: 'ada@lovelace.example', first_name: 'Ada', last_name: 'Lovelace', country: 'DE', region: 'Berlin', city: 'Berlin', signup_at: '2025-01-01T00:00:00Z', updated_at: '2026-03-06T00:00:00Z' }]]],
        // Grace moves to France: her support cases and her session count there.
        [['customers', [{ customer_id: 'C2', email: 'grace@example.com', first_name: 'Grace', last_name: 'Hopper', country: 'FR', region: 'Paris', city: 'Paris', signup_at: '2025-02-01T00:00:00Z', updated_at: '2026-03-07T00:00:00Z' }]]],
        // O2 is cancelled after all.
        [['orders', [order('O2', 'C2', '2026-03-01', { order_ts: '2026-03-01T11:00:00Z', country: 'GB', status: 'cancelled' })]]],
        // The bulb gets a better sustainability score.
        [['products', [{ product_id: 'P3', name: 'Bulb', category: 'home', brand: 'Lumen', unit_price: '2.00', currency: 'EUR', sustainability_score: 70, updated_at: '2026-03-08T00:00:00Z' }]]],
        // The bulb moves to another category: its old orders' days move with it.
        [['products', [{ product_id: 'P3', name: 'Bulb', category: 'lighting', brand: 'Lumen', unit_price: '2.00', currency: 'EUR', sustainability_score: 70, updated_at: '2026-03-09T00:00:00Z' }]]],
        // C3's only order in a store, in France, and then that order cancelled: only its status changes, and with it
        // whether it counts (read by models that never look at the status).
        [['orders', [order('O10', 'C3', '2026-03-04', { channel: 'store', country: 'FR' })]], ['order_items', [line('O10', 1, 'P2', '5.00')]]],
        [['orders', [order('O10', 'C3', '2026-03-04', { channel: 'store', country: 'FR', status: 'cancelled' })]]],
        // A case that names its order but no customer counts in the order's country, and moves when the order does.
        [['support_cases', [{ case_id: 'K4', customer_id: null, order_id: 'O10', channel: 'email', opened_ts: '2026-03-08T10:00:00Z', resolved_ts: null, csat_score: null }]]],
        [['orders', [order('O10', 'C3', '2026-03-04', { channel: 'store', country: 'ES', status: 'cancelled' })]]],
        // Three weeks without a sale, then a lamp: the stock cover gets the days between too (a full rebuild counts
        // each day from the first to the last), more days than it sums straight, so through its window.
        [['orders', [order('O11', 'C1', '2026-03-27')]], ['order_items', [line('O11', 1, 'P1', '20.00')]]],
        // One more day, whose 28 days reach back to the first: summed straight, where a full rebuild of all the days
        // runs the window.
        [['orders', [order('O12', 'C1', '2026-03-28')]], ['order_items', [line('O12', 1, 'P1', '20.00')]]],
      ];
      const results: Awaited<ReturnType<typeof run>>['models'][] = [];
      for (const [i, step] of steps.entries()) {
        for (const [entity, records] of step) await post(home.wh, entity, records);
        results.push((await run()).models);
        // A sum model's table after each run holds what its SQL gives over the inputs now: checked at every step,
        // as a later whole rebuild (a product's new category, for the sums by category) would hide an earlier slip.
        for (const m of SUM_MODELS) expect(await differingRows(home.wh, m), `${m.name} after step ${i}`).toBe(0);
      }
      // A sum model takes the new order alone: its one pair both ways, one more order for each product.
      const first = (model: string) => results[0].find((r) => r.model === `gold.${model}`);
      expect(first('mart_product_affinity')).toMatchObject({ mode: 'incremental', partitions: 1, inserted: 2, updated: 0, deleted: 0 });
      expect(first('mart_product_experience')).toMatchObject({ mode: 'incremental', partitions: 1, inserted: 0, updated: 2, deleted: 0 });
      // The sums by category: a new order adds its share to its day's rows; a product's new sustainability score
      // re-opens nothing there, and its new category (a table the mart reads as it is now) rebuilds the mart whole.
      const byCategory = (step: number) => results[step].find((r) => r.model === 'gold.mart_category_daily');
      expect(byCategory(0)).toMatchObject({ mode: 'incremental', partitions: 1, deleted: 0 });
      expect(byCategory(13)).toMatchObject({ mode: 'incremental', partitions: 0, inserted: 0, updated: 0, deleted: 0 });
      expect(byCategory(14)).toMatchObject({ mode: 'incremental', updated: 0 });
      expect(byCategory(14)!.deleted).toBeGreaterThan(0);
      expect(byCategory(14)!.inserted).toBeGreaterThan(0);
      // A new order has no parcel and no return yet: it re-opens nothing in their facts, which build and test nothing.
      for (const model of ['fact_shipment', 'fact_return']) expect(first(model), model).toMatchObject({ mode: 'incremental', partitions: 0 });
      // O6's parcel changes only its order's delivery flags: the models that read them re-open its day, those
      // that read other columns of the order ({{ changes_of(...) }}) re-open nothing: nor do the product pairs,
      // which read only which products an order holds of fact_order_product.
      const parcel = (model: string) => results[4].find((r) => r.model === `gold.${model}`);
      expect(parcel('mart_daily_revenue')).toMatchObject({ mode: 'incremental', partitions: 1 });
      expect(parcel('fact_order_product')).toMatchObject({ mode: 'incremental', partitions: 1 });
      expect(parcel('mart_product_affinity')).toMatchObject({ mode: 'incremental', partitions: 0, inserted: 0, updated: 0, deleted: 0 });
      for (const model of ['fact_order_line', 'fact_return', 'mart_group_customers', 'mart_daily_customers', 'mart_customer_ltv', 'mart_order_daily']) {
        expect(parcel(model), model).toMatchObject({ mode: 'incremental', partitions: 0 });
      }

      const incremental = await contents(home.wh);
      expect(incremental.mart_carrier_sla.map((r) => (r as { carrier: string }).carrier)).toEqual(['DHL', 'GLS', 'UPS']);
      expect(incremental.mart_order_tracking.find((r) => (r as { order_id: string }).order_id === 'O2')).toMatchObject({ delivery_status: 'cancelled' });
      expect(incremental.mart_case_daily.filter((r) => (r as { country: string }).country === 'FR')).toHaveLength(2);
      // P1's stock to the last day with sales: none counted on 03-01, W1's late count of 03-02, its count of 03-03,
      // and on 03-04 W2's too.
      const p1 = (incremental.mart_stock_cover_daily as { day: unknown; product_id: string; on_hand: unknown }[])
        .filter((r) => r.product_id === 'P1').map((r) => [String(r.day).slice(0, 10), Number(r.on_hand)]);
      expect(p1.slice(0, 4)).toEqual([['2026-03-01', 0], ['2026-03-02', 12], ['2026-03-03', 10], ['2026-03-04', 14]]);
      // Every day to the last sale, the weeks without one included.
      expect(p1.map(([d]) => d)).toEqual(Array.from({ length: 28 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`));
      // Inventory at risk as of a day is the stock cover of the day before (the two marts reach it their own ways).
      type Cover = { day: unknown; product_id: string; units_28d: unknown; on_hand: unknown };
      const day = (d: unknown) => String(d).slice(0, 10);
      const risk = (incremental.mart_inventory_risk as (Cover & { as_of_date: unknown })[]).filter((r) => Number(r.units_28d) > 0);
      const lastCover = day(new Date(Date.parse(day(risk[0].as_of_date)) - 86_400_000).toISOString());
      expect(risk.map((r) => [r.product_id, Number(r.units_28d), Number(r.on_hand)])).toEqual(
        (incremental.mart_stock_cover_daily as Cover[]).filter((r) => day(r.day) === lastCover).map((r) => [r.product_id, Number(r.units_28d), Number(r.on_hand)]));
      expect(risk.find((r) => r.product_id === 'P1')).toMatchObject({ on_hand: 14 });
      await runPipeline(home.wh, { baseCurrency: 'EUR', fullRefresh: true });
      expect(await contents(home.wh)).toEqual(incremental);
    });

    it('switches loyalty tiers at their thresholds, with progress from one to the next', async () => {
      const values: [string, string][] = [['L0', '499.99'], ['L1', '500.00'], ['L2', '1999.00'], ['L3', '2000.00'], ['L4', '5000.00'], ['L5', '12000.00']];
      await post(home.wh, 'orders', values.map(([c]) => order(`O-${c}`, c, '2026-03-04')));
      await post(home.wh, 'order_items', values.map(([c, v]) => line(`O-${c}`, 1, 'P1', v)));
      await run();
      const rows = await home.wh.read<Record<string, unknown>>(`SELECT customer_id, points, tier, next_tier, points_to_next_tier, next_tier_progress
        FROM gold.mart_customer_loyalty WHERE customer_id LIKE 'L%' ORDER BY customer_id`);
      expect(rows).toEqual([
        { customer_id: 'L0', points: 499, tier: 'Bronze', next_tier: 'Silver', points_to_next_tier: 1, next_tier_progress: 499 / 500 },
        { customer_id: 'L1', points: 500, tier: 'Silver', next_tier: 'Gold', points_to_next_tier: 1500, next_tier_progress: 0 },
        { customer_id: 'L2', points: 1999, tier: 'Silver', next_tier: 'Gold', points_to_next_tier: 1, next_tier_progress: 1499 / 1500 },
        { customer_id: 'L3', points: 2000, tier: 'Gold', next_tier: 'Platinum', points_to_next_tier: 3000, next_tier_progress: 0 },
        { customer_id: 'L4', points: 5000, tier: 'Platinum', next_tier: null, points_to_next_tier: null, next_tier_progress: 1 },
        { customer_id: 'L5', points: 12000, tier: 'Platinum', next_tier: null, points_to_next_tier: null, next_tier_progress: 1 },
      ]);
    });
  });
}
