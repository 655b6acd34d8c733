// The customer API over the hand-made shop (test/helpers/shop.ts), on every engine: order history with tracking,
// recommendations, loyalty and reminder preferences, each figure worked out by hand from the shop's records.
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { useShopService } from '../helpers/service.js';

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`customer API on ${engine.name}`, () => {
    const shop = useShopService(engine);
    const get = async <T>(path: string, customer = 'C2') => {
      const r = await shop.api.call(path, { role: 'customer', customer });
      expect(r.status, await r.clone().text()).toBe(200);
      return (await r.json()) as T;
    };

    it('lists a customer\'s orders newest first, with status, total in the order currency, promise against delivery, and parcels', async () => {
      const body = await get<{ total: number; orders: Record<string, unknown>[] }>('/api/customers/C2/orders');
      expect(body.total).toBe(3);
      expect(body.orders.map((o) => o.order_id)).toEqual(['O7', 'O3', 'O2']);
      const [o7, o3, o2] = body.orders;
      expect(o7).toMatchObject({ currency: 'GBP', order_total: 120, items: 2, units: 3, delivery_status: 'awaiting_shipment', shipments: [] });
      expect(o3).toMatchObject({ delivery_status: 'lost', on_time: null, shipments: [{ shipment_id: 'S3', carrier: 'UPS', status: 'lost', delivered_ts: null }] });
      expect(o2).toMatchObject({
        status: 'delivered', currency: 'EUR', order_total: 422, delivery_status: 'delivered',
        promised_delivery_ts: '2026-03-04T10:00:00.000Z', delivered_ts: '2026-03-06T10:00:00.000Z', on_time: false, days_late: 2,
        shipments: [{ shipment_id: 'S2', carrier: 'UPS', status: 'delivered', on_time: false, transit_hours: 96 }],
      });
      const c1 = await get<{ orders: Record<string, unknown>[] }>('/api/customers/C1/orders', 'C1');
      expect(c1.orders.map((o) => [o.order_id, o.delivery_status, o.on_time, o.days_late])).toEqual([['O5', 'cancelled', null, null], ['O1', 'delivered', true, -1]]);
      const page2 = await get<{ orders: { order_id: string }[]; page: number }>('/api/customers/C2/orders?page=2&pageSize=2');
      expect(page2.orders.map((o) => o.order_id)).toEqual(['O2']);
    });

    it('recommends products bought together with theirs, not owned, in stock, strongest link first', async () => {
      // C1 owns P1 and P2 (O5 was cancelled). Of P1's four orders two also held P5 and one P4 (and one P3, which is out of stock).
      const c1 = await get<{ recommendations: Record<string, unknown>[] }>('/api/customers/C1/recommendations', 'C1');
      expect(c1.recommendations.map((r) => [r.product_id, r.score, r.because_of])).toEqual([['P5', 0.5, 'P1'], ['P4', 0.25, 'P1']]);
      expect(c1.recommendations[0]).toMatchObject({ name: 'Rug', unit_price: 50, currency: 'EUR', on_hand: 7 });
      // C3 owns P1, P4, P5: P3 (linked more strongly) is out of stock, so only P2 is left.
      const c3 = await get<{ recommendations: Record<string, unknown>[] }>('/api/customers/C3/recommendations', 'C3');
      expect(c3.recommendations.map((r) => r.product_id)).toEqual(['P2']);
      const one = await get<{ recommendations: unknown[] }>('/api/customers/C1/recommendations?limit=1', 'C1');
      expect(one.recommendations).toHaveLength(1);
    });

    it('gives the loyalty tier, points and progress from lifetime value', async () => {
      // C2: O2 422 − 2 refunded, O3 5, O7 120 GBP at 1.2 = 144: 569 points, Silver (500), 1,431 short of Gold (2,000).
      expect(await get('/api/customers/C2/loyalty')).toMatchObject({
        tier: 'Silver', points: 569, lifetime_value: 569, orders: 3, tier_points: 500, next_tier: 'Gold', next_tier_points: 2000,
        points_to_next_tier: 1431, next_tier_progress: 69 / 1500,
      });
      expect(await get('/api/customers/C1/loyalty', 'C1')).toMatchObject({ tier: 'Bronze', points: 30, next_tier: 'Silver', points_to_next_tier: 470, next_tier_progress: 0.06 });
    });

    it('reads default reminder preferences, replaces them, and refuses invalid ones', async () => {
      expect(await get('/api/customers/C3/reminders', 'C3')).toMatchObject({ channels: ['email'], quiet_hours: null, cadence: 'weekly', is_default: true });
      const prefs = { channels: ['sms', 'push'], quiet_hours: { start: '22:00', end: '07:30', timezone: 'Europe/London' }, cadence: 'daily' };
      const put = await shop.api.call('/api/customers/C3/reminders', { method: 'PUT', role: 'customer', customer: 'C3', json: prefs });
      expect(put.status, await put.clone().text()).toBe(200);
      expect(await get('/api/customers/C3/reminders', 'C3')).toMatchObject({ channels: ['push', 'sms'], quiet_hours: prefs.quiet_hours, cadence: 'daily', is_default: false });
      // Support may change them too; the last write wins.
      const bySupport = await shop.api.call('/api/customers/C3/reminders', { method: 'PUT', role: 'support', json: { channels: [], cadence: 'never' } });
      expect(bySupport.status).toBe(200);
      expect(await get('/api/customers/C3/reminders', 'C3')).toMatchObject({ channels: [], quiet_hours: null, cadence: 'never' });
      const bad: [unknown, RegExp][] = [
        [{ channels: ['pigeon'], cadence: 'daily' }, /must be equal to one of the allowed values/],
        [{ channels: ['email'], cadence: 'hourly' }, /must be equal to one of the allowed values/],
        [{ channels: ['email'], cadence: 'daily', quiet_hours: { start: '25:00', end: '07:00', timezone: 'Europe/Paris' } }, /must match pattern/],
        [{ channels: ['email'], cadence: 'daily', quiet_hours: { start: '22:00', end: '07:00', timezone: 'Mars/Olympus' } }, /not a time zone/],
      ];
      for (const [body, message] of bad) {
        const r = await shop.api.call('/api/customers/C3/reminders', { method: 'PUT', role: 'customer', customer: 'C3', json: body });
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(message);
      }
    });

    it('answers 404 for a customer gold does not know', async () => {
      const r = await shop.api.call('/api/customers/C404/orders', { role: 'support' });
      expect(r.status).toBe(404);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('SP_ERR_NOT_FOUND');
    });
  });
}
