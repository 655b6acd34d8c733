// A right-to-be-forgotten request on every engine: after erase, no table in any layer (bronze, silver, gold,
// the service's own tables, meta) holds the customer's email, names, city or their tokens, not even the rejected
// copy of a bad record or the bronze content hash; the audit record says what was cleared; and every KPI is what
// it was, also after further runs and a full rebuild.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryKpis, type KpiTotal } from '../../src/kpi/kpi-service.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { eraseCustomer, listErasures } from '../../src/privacy/erase-customer.js';
import { piiToken } from '../../src/privacy/pii-tokens.js';
import { writeReminders } from '../../src/customers/reminder-preferences.js';
import type { Warehouse } from '../../src/warehouse/engine.js';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';
import { loadShop, post } from '../helpers/shop.js';

/** Every text cell of every table in the warehouse's schemas that contains one of the needles: "table.column: value". */
async function traces(wh: Warehouse, needles: string[]): Promise<string[]> {
  const columns = await wh.read<{ s: string; t: string; c: string }>(`SELECT table_schema AS s, table_name AS t, column_name AS c
    FROM information_schema.columns WHERE table_schema IN ('bronze', 'silver', 'gold', 'meta', 'app') ORDER BY 1, 2, 3`);
  const found: string[] = [];
  for (const { s, t, c } of columns) {
    const hits = await wh.read<{ v: string }>(`SELECT CAST(${c} AS VARCHAR) AS v FROM ${s}.${t}
      WHERE ${needles.map((_, i) => `CAST(${c} AS VARCHAR) LIKE $${i + 1}`).join(' OR ')} LIMIT 3`, needles.map((n) => `%${n}%`));
    for (const h of hits) found.push(`${s}.${t}.${c}: ${h.v}`);
  }
  return found;
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`erasure on ${engine.name}`, () => {
    let home: TestHome;
    const key = () => process.env.STOREPULSE_PII_SECRET!;
    // Ada's personal data as it arrived, and as gold holds it (tokens).
    const needles = () => ['ada@example.com', 'Lovelace', '"Ada"', 'Berlin', 'ada@old.example', piiToken(key(), 'ada@example.com'), piiToken(key(), 'Ada'), piiToken(key(), 'Lovelace')];
    beforeAll(async () => {
      home = await openTestHome(engine);
      await loadShop(home.wh);
      // An earlier address, a rejected copy (bad email) and reminder preferences: every place personal data goes.
      await post(home.wh, 'customers', [{ customer_id: 'C1', email: 'ada@old.example', first_name: 'Ada', last_name: 'Lovelace', country: 'DE', city: 'Berlin', signup_at: '2025-01-01T00:00:00Z', updated_at: '2024-06-01T00:00:00Z' }]);
      await post(home.wh, 'customers', [{ customer_id: 'C1', email: 'ada at example', first_name: 'Ada', last_name: 'Lovelace', country: 'DE', signup_at: '2025-01-01T00:00:00Z', updated_at: '2025-06-01T00:00:00Z' }]).catch(() => undefined);
      await runPipeline(home.wh, { baseCurrency: 'EUR' });
      await writeReminders(home.wh, 'C1', { channels: ['sms'], quiet_hours: null, cadence: 'daily' }, 'customer:C1');
    });
    afterAll(async () => { await home?.cleanup(); });

    it('finds the customer\'s personal data in every layer before', async () => {
      const before = await traces(home.wh, needles());
      for (const table of ['bronze.customers', 'silver.customers.', 'silver.customers_history', 'silver.rejects.raw', 'gold.dim_customer']) {
        expect(before.some((t) => t.startsWith(table)), `${table} in ${before.join('\n')}`).toBe(true);
      }
    });

    it('clears it everywhere, keeps the KPIs, and writes an audit record', async () => {
      const total = (await queryKpis(home.wh, {})) as KpiTotal;
      const byCountry = await queryKpis(home.wh, { by: 'country' });
      const [hashBefore] = await home.wh.read<{ h: string }>("SELECT MIN(_hash) AS h FROM bronze.customers WHERE customer_id = 'C1'");

      const erasure = await eraseCustomer(home.wh, 'C1', { requestedBy: 'dpo@example.com', reason: 'ticket 42' });
      expect(erasure).toMatchObject({ customer_id: 'C1', requested_by: 'dpo@example.com', reason: 'ticket 42', files_outside: [] });
      expect(erasure.cleared).toMatchObject({ 'bronze.customers': 3, 'silver.customers': 1, 'silver.customers_history': 2, 'silver.rejects': 1, 'app.reminder_preferences': 1 });
      expect(erasure.cleared['gold.dim_customer']).toBeGreaterThanOrEqual(1);
      expect(await traces(home.wh, needles())).toEqual([]);
      // The bronze content hash covered the values; its replacement does not.
      const [hashAfter] = await home.wh.read<{ h: string }>("SELECT MIN(_hash) AS h FROM bronze.customers WHERE customer_id = 'C1'");
      expect(hashAfter.h).not.toBe(hashBefore.h);
      expect(hashAfter.h).not.toBe(createHash('md5').update('ada@example.com').digest('hex'));

      expect(await queryKpis(home.wh, {})).toEqual(total);
      expect(await queryKpis(home.wh, { by: 'country' })).toEqual(byCountry);
      const [audit] = await listErasures(home.wh);
      expect(audit).toMatchObject({ erasure_id: 1, customer_id: 'C1', cleared: erasure.cleared });

      // Later runs (a new order of hers, then a rebuild of all gold) bring nothing back and count the same.
      await post(home.wh, 'orders', [{ order_id: 'O8', customer_id: 'C1', order_ts: '2026-03-03T12:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid' }]);
      await runPipeline(home.wh, { baseCurrency: 'EUR' });
      await runPipeline(home.wh, { baseCurrency: 'EUR', fullRefresh: true });
      expect(await traces(home.wh, needles())).toEqual([]);
      const rebuilt = (await queryKpis(home.wh, {})) as KpiTotal;
      expect(rebuilt).toEqual({ ...total, kpis: { ...total.kpis, orders: (total.kpis.orders ?? 0) + 1, aov: rebuilt.kpis.aov } });
      const [c1] = await home.wh.read<{ n: number }>("SELECT COUNT(*) AS n FROM gold.fact_order WHERE customer_id = 'C1'");
      expect(Number(c1.n)).toBe(3);
    });
  });
}
