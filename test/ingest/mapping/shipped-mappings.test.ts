// Each shipped mapping loads its sample data set, on every engine, and the KPIs match the figures computed
// independently from the foreign files (sample-figures.ts). The samples hold deliberate faults (an unknown
// status word, a line of no units, a day that does not exist, a score out of range): they must end in rejects.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMapping } from '../../../src/ingest/mapping/apply-mapping.js';
import { loadMapping } from '../../../src/ingest/mapping/load-mapping.js';
import { MAPPINGS_DIR, resolveMappingFile } from '../../../src/ingest/mapping/shipped-mappings.js';
import { queryKpis, type KpiBreakdown, type KpiTotal } from '../../../src/kpi/kpi-service.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import { listRejects } from '../../../src/quality/rejects.js';
import { ENGINES } from '../../helpers/engines.js';
import { openTestHome, type TestHome } from '../../helpers/fixtures.js';
import { KPI_NAMES, type KpiValues } from '../../kpi/independent-kpis.js';
import { marketplaceFigures, shopFigures, type Window } from './sample-figures.js';

const MONEY = new Set(['gross_revenue', 'discounts', 'refunds', 'net_revenue', 'aov']);

function expectSameKpis(actual: Record<string, number | null>, expected: KpiValues): void {
  for (const k of KPI_NAMES) {
    const a = actual[k];
    const e = expected[k];
    if (e === null || a === null) expect(a, k).toBe(e);
    else if (MONEY.has(k)) expect(Math.round(a * 100), k).toBe(Math.round(e * 100));
    else expect(a, k).toBeCloseTo(e, 9);
  }
}

async function load(home: TestHome, name: string, baseCurrency: string) {
  const sample = join(MAPPINGS_DIR, name, 'sample');
  const { outcomes } = await applyMapping(home.wh, loadMapping(resolveMappingFile(name)), [sample]);
  expect(outcomes.filter((o) => o.status !== 'loaded')).toEqual([]);
  await runPipeline(home.wh, { baseCurrency });
  return { sample, outcomes };
}

describe.each(ENGINES)('shipped mappings on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);

  describe('shopify: the order export (one row per line item) and the product export', () => {
    let home: TestHome;
    let sample: string;
    const window: Window = { from: '2026-01-01', to: '2026-02-01' };
    beforeAll(async () => {
      home = await openTestHome(engine);
      ({ sample } = await load(home, 'shopify', 'EUR'));
    });
    afterAll(async () => { await home?.cleanup(); });

    it('gives the KPIs computed from the export files', async () => {
      const expected = await shopFigures(sample, window);
      const actual = await queryKpis(home.wh, window) as KpiTotal;
      expectSameKpis(actual.kpis, expected.kpis);
      expect(actual.kpis.orders).toBeGreaterThan(5);
    });

    it('places each order on its UTC day (the export writes local times with an offset)', async () => {
      const expected = await shopFigures(sample, window);
      const byDate = await queryKpis(home.wh, { ...window, by: 'date' }) as KpiBreakdown;
      const actual = new Map(byDate.rows.filter((r) => (r.orders ?? 0) > 0).map((r) => [String(r.date), r.orders]));
      expect(actual).toEqual(expected.ordersByDate);
      // #1007 was placed at 00:30 on the 10th in UTC+1: the 9th in UTC.
      expect(actual.get('2026-01-09')).toBe(1);
    });

    it('rejects the unknown status word and the line of no units, with the foreign row kept', async () => {
      const rejects = await listRejects(home.wh);
      expect(rejects.map((r) => [r.entity, r.key, r.rule])).toEqual([
        ['orders', '1008', 'enum:status'],
        ['order_items', '1009|3', 'range:quantity'],
      ]);
      expect(rejects[0].raw).toMatchObject({ status: 'expired', _mapping: 'shopify', _from: 'orders_export_1.csv' });
      expect(rejects[1].raw).toMatchObject({ _foreign: { Name: '#1009', 'Lineitem sku': 'CAP-NAVY', 'Lineitem quantity': '0' } });
      expect(rejects[1].source).toBe(join(sample, 'orders_export_1.csv'));
    });

    it('lands the same export once', async () => {
      const again = await applyMapping(home.wh, loadMapping(resolveMappingFile('shopify')), [sample]);
      expect(again.outcomes.map((o) => o.status)).toEqual(again.outcomes.map(() => 'skipped'));
    });
  });

  describe('marketplace: orders, items, payments, customers, products and reviews tables', () => {
    let home: TestHome;
    let sample: string;
    const window: Window = { from: '2018-06-01', to: '2018-07-01' };
    beforeAll(async () => {
      home = await openTestHome(engine, 'BRL');
      ({ sample } = await load(home, 'marketplace', 'BRL'));
    });
    afterAll(async () => { await home?.cleanup(); });

    it('gives the KPIs computed from the tables (a review is a CSAT case, times in São Paulo)', async () => {
      const expected = await marketplaceFigures(sample, window);
      const actual = await queryKpis(home.wh, window) as KpiTotal;
      expectSameKpis(actual.kpis, expected);
      expect(actual.kpis.csat).not.toBeNull();
      expect(actual.kpis.fulfilment_sla).not.toBeNull();
    });

    it('derives freight from the payments file and the person from the customer table', async () => {
      const orders = await home.wh.all<{ order_id: string; shipping_amount: number; customer_id: string }>(
        'SELECT order_id, shipping_amount, customer_id FROM silver.orders ORDER BY order_id');
      expect(orders.length).toBe(8);
      // o03 paid 30.00 by voucher and the rest by card: 151.50 in all for 119.70 of items, so 31.80 of freight.
      const o03 = orders.find((o) => o.order_id === '863ba99e0319d872decf3a0e1e70ce11')!;
      expect(o03.shipping_amount).toBeCloseTo(31.8, 2);
      // Three of the orders are by one person, under three per-order customer ids.
      const counts = new Map<string, number>();
      for (const o of orders) counts.set(o.customer_id, (counts.get(o.customer_id) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBe(3);
    });

    it('rejects the day that does not exist and the score out of range', async () => {
      const rejects = await listRejects(home.wh);
      expect(rejects.map((r) => `${r.entity} ${r.rule}`).sort()).toEqual(
        ['customers type:signup_at', 'orders type:order_ts', 'support_cases range:csat_score']);
      expect(rejects.find((r) => r.entity === 'orders')!.raw).toMatchObject({ order_ts: '2018-06-31 09:00:00' });
    });
  });
});
