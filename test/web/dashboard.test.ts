// The dashboard in a real browser (Debian's Chromium driven by playwright-core) against a real `storepulse serve`:
// it shows posted orders, updates live without a reload (and holds still when paused), keeps filters in the URL,
// moves between views with the keyboard, and fits a phone screen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, LIVE } from '../helpers/browser.js';
import { postRecords, startServe, type ServedProcess } from '../helpers/serve.js';

const available = chromiumAvailable('the dashboard browser tests');

/** Orders of one day; odd ones are web orders, even ones mobile. */
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
  const pageErrors: string[] = [];

  const post = async (entity: string, records: unknown[]) => {
    expect((await postRecords(server.url, entity, records)).rejected).toBe(0);
  };
  const postOrders = async (os: ReturnType<typeof orders>) => {
    await post('orders', os);
    await post('order_items', items(os));
  };
  const tile = (p: Page, key: string) => p.locator(`[data-kpi="${key}"] .value`);
  const field = (name: string) => page.locator(`#filters [name="${name}"]`);
  /** Set on the page's window: a reload would lose it, so its survival proves an update came without one. */
  const mark = () => page.evaluate(() => { (window as unknown as { __mark: number }).__mark = 42; });
  const marked = () => page.evaluate(() => (window as unknown as { __mark?: number }).__mark === 42);

  beforeAll(async () => {
    server = await startServe(home);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('says when there is no data yet, and fills in live when the first orders arrive', async () => {
    const early = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await early.goto(`${server.url}/`);
      await expect.poll(() => early.locator('#view .empty').textContent(), LIVE).toMatch(/^No data yet/);
      expect(await early.locator('#error').isHidden()).toBe(true);
      await post('products', [{ product_id: 'P1', name: 'Lamp', category: 'Home', unit_price: '20.00', currency: 'EUR' }]);
      await postOrders(orders('A', 3));
      await expect.poll(() => tile(early, 'orders').textContent(), LIVE).toBe('3');
    } finally {
      await early.close();
    }
  });

  it('shows the posted orders, then new ones live without a reload', async () => {
    await page.goto(`${server.url}/`);
    await expect.poll(() => tile(page, 'orders').textContent(), LIVE).toBe('3');
    await expect.poll(() => page.locator('[data-health="last-run"]').textContent(), LIVE).toMatch(/succeeded/);
    // The figures are announced to screen readers as they change.
    expect(await page.locator('.tiles').getAttribute('aria-live')).toBe('polite');

    await mark();
    // A refresh patches the page in place: whatever the keyboard focus is on keeps it.
    await page.locator('[aria-label="KPIs by sales channel"]').focus();
    await postOrders(orders('B', 4));
    await expect.poll(() => tile(page, 'orders').textContent(), LIVE).toBe('7');
    await expect.poll(() => tile(page, 'net_revenue').textContent(), LIVE).toBe('140.00');
    expect(await marked()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('KPIs by sales channel');
    await expect.poll(() => page.locator('#live').textContent()).toMatch(/^Live · updated \d\d:\d\d:\d\d · data as of 2\d{3}-/);
  });

  it('holds the figures still while live updates are paused, and catches up on resume', async () => {
    const pause = page.getByRole('button', { name: 'Pause live updates' });
    await pause.click();
    expect(await pause.getAttribute('aria-pressed')).toBe('true');
    await postOrders(orders('P', 1));
    // The snapshot of the new order arrives while paused and waits.
    await expect.poll(() => page.locator('#live').textContent(), LIVE).toMatch(/^Paused · \d+ updates? waiting/);
    expect(await tile(page, 'orders').textContent()).toBe('7');
    await pause.click();
    expect(await pause.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => tile(page, 'orders').textContent(), LIVE).toBe('8');
    expect(await marked()).toBe(true);
  });

  it('narrows the KPIs with a filter, keeps the choice in the URL, and opens Custom dates on the days shown', async () => {
    await field('channel').selectOption('web');
    await expect.poll(() => tile(page, 'orders').textContent(), LIVE).toBe('3'); // A1, B1 and B3
    expect(page.url()).toContain('channel=web');
    await field('channel').selectOption('');
    await expect.poll(() => tile(page, 'orders').textContent(), LIVE).toBe('8');

    await field('period').selectOption('custom');
    await expect.poll(() => page.url()).toContain('period=custom&from=2026-03-02&to=2026-03-03');
    // The date fields show the first and the last day on screen (the API's `to` is the day after).
    await expect.poll(() => field('from').inputValue()).toBe('2026-03-02');
    expect(await field('to').inputValue()).toBe('2026-03-02');
    expect(await field('to').isVisible()).toBe(true);
    await expect.poll(() => tile(page, 'orders').textContent(), LIVE).toBe('8');
    await field('period').selectOption('all');
    await expect.poll(() => page.url()).not.toContain('period=');
  });

  it('moves between views with the keyboard and renders their tables', async () => {
    await page.getByRole('link', { name: 'Products' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="top-products"] tbody tr').count(), LIVE).toBe(1);
    expect(await page.locator('[data-testid="top-products"] tbody th').first().textContent()).toBe('Lamp');
    expect(await page.locator('[data-testid="top-products"] thead th').allTextContents()).toContain('Net revenue');
    expect(await page.getByRole('link', { name: 'Products' }).getAttribute('aria-current')).toBe('page');
    // The new view's title takes the focus, so the keyboard continues from the new content.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Product performance');

    // Tab from the title reaches the first table's scroll box, then walks on through the page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Top 20 products by net revenue');

    await page.getByRole('link', { name: 'Funnel' }).click();
    await expect.poll(() => page.locator('[data-testid="fulfilment"]').count(), LIVE).toBe(1);
    await page.getByRole('link', { name: 'Customers' }).click();
    await expect.poll(() => page.locator('[data-testid="by-country"] tbody th').allTextContents(), LIVE).toEqual(['DE']);
    expect(await page.locator('[data-testid="segments"] tbody tr').count()).toBeGreaterThan(0);
    expect(await marked()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone screen without sideways scrolling, with every control labelled and every tab in view', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const firstTable = { executive: 'by-channel', products: 'top-products', customers: 'segments', funnel: 'funnel' };
      for (const [route, table] of Object.entries(firstTable)) {
        await phone.goto(`${server.url}/#/${route}`);
        await expect.poll(() => phone.locator(`[data-testid="${table}"] tbody tr`).count(), LIVE).toBeGreaterThan(0);
        if (route === 'executive') await expect.poll(() => tile(phone, 'orders').textContent(), LIVE).toBe('8');
        const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, route).toBeLessThanOrEqual(0);
      }
      const unlabelled = await phone.evaluate(() => [...document.querySelectorAll('select, input, button')]
        .filter((c) => !(c as HTMLInputElement).labels?.length && !c.textContent?.trim()).map((c) => c.outerHTML));
      expect(unlabelled).toEqual([]);
      for (const tab of await phone.locator('.tabs a').all()) {
        const box = (await tab.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(390);
      }
    } finally {
      await phone.close();
    }
  });
});
