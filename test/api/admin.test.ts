// The admin API over the hand-made shop, on every engine: grids searched, sorted and paged; personal data in
// clear for support and as tokens for analysts; edits that land as new versions through ingestion and flow into
// gold's SCD history and the KPIs; rejects re-submitted after correction; CSV and XLSX exports with tickets.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { piiToken } from '../../src/privacy/pii-tokens.js';
import { ENGINES } from '../helpers/engines.js';
import { eventually } from '../helpers/serve.js';
import { useShopService } from '../helpers/service.js';
import type { Role } from '../../src/auth/roles.js';

interface Grid { total: number; personal_data: string; columns: { name: string; editable: boolean }[]; rows: Record<string, unknown>[] }
interface ApiError { error: { code: string; message: string } }

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`admin API on ${engine.name}`, () => {
    const shop = useShopService(engine);
    const grid = async (path: string, role: Role = 'analyst') => {
      const r = await shop.api.call(path, { role });
      expect(r.status, await r.clone().text()).toBe(200);
      return (await r.json()) as Grid;
    };
    const kpis = async () => ((await (await shop.api.call('/api/kpis')).json()) as { kpis: { orders: number; gross_revenue: number } }).kpis;

    it('searches, sorts and pages a grid', async () => {
      const lamps = await grid('/api/admin/products?q=LAMP&sort=-unit_price');
      expect(lamps.total).toBe(2);
      expect(lamps.rows.map((r) => [r.product_id, r.unit_price])).toEqual([['P1', 20], ['P2', 5]]);
      const page2 = await grid('/api/admin/products?sort=product_id&page=2&pageSize=2');
      expect(page2.total).toBe(5);
      expect(page2.rows.map((r) => r.product_id)).toEqual(['P3', 'P4']);
      // A search for a LIKE wildcard finds only the character itself.
      expect((await grid('/api/admin/products?q=%25')).total).toBe(0);
      const orders = await grid('/api/admin/orders?q=lost');
      expect(orders.rows.map((r) => r.order_id)).toEqual(['O3']);
      expect(orders.columns.filter((c) => c.editable).map((c) => c.name)).toEqual(['status', 'promised_delivery_ts']);
      const bad = await shop.api.call('/api/admin/products?sort=weight', { role: 'analyst' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as ApiError).error.message).toMatch(/a column of products \(product_id, name/);
    });

    it('shows emails and names to support in clear and to analysts only as HMAC tokens', async () => {
      const bySupport = await grid('/api/admin/customers?q=grace', 'support');
      expect(bySupport.personal_data).toBe('clear');
      expect(bySupport.rows).toEqual([expect.objectContaining({ customer_id: 'C2', email: 'grace@example.com', first_name: 'Grace', last_name: 'Hopper' })]);
      const byAnalyst = await grid('/api/admin/customers?sort=customer_id', 'analyst');
      expect(byAnalyst.personal_data).toBe('tokens');
      const key = process.env.STOREPULSE_PII_SECRET!;
      expect(byAnalyst.rows[1]).toMatchObject({ customer_id: 'C2', email: piiToken(key, 'grace@example.com'), first_name: piiToken(key, 'Grace'), city: 'London' });
      expect(JSON.stringify(byAnalyst.rows)).not.toMatch(/grace|Hopper|Lovelace/i);
      // Searching a clear value finds nothing in tokens.
      expect((await grid('/api/admin/customers?q=grace', 'analyst')).total).toBe(0);
    });

    it('lands a price edit as a new version: SCD history in silver and gold, the editor named in the batch source', async () => {
      const refused = await shop.api.call('/api/admin/products/P1', { method: 'PATCH', role: 'support', json: { unit_price: '25.00' } });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as ApiError).error.message).toMatch(/Editing products is for roles admin, editor/);
      const r = await shop.api.call('/api/admin/products/P1', { method: 'PATCH', role: 'editor', json: { unit_price: '25.00' } });
      expect(r.status, await r.clone().text()).toBe(202);
      expect(await r.json()).toMatchObject({ grid: 'products', id: 'P1', status: 'accepted', record: { product_id: 'P1', name: 'Desk lamp', unit_price: '25.00', sustainability_score: 80 } });
      await eventually(async () => (await grid('/api/admin/products?q=P1')).rows[0]?.unit_price === 25, 20_000, 'the new price in the grid');
      const wh = shop.home.wh;
      const history = await wh.read<{ unit_price: number; is_current: boolean }>("SELECT unit_price, is_current FROM silver.products_history WHERE product_id = 'P1' ORDER BY valid_from");
      expect(history.map((h) => [Number(h.unit_price), h.is_current])).toEqual([[20, false], [25, true]]);
      const versions = await wh.read<{ unit_price: number; is_current: boolean }>("SELECT unit_price, is_current FROM gold.dim_product WHERE product_id = 'P1' ORDER BY valid_from");
      expect(versions.map((h) => [Number(h.unit_price), h.is_current])).toEqual([[20, false], [25, true]]);
      const [batch] = await wh.read<{ source: string }>("SELECT source FROM meta.batches WHERE entity = 'products' ORDER BY batch_id DESC LIMIT 1");
      expect(batch.source).toMatch(/^admin:PATCH \/api\/admin\/products\/P1 by editor:test-editor #/);
    });

    it('flows an order edit through to the KPIs', async () => {
      const before = await kpis();
      expect(before).toMatchObject({ orders: 6 });
      const r = await shop.api.call('/api/admin/orders/O4', { method: 'PATCH', role: 'editor', json: { status: 'cancelled' } });
      expect(r.status, await r.clone().text()).toBe(202);
      const after = await eventually(async () => { const k = await kpis(); return k.orders === 5 ? k : undefined; }, 20_000, 'the cancelled order out of the KPIs');
      expect(after.gross_revenue).toBeCloseTo(before.gross_revenue - 70, 2);
      expect((await grid('/api/admin/orders?q=O4')).rows[0]).toMatchObject({ status: 'cancelled', delivery_status: 'cancelled' });
    });

    it('refuses edits that break the contract or name fields that cannot be edited', async () => {
      const negative = await shop.api.call('/api/admin/products/P2', { method: 'PATCH', role: 'admin', json: { unit_price: -5 } });
      expect(negative.status).toBe(422);
      expect(((await negative.json()) as ApiError).error).toMatchObject({ code: 'SP_ERR_EDIT_REJECTED', message: expect.stringMatching(/unit_price must be ≥ 0/) });
      const key = await shop.api.call('/api/admin/products/P2', { method: 'PATCH', role: 'admin', json: { product_id: 'P9' } });
      expect(key.status).toBe(400);
      expect(((await key.json()) as ApiError).error.message).toMatch(/product_id cannot be edited in products\. Editable: name, category/);
      const rejects = await shop.api.call('/api/admin/rejects/1', { method: 'PATCH', role: 'admin', json: { rule: 'x' } });
      expect(rejects.status).toBe(400);
    });

    it('browses rejects (identifiers hidden from analysts) and re-submits a corrected record', async () => {
      const bad = [{ product_id: 'P6', name: 'Vase', category: 'home', unit_price: 'twelve', currency: 'EUR' }];
      const badCustomer = [{ customer_id: 'C9', email: 'not-an-email', first_name: 'Secret', country: 'DE', signup_at: '2026-01-01T00:00:00Z' }];
      for (const [entity, records] of [['products', bad], ['customers', badCustomer]] as const) {
        const r = await shop.api.call(`/api/ingest/${entity}`, { method: 'POST', json: records });
        expect(r.status).toBe(202);
      }
      const found = await eventually(async () => {
        const g = await grid('/api/admin/rejects?q=P6', 'editor');
        return g.total === 1 ? g : undefined;
      }, 20_000, 'the reject in the grid');
      const reject = found.rows[0] as { batch_id: number; line: number; rule: string; raw: string };
      expect(reject).toMatchObject({ entity: 'products', record_key: 'P6', rule: 'type:unit_price', resubmitted_batch_id: null });
      const hidden = await eventually(async () => (await grid('/api/admin/rejects?q=C9', 'analyst')).rows[0], 20_000, 'the customer reject');
      expect(JSON.parse(hidden.raw as string)).toMatchObject({ customer_id: 'C9', email: '(hidden)', first_name: '(hidden)', country: 'DE' });
      expect(JSON.parse((await grid('/api/admin/rejects?q=C9', 'support')).rows[0].raw as string)).toMatchObject({ email: 'not-an-email', first_name: 'Secret' });

      const still = await shop.api.call(`/api/admin/rejects/${reject.batch_id}/${reject.line}/resubmit`, { method: 'POST', role: 'editor', json: { record: { ...bad[0], unit_price: '-1' } } });
      expect(still.status).toBe(422);
      const fixed = await shop.api.call(`/api/admin/rejects/${reject.batch_id}/${reject.line}/resubmit`, { method: 'POST', role: 'editor', json: { record: { ...bad[0], unit_price: '12.00' } } });
      expect(fixed.status, await fixed.clone().text()).toBe(202);
      const { resubmitted_batch_id } = (await fixed.json()) as { resubmitted_batch_id: number };
      expect((await grid('/api/admin/rejects?q=P6', 'editor')).rows[0]).toMatchObject({ resubmitted_batch_id, resubmission_accepted: true });
      await eventually(async () => (await grid('/api/admin/products?q=Vase')).rows[0]?.unit_price === 12, 20_000, 'the corrected product in the grid');
      const analystResubmit = await shop.api.call(`/api/admin/rejects/${reject.batch_id}/${reject.line}/resubmit`, { method: 'POST', role: 'analyst', json: { record: bad[0] } });
      expect(analystResubmit.status).toBe(403);
    });

    it('exports a grid as CSV and XLSX with its search and sort, and hands browsers a download ticket', async () => {
      const csv = await shop.api.call('/api/admin/products/export?format=csv&sort=product_id&q=lamp', { role: 'analyst' });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="products-\d{4}-\d\d-\d\d\.csv"$/);
      const lines = (await csv.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      expect(lines[0]).toBe('product_id,name,category,subcategory,brand,unit_price,currency,unit_cost,supplier,sustainability_score,is_active,is_inferred,version_from');
      expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['P1,Desk lamp', 'P2,Lamp shade']);

      const xlsx = await shop.api.call('/api/admin/customers/export?format=xlsx&sort=customer_id', { role: 'support' });
      expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await xlsx.arrayBuffer());
      const sheet = book.getWorksheet('Customers')!;
      expect(sheet.getRow(1).getCell(2).value).toBe('email');
      expect(sheet.getRow(2).getCell(1).value).toBe('C1');
      expect(sheet.getRow(2).getCell(2).value).toBe('ada@example.com');
      expect(sheet.actualRowCount).toBe(1 + 3);

      const ticketAnswer = await shop.api.call('/api/admin/orders/export-ticket', { method: 'POST', role: 'analyst', json: { format: 'csv', sort: 'order_id' } });
      const { url } = (await ticketAnswer.json()) as { url: string };
      expect(url).toMatch(/^\/api\/admin\/orders\/export\?format=csv&ticket=.+&sort=order_id$/);
      const download = await fetch(`${shop.api.url}${url}`);
      expect(download.status).toBe(200);
      expect((await download.text()).split('\r\n')[1]).toMatch(/^O1,C1,/);
      const ticket = new URL(url, shop.api.url).searchParams.get('ticket')!;
      const elsewhere = await fetch(`${shop.api.url}/api/admin/customers/export?ticket=${ticket}`);
      expect(elsewhere.status).toBe(401);
      const asBearer = await fetch(`${shop.api.url}/api/admin/orders`, { headers: { authorization: `Bearer ${ticket}` } });
      expect(asBearer.status).toBe(401);
    });
  });
}
