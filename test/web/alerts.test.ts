// The alerts banner in a real browser (Debian's Chromium driven by playwright-core) against a real `storepulse serve`:
// a broken KPI threshold shows as an active alert, announced once, and the banner goes when the rule recovers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, LIVE } from '../helpers/browser.js';
import { startServe, type ServedProcess } from '../helpers/serve.js';

const available = chromiumAvailable('the alerts browser test');

describe.skipIf(!available)('the alerts banner in Chromium', () => {
  const home = mkdtempSync(join(tmpdir(), 'sp-web-alerts-'));
  const config = join(home, 'alerts.yaml');
  const rules = (below: number) => `evaluate_every: 200ms\nkpis:\n  orders: { below: ${below} }\n`;
  let server: ServedProcess;
  let browser: Browser;

  beforeAll(async () => {
    writeFileSync(config, rules(100));
    server = await startServe(home, ['--alerts', config]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists a firing alert above the view, announces it, and hides the banner when it recovers', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/`);
    const orders = Array.from({ length: 3 }, (_, i) => ({
      order_id: `A${i}`, customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
    }));
    const r = await fetch(`${server.url}/api/ingest/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(orders) });
    expect(r.status).toBe(202);

    const banner = page.getByRole('region', { name: /^Active alerts/ });
    await expect.poll(() => banner.isVisible(), LIVE).toBe(true);
    expect(await banner.getByRole('heading').textContent()).toBe('Active alerts (1)');
    expect(await banner.locator('li[data-alert="kpi.orders"]').textContent()).toMatch(/^KPI threshold: orders is 3, below 100 \(firing since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, /);
    expect(await page.getByTestId('alerts-announce').getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('alerts-announce').textContent()).toBe('Alert: orders is 3, below 100.');

    writeFileSync(config, rules(1));
    await expect.poll(() => banner.isVisible(), LIVE).toBe(false);
    expect(await page.getByTestId('alerts-announce').textContent()).toBe('Resolved: kpi.orders.');
    await page.close();
  });
});
