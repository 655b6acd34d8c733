// The data-quality scorecard on the dashboard's pipeline-health panel, in a real browser (Debian's Chromium driven
// by playwright-core) against a real `storepulse serve`: a table with column and row headers, filled from
// /api/quality for the latest ingestion day, and updated when new records arrive.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, LIVE } from '../helpers/browser.js';
import { postRecords, startServe, type ServedProcess } from '../helpers/serve.js';

const available = chromiumAvailable('the quality panel browser test');

const order = (id: string, over: Record<string, unknown> = {}) =>
  ({ order_id: id, customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid', ...over });

describe.skipIf(!available)('the quality scorecard on the dashboard', () => {
  const home = mkdtempSync(join(tmpdir(), 'sp-web-quality-'));
  let server: ServedProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const post = (entity: string, records: unknown[]) => postRecords(server.url, entity, records);
  const scorecard = () => page.locator('#quality [data-testid="quality-scorecard"]');
  const row = (name: string) => scorecard().locator('tbody tr', { has: page.locator(`th:text-is("${name}")`) });

  beforeAll(async () => {
    server = await startServe(home);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('says there is nothing yet, then shows pass rates per entity and dimension in a table with headers', async () => {
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.locator('#quality').textContent(), LIVE).toMatch(/Data quality.*No records processed yet/);
    // Four orders: one without its customer (completeness), one with an unknown channel (validity).
    await post('orders', [order('A1'), order('A2'), order('A3', { customer_id: null }), order('A4', { channel: 'fax' })]);
    await expect.poll(() => row('Orders').locator('td').allTextContents(), LIVE)
      .toEqual(['75.0% (3 of 4)', '75.0% (3 of 4)', '100.0% (2 of 2)', '100.0% (2 of 2)']);
    expect(await scorecard().locator('thead th').allTextContents()).toEqual(['Entity', 'Completeness', 'Validity', 'Uniqueness', 'Referential integrity']);
    expect(await scorecard().locator('tbody th[scope="row"]').allTextContents()).toEqual(['Orders', 'All entities']);
    const today = await page.evaluate(async () => ((await (await fetch('/api/health')).json()) as { as_of: string }).as_of.slice(0, 10));
    expect(await scorecard().locator('caption').textContent()).toBe(`Pass rate (records passed of records checked), records ingested on ${today}`);
  });

  it('updates live: a line waiting for its order lowers referential integrity, and the rules list names why', async () => {
    await post('order_items', [{ order_id: 'A404', line_number: 1, product_id: 'P1', quantity: 1, unit_price: '5.00' }, { order_id: 'A1', line_number: 1, product_id: 'P1', quantity: 1, unit_price: '5.00' }]);
    await expect.poll(() => row('Order items').locator('td').last().textContent(), LIVE).toBe('50.0% (1 of 2)');
    expect(await row('All entities').locator('td').allTextContents()).toEqual(['83.3% (5 of 6)', '83.3% (5 of 6)', '100.0% (4 of 4)', '75.0% (3 of 4)']);
    const rules = page.locator('#quality details');
    await rules.locator('summary').click();
    const ruleRows = await rules.locator('[data-testid="quality-rules"] tbody tr').allTextContents();
    expect(ruleRows).toEqual(expect.arrayContaining([
      expect.stringMatching(/^pending:awaiting_orderOrder itemsReferential integrity1$/),
      expect.stringMatching(/^required:customer_idOrdersCompleteness1$/),
      expect.stringMatching(/^enum:channelOrdersValidity1$/),
    ]));
    expect(pageErrors).toEqual([]);
  });
});
