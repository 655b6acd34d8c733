// The dashboard in a real browser (Debian's Chromium driven by playwright-core): it shows posted orders, updates
// live without a reload, switches views by keyboard, and fits a phone screen.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServedProcess } from '../helpers/serve.js';

const CHROMIUM = process.env.STOREPULSE_TEST_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(`Browser tests must run in CI but ${CHROMIUM} is missing; scripts/test-services.sh installs Debian's chromium — check its output.`);
}
if (!available) process.stderr.write(`\n[web] SKIPPING browser tests: ${CHROMIUM} is missing. Install Debian's chromium (or set STOREPULSE_TEST_CHROMIUM) to run them.\n`);

function orders(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    order_id: `${prefix}${i}`, customer_id: `C${i % 5}`, order_ts: '2026-03-02T10:00:00Z', channel: i % 2 ? 'web' : 'mobile',
    country: 'DE', currency: 'EUR', status: 'paid',
  }));
}
const items = (os: { order_id: string }[]) => os.map((o) => ({ order_id: o.order_id, line_number: 1, product_id: 'P1', quantity: 1, unit_price: '20.00' }));

describe.skipIf(!available)('the dashboard in Chromium', () => {
  const home = mkdtempSync(join(tmpdir(), 'sp-web-'));
  let server: ServedProcess;
  let browser: Browser;
  let page: Page;

  const post = async (entity: string, records: unknown[]) => {
    const r = await fetch(`${server.url}/api/ingest/${entity}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
    expect(r.status).toBe(202);
  };
  const tile = (key: string) => page.locator(`[data-kpi="${key}"] .value`);

  beforeAll(async () => {
    server = await startServe(home);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('shows the posted orders, then new ones live without a reload', async () => {
    const first = orders('A', 3);
    await post('products', [{ product_id: 'P1', name: 'Lamp', category: 'Home', unit_price: '20.00', currency: 'EUR' }]);
    await post('orders', first);
    await post('order_items', items(first));
    await page.goto(`${server.url}/`);
    await expect.poll(() => tile('orders').textContent(), { timeout: 20_000 }).toBe('3');
    await expect.poll(() => page.locator('[data-health="last-run"]').textContent(), { timeout: 20_000 }).toMatch(/succeeded/);

    // Mark the document: a reload would lose the mark.
    await page.evaluate(() => { (window as unknown as { __mark: number }).__mark = 42; });
    const more = orders('B', 4);
    await post('orders', more);
    await post('order_items', items(more));
    await expect.poll(() => tile('orders').textContent(), { timeout: 20_000 }).toBe('7');
    expect(await tile('net_revenue').textContent()).toBe('140.00');
    expect(await page.evaluate(() => (window as unknown as { __mark?: number }).__mark)).toBe(42);
    await expect.poll(() => page.locator('#live').textContent()).toMatch(/^Live · updated/);
  });

  it('narrows the KPIs with a filter, and the URL keeps the choice', async () => {
    await page.locator('select[name="channel"]').selectOption('web');
    await expect.poll(() => tile('orders').textContent(), { timeout: 20_000 }).toBe('3'); // B1, B3 and A1 are web orders
    expect(page.url()).toContain('channel=web');
    await page.locator('select[name="channel"]').selectOption('');
    await expect.poll(() => tile('orders').textContent(), { timeout: 20_000 }).toBe('7');
  });

  it('moves between views with the keyboard and renders their tables', async () => {
    const tab = page.getByRole('link', { name: 'Products' });
    await tab.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="top-products"] tbody tr').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('[data-testid="top-products"] tbody th').first().textContent()).toBe('Lamp');
    expect(await tab.getAttribute('aria-current')).toBe('page');
    await page.getByRole('link', { name: 'Funnel' }).click();
    await expect.poll(() => page.locator('[data-testid="fulfilment"]').count(), { timeout: 20_000 }).toBe(1);
    await page.getByRole('link', { name: 'Customers' }).click();
    await expect.poll(() => page.locator('[data-testid="segments"] tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(0);
  });

  it('fits a phone screen without sideways scrolling, with every control labelled', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      await phone.goto(`${server.url}/#/executive`);
      await expect.poll(() => phone.locator('[data-kpi="orders"] .value').textContent(), { timeout: 20_000 }).toBe('7');
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const unlabelled = await phone.evaluate(() => [...document.querySelectorAll('select, input')]
        .filter((c) => !(c as HTMLInputElement).labels?.length).map((c) => (c as HTMLInputElement).name));
      expect(unlabelled).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
