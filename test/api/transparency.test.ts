// The public transparency API over the hand-made shop, on every engine: trust scores (each part and the weighted
// score worked out by hand from the formula the answer publishes) and the logistics service level per carrier,
// as JSON and as CSV, without a token.
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { useShopService } from '../helpers/service.js';

/** The published formula, applied by hand: weights of the known parts only. */
function trust(parts: { punctuality: number | null; return_rate: number | null; responsiveness: number | null; csat: number | null; sustainability: number | null }): number {
  const terms: [number, number | null][] = [[0.25, parts.punctuality], [0.25, parts.return_rate === null ? null : 1 - parts.return_rate],
    [0.15, parts.responsiveness], [0.15, parts.csat], [0.20, parts.sustainability]];
  const known = terms.filter(([, x]) => x !== null) as [number, number][];
  return Math.round(1000 * known.reduce((s, [w, x]) => s + w * x, 0) / known.reduce((s, [w]) => s + w, 0)) / 10;
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`transparency API on ${engine.name}`, () => {
    const shop = useShopService(engine);

    it('publishes trust scores per product with their parts and the formula', async () => {
      const r = await shop.api.call('/api/transparency/trust-scores');
      expect(r.status).toBe(200);
      const body = (await r.json()) as { formula: string; rows: Record<string, number | string | null>[] };
      expect(body.formula).toMatch(/0\.25 × punctuality \+ 0\.25 × \(1 − return_rate\)/);
      const by = Object.fromEntries(body.rows.map((x) => [x.product_id, x]));
      // P1: on time in O1, late in O2 (O4, O7 not shipped); nothing returned; K1 answered in 2 h, scored 2; sustainability 80.
      const p1 = { punctuality: 0.5, return_rate: 0, responsiveness: 1, csat: 0, sustainability: 0.8 };
      expect(by.P1).toMatchObject({ ...p1, trust_score: trust(p1), orders: 4, units_sold: 4, deliveries_judged: 2, support_cases: 1 });
      expect(trust(p1)).toBe(68.5);
      // P2: O1 on time (O3's parcel was lost: not judged); K2 took 48 h, scored 4.
      expect(by.P2).toMatchObject({ punctuality: 1, return_rate: 0, responsiveness: 0, csat: 1, sustainability: 0.6, trust_score: 77 });
      // P3: late, returned, K1.
      expect(by.P3).toMatchObject({ punctuality: 0, return_rate: 1, trust_score: 23 });
      // P5: nothing delivered yet, no cases, no sustainability score: only its return rate counts.
      expect(by.P5).toMatchObject({ punctuality: null, responsiveness: null, csat: null, sustainability: null, return_rate: 0, trust_score: 100 });
      expect(body.rows.map((x) => x.product_id)).toEqual(['P5', 'P2', 'P1', 'P4', 'P3']);
      const furniture = (await (await shop.api.call('/api/transparency/trust-scores?category=furniture')).json()) as { rows: { product_id: string }[] };
      expect(furniture.rows.map((x) => x.product_id)).toEqual(['P4']);
    });

    it('publishes each carrier\'s on-time share, average transit time and lost parcels', async () => {
      const body = (await (await shop.api.call('/api/transparency/logistics')).json()) as { rows: Record<string, unknown>[] };
      expect(body.rows).toEqual([
        { carrier: 'DHL', shipments: 2, delivered: 1, on_time: 1, late: 0, lost: 0, on_time_share: 1, avg_transit_hours: 24, lost_share: 0, first_order_date: '2026-03-01', last_order_date: '2026-03-03' },
        { carrier: 'UPS', shipments: 2, delivered: 1, on_time: 0, late: 1, lost: 1, on_time_share: 0, avg_transit_hours: 96, lost_share: 0.5, first_order_date: '2026-03-01', last_order_date: '2026-03-02' },
      ]);
    });

    it('answers both as CSV with ?format=csv', async () => {
      const r = await shop.api.call('/api/transparency/logistics?format=csv');
      expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="logistics-sla.csv"/);
      const lines = (await r.text()).trimEnd().split('\r\n');
      expect(lines[0]).toBe('carrier,shipments,delivered,on_time,late,lost,on_time_share,avg_transit_hours,lost_share,first_order_date,last_order_date');
      expect(lines[2]).toBe('UPS,2,1,0,1,1,0,96,0.5,2026-03-01,2026-03-02');
      const trustCsv = (await (await shop.api.call('/api/transparency/trust-scores?format=csv')).text()).trimEnd().split('\r\n');
      expect(trustCsv[0].split(',').slice(0, 5)).toEqual(['product_id', 'name', 'category', 'brand', 'trust_score']);
      expect(trustCsv).toHaveLength(6);
      expect(trustCsv[1]).toMatch(/^P5,Rug,home,Weave,100,/);
      const bad = await shop.api.call('/api/transparency/logistics?format=pdf');
      expect(bad.status).toBe(400);
    });
  });
}
