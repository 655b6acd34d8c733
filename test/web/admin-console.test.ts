// The admin console in a real browser against a real `storepulse serve`: an editor signs in with a token, searches
// the products grid, edits a price inline, exports the grid as CSV, and sees the new price in the dashboard's
// product-performance view; a reject is corrected and re-submitted; every control is labelled.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../src/auth/tokens.js';
import { chromiumAvailable, launchChromium, LIVE } from '../helpers/browser.js';
import { eventually, postRecords, startServe, type ServedProcess } from '../helpers/serve.js';

const available = chromiumAvailable('the admin console browser tests');

describe.skipIf(!available)('the admin console in Chromium', () => {
  const home = mkdtempSync(join(tmpdir(), 'sp-admin-web-'));
  const secret = randomBytes(32).toString('hex');
  let server: ServedProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const post = (entity: string, records: unknown[]) => postRecords(server.url, entity, records);
  const cell = (row: string, column: number) => page.locator(`[data-testid="grid-products"] tr[data-row="${row}"] td`).nth(column);

  beforeAll(async () => {
    server = await startServe(home, [], { STOREPULSE_JWT_SECRET: secret });
    await post('products', [
      { product_id: 'P1', name: 'Desk lamp', category: 'home', unit_price: '20.00', currency: 'EUR', updated_at: '2026-01-01T00:00:00Z' },
      { product_id: 'P2', name: 'Armchair', category: 'furniture', unit_price: '400.00', currency: 'EUR', updated_at: '2026-01-01T00:00:00Z' },
    ]);
    const orders = ['A1', 'A2', 'A3'].map((id, i) => ({ order_id: id, customer_id: `C${i}`, order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid' }));
    await post('orders', orders);
    await post('order_items', [...orders.map((o) => ({ order_id: o.order_id, line_number: 1, product_id: 'P1', quantity: 1, unit_price: '20.00' })),
      { order_id: 'A1', line_number: 2, product_id: 'P2', quantity: 1, unit_price: '400.00' }]);
    await eventually(async () => ((await (await fetch(`${server.url}/api/products/top`)).json()) as { rows: unknown[] }).rows.length === 2, 30_000, 'the products in gold');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('signs in with a token and shows the products grid with every control labelled', async () => {
    const { token } = await new TokenService(secret).issue({ role: 'editor', subject: 'eve' });
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#who').textContent(), LIVE).toBe('Signed in as eve (editor)');
    await expect.poll(() => page.locator('[data-testid="grid-products"] tbody tr').count(), LIVE).toBe(2);
    expect(await page.locator('.tabs a[aria-current="page"]').textContent()).toBe('Products');
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('select, input, button')]
      .filter((c) => !(c as HTMLInputElement).labels?.length && !c.textContent?.trim() && !c.getAttribute('aria-label') && !(c as HTMLElement).hidden && (c as HTMLElement).offsetParent !== null)
      .map((c) => c.outerHTML));
    expect(unlabelled).toEqual([]);
  });

  it('searches, edits a price inline, and shows the new version once the pipeline has run', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill('lamp');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="grid-products"] tbody tr').count(), LIVE).toBe(1);
    expect(page.url()).toContain('#/products?q=lamp');
    expect(await cell('P1', 1).textContent()).toBe('Desk lamp');

    await page.getByRole('button', { name: 'Edit P1' }).click();
    const price = page.getByLabel('Unit price of P1');
    expect(await price.inputValue()).toBe('20.00');
    await price.fill('35.00');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#status').textContent(), LIVE).toMatch(/^Saved P1 as a new version \(batch \d+\)/);
    await expect.poll(() => cell('P1', 5).textContent(), LIVE).toBe('35.00');
  });

  it('exports the grid it shows as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', LIVE), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^products-\d{4}-\d\d-\d\d\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0].split(',').slice(0, 7)).toEqual(['product_id', 'name', 'category', 'subcategory', 'brand', 'unit_price', 'currency']);
    // The search travels with the export: only the lamp, at its new price.
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 7).join(','))).toEqual(['P1,Desk lamp,home,,,35,EUR']);
  });

  it('corrects a reject and re-submits it', async () => {
    await post('products', [{ product_id: 'P3', name: 'Vase', category: 'home', unit_price: 'twelve', currency: 'EUR' }]);
    await page.getByRole('link', { name: 'Rejects' }).click();
    const correct = page.getByRole('button', { name: /^Correct the reject at batch \d+ line 1$/ });
    await expect.poll(() => correct.count(), LIVE).toBe(1);
    await correct.click();
    const price = page.locator('.correction').getByLabel('unit_price');
    expect(await price.inputValue()).toBe('twelve');
    await price.fill('12.00');
    await page.getByRole('button', { name: 'Re-submit' }).click();
    await expect.poll(() => page.locator('#status').textContent(), LIVE).toMatch(/^Re-submitted as batch \d+/);
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('vase');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => cell('P3', 5).textContent(), LIVE).toBe('12.00');
  });

  it('shows the new price in the product-performance view', async () => {
    await page.goto(`${server.url}/#/products`);
    const lamp = page.locator('[data-testid="top-products"] tbody tr', { hasText: 'Desk lamp' });
    await expect.poll(() => lamp.count(), LIVE).toBe(1);
    const headers = await page.locator('[data-testid="top-products"] thead th').allTextContents();
    const listPrice = headers.indexOf('List price');
    expect(listPrice).toBeGreaterThan(0);
    await expect.poll(() => lamp.locator('th, td').nth(listPrice).textContent(), LIVE).toBe('35.00 EUR');
    expect(pageErrors).toEqual([]);
  });
});
