// A customer's order history with tracking: each order from gold.mart_order_tracking, its parcels from
// gold.fact_shipment. Newest first, a page at a time.
import { Errors } from '../errors/catalogue.js';
import type { Warehouse } from '../warehouse/engine.js';

export interface Page { page: number; pageSize: number }

export interface Shipment {
  shipment_id: string; carrier: string; status: string; shipped_ts: string | null; delivered_ts: string | null;
  on_time: boolean | null; transit_hours: number | null;
}

/** 404 unless gold knows the customer (a real record or one referenced by an order). */
export async function assertKnownCustomer(wh: Warehouse, customerId: string): Promise<void> {
  const rows = await wh.read('SELECT 1 AS known FROM gold.dim_customer WHERE customer_id = $1 LIMIT 1', [customerId]);
  if (rows.length === 0) throw Errors.notFound(`Customer ${customerId}`, 'Check the id; a customer appears once their record or an order of theirs has been processed.');
}

export async function customerOrders(wh: Warehouse, customerId: string, { page, pageSize }: Page) {
  await assertKnownCustomer(wh, customerId);
  const DOUBLE = wh.dialect.type('number');
  const [{ n }] = await wh.read<{ n: number }>('SELECT COUNT(*) AS n FROM gold.mart_order_tracking WHERE customer_id = $1', [customerId]);
  const orders = await wh.read<Record<string, unknown> & { order_id: string }>(`
    SELECT order_id, order_ts, status, channel, currency, items, units, CAST(order_total AS ${DOUBLE}) AS order_total,
      delivery_status, promised_delivery_ts, shipped_ts, delivered_ts, on_time, days_late, shipments
    FROM gold.mart_order_tracking
    WHERE customer_id = $1
    ORDER BY order_ts DESC, order_id DESC
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`, [customerId]);
  const parcels = orders.length === 0 ? [] : await wh.read<Shipment & { order_id: string }>(`
    SELECT order_id, shipment_id, carrier, status, shipped_ts, delivered_ts, on_time,
      CAST(ROUND(CAST(transit_hours AS DECIMAL(18,6)), 1) AS ${DOUBLE}) AS transit_hours
    FROM gold.fact_shipment
    WHERE order_id IN (${orders.map((_, i) => `$${i + 1}`).join(', ')})
    ORDER BY shipped_ts NULLS LAST, shipment_id`, orders.map((o) => o.order_id));
  const byOrder = new Map<string, Shipment[]>();
  for (const { order_id, ...s } of parcels) byOrder.set(order_id, [...(byOrder.get(order_id) ?? []), s]);
  return {
    customer_id: customerId, page, pageSize, total: Number(n),
    orders: orders.map((o) => ({ ...o, shipments: byOrder.get(o.order_id) ?? [] })),
  };
}
