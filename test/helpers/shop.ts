// A small hand-made shop whose every figure is worked out by hand in the tests that use it: three customers,
// five products, seven orders (one cancelled, one in GBP), parcels on time, late, lost and in transit, a return,
// two support cases and a stock snapshot.
import { getEntity } from '../../src/contracts/index.js';
import { ingestRecords } from '../../src/ingest/record-ingest.js';
import type { Model } from '../../src/models/model-file.js';
import { runPipeline } from '../../src/pipeline/run.js';
import type { Warehouse } from '../../src/warehouse/engine.js';

type Rec = Record<string, string | number | boolean | null>;

export const SHOP: Record<string, Rec[]> = {
  fx_rates: [{ currency: 'GBP', rate_date: '2026-03-01', rate_to_base: '1.2' }],
  customers: [
    { customer_id: 'C1', email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', country: 'DE', region: 'Berlin', city: 'Berlin', signup_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' },
    { customer_id: 'C2', email: 'grace@example.com', first_name: 'Grace', last_name: 'Hopper', country: 'GB', region: 'England', city: 'London', signup_at: '2025-02-01T00:00:00Z', updated_at: '2025-02-01T00:00:00Z' },
    { customer_id: 'C3', email: 'alan@example.com', first_name: 'Alan', last_name: 'Turing', country: 'GB', city: 'Manchester', signup_at: '2025-03-01T00:00:00Z', updated_at: '2025-03-01T00:00:00Z' },
  ],
  products: [
    { product_id: 'P1', name: 'Desk lamp', category: 'home', brand: 'Lumen', unit_price: '20.00', currency: 'EUR', sustainability_score: 80, updated_at: '2025-01-01T00:00:00Z' },
    { product_id: 'P2', name: 'Lamp shade', category: 'home', brand: 'Lumen', unit_price: '5.00', currency: 'EUR', sustainability_score: 60, updated_at: '2025-01-01T00:00:00Z' },
    { product_id: 'P3', name: 'Bulb', category: 'home', brand: 'Lumen', unit_price: '2.00', currency: 'EUR', sustainability_score: 40, updated_at: '2025-01-01T00:00:00Z' },
    { product_id: 'P4', name: 'Armchair', category: 'furniture', brand: 'Sitwell', unit_price: '400.00', currency: 'EUR', sustainability_score: 90, updated_at: '2025-01-01T00:00:00Z' },
    { product_id: 'P5', name: 'Rug', category: 'home', brand: 'Weave', unit_price: '50.00', currency: 'EUR', updated_at: '2025-01-01T00:00:00Z' },
  ],
  orders: [
    { order_id: 'O1', customer_id: 'C1', order_ts: '2026-03-01T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'delivered', promised_delivery_ts: '2026-03-04T10:00:00Z' },
    { order_id: 'O2', customer_id: 'C2', order_ts: '2026-03-01T11:00:00Z', channel: 'mobile', country: 'GB', currency: 'EUR', status: 'delivered', promised_delivery_ts: '2026-03-04T10:00:00Z' },
    { order_id: 'O3', customer_id: 'C2', order_ts: '2026-03-02T09:00:00Z', channel: 'web', country: 'GB', currency: 'EUR', status: 'shipped', promised_delivery_ts: '2026-03-05T10:00:00Z' },
    { order_id: 'O4', customer_id: 'C3', order_ts: '2026-03-02T12:00:00Z', channel: 'web', country: 'GB', currency: 'EUR', status: 'paid' },
    { order_id: 'O5', customer_id: 'C1', order_ts: '2026-03-03T08:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'cancelled' },
    { order_id: 'O6', customer_id: 'C3', order_ts: '2026-03-03T09:00:00Z', channel: 'store', country: 'GB', currency: 'EUR', status: 'shipped', promised_delivery_ts: '2026-03-08T10:00:00Z' },
    { order_id: 'O7', customer_id: 'C2', order_ts: '2026-03-03T10:00:00Z', channel: 'web', country: 'GB', currency: 'GBP', status: 'paid' },
  ],
  order_items: [
    { order_id: 'O1', line_number: 1, product_id: 'P1', quantity: 1, unit_price: '20.00' },
    { order_id: 'O1', line_number: 2, product_id: 'P2', quantity: 2, unit_price: '5.00' },
    { order_id: 'O2', line_number: 1, product_id: 'P1', quantity: 1, unit_price: '20.00' },
    { order_id: 'O2', line_number: 2, product_id: 'P3', quantity: 1, unit_price: '2.00' },
    { order_id: 'O2', line_number: 3, product_id: 'P4', quantity: 1, unit_price: '400.00' },
    { order_id: 'O3', line_number: 1, product_id: 'P2', quantity: 1, unit_price: '5.00' },
    { order_id: 'O4', line_number: 1, product_id: 'P1', quantity: 1, unit_price: '20.00' },
    { order_id: 'O4', line_number: 2, product_id: 'P5', quantity: 1, unit_price: '50.00' },
    { order_id: 'O5', line_number: 1, product_id: 'P4', quantity: 1, unit_price: '400.00' },
    { order_id: 'O6', line_number: 1, product_id: 'P4', quantity: 1, unit_price: '400.00' },
    { order_id: 'O6', line_number: 2, product_id: 'P5', quantity: 1, unit_price: '50.00' },
    { order_id: 'O7', line_number: 1, product_id: 'P1', quantity: 1, unit_price: '20.00' },
    { order_id: 'O7', line_number: 2, product_id: 'P5', quantity: 2, unit_price: '50.00' },
  ],
  shipments: [
    { shipment_id: 'S1', order_id: 'O1', carrier: 'DHL', shipped_ts: '2026-03-02T10:00:00Z', delivered_ts: '2026-03-03T10:00:00Z', status: 'delivered' },
    { shipment_id: 'S2', order_id: 'O2', carrier: 'UPS', shipped_ts: '2026-03-02T10:00:00Z', delivered_ts: '2026-03-06T10:00:00Z', status: 'delivered' },
    { shipment_id: 'S3', order_id: 'O3', carrier: 'UPS', shipped_ts: '2026-03-03T10:00:00Z', status: 'lost' },
    { shipment_id: 'S4', order_id: 'O6', carrier: 'DHL', shipped_ts: '2026-03-04T10:00:00Z', status: 'in_transit' },
  ],
  returns: [{ return_id: 'R1', order_id: 'O2', product_id: 'P3', quantity: 1, refund_amount: '2.00', reason: 'broken', requested_ts: '2026-03-07T10:00:00Z' }],
  support_cases: [
    { case_id: 'K1', customer_id: 'C2', order_id: 'O2', channel: 'email', opened_ts: '2026-03-06T12:00:00Z', resolved_ts: '2026-03-06T14:00:00Z', csat_score: 2 },
    { case_id: 'K2', customer_id: 'C2', order_id: 'O3', channel: 'chat', opened_ts: '2026-03-05T12:00:00Z', resolved_ts: '2026-03-07T12:00:00Z', csat_score: 4 },
  ],
  inventory: [
    { product_id: 'P1', warehouse: 'W1', snapshot_ts: '2026-03-03T00:00:00Z', on_hand: 10 },
    { product_id: 'P2', warehouse: 'W1', snapshot_ts: '2026-03-03T00:00:00Z', on_hand: 5 },
    { product_id: 'P3', warehouse: 'W1', snapshot_ts: '2026-03-03T00:00:00Z', on_hand: 0 },
    { product_id: 'P4', warehouse: 'W1', snapshot_ts: '2026-03-03T00:00:00Z', on_hand: 3 },
    { product_id: 'P5', warehouse: 'W1', snapshot_ts: '2026-03-03T00:00:00Z', on_hand: 7 },
  ],
};

export async function post(wh: Warehouse, entity: string, records: Rec[], source = 'test:shop') {
  const result = await ingestRecords(wh, getEntity(entity)!, records, { source, baseCurrency: 'EUR', lockWaitMs: 10_000 });
  if (result.rejected > 0) throw new Error(`${entity}: ${JSON.stringify(result.rejects)}`);
  return result;
}

/** Lands the shop through the HTTP ingestion path's function and builds silver and gold. */
export async function loadShop(wh: Warehouse, models?: Model[]): Promise<void> {
  for (const [entity, records] of Object.entries(SHOP)) await post(wh, entity, records);
  await runPipeline(wh, { baseCurrency: 'EUR', models });
}
