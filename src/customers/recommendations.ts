// Personalised recommendations: products often bought together (gold.mart_product_affinity) with what the
// customer bought in counted orders, that they do not own yet, that are active and in stock now
// (gold.mart_inventory_risk: on hand at its latest snapshots). Ranked by the strongest link (confidence: the
// pair's orders ÷ the product's counted orders, gold.mart_product_experience), then by how many of their products point to it, then
// by how often the pair was bought.
import type { Warehouse } from '../warehouse/engine.js';
import { assertKnownCustomer } from './customer-orders.js';

export async function recommendations(wh: Warehouse, customerId: string, limit: number) {
  await assertKnownCustomer(wh, customerId);
  const DOUBLE = wh.dialect.type('number');
  const becauseOf = wh.dialect.firstNonNull('k.product_id', '-k.confidence, k.product_id');
  const rows = await wh.read(`
    WITH owned AS (
      SELECT DISTINCT l.product_id
      FROM gold.fact_order o JOIN gold.fact_order_line l ON l.order_id = o.order_id
      WHERE o.customer_id = $1 AND o.is_counted
    ),
    links AS (
      SELECT a.product_id, a.related_product_id, a.co_orders, CAST(a.co_orders AS ${DOUBLE}) / po.orders AS confidence
      FROM gold.mart_product_affinity a
      JOIN owned ow ON ow.product_id = a.product_id
      JOIN gold.mart_product_experience po ON po.product_id = a.product_id
      WHERE a.related_product_id NOT IN (SELECT product_id FROM owned)
    ),
    candidates AS (
      SELECT k.related_product_id AS product_id, MAX(k.confidence) AS score, COUNT(*) AS linked_products,
        SUM(k.co_orders) AS co_orders, ${becauseOf} AS because_of
      FROM links k
      GROUP BY k.related_product_id
    )
    SELECT c.product_id, p.name, p.category, p.brand, CAST(p.unit_price AS ${DOUBLE}) AS unit_price, p.currency,
      CAST(c.score AS ${DOUBLE}) AS score, c.because_of, c.co_orders, CAST(s.on_hand AS ${DOUBLE}) AS on_hand
    FROM candidates c
    JOIN gold.mart_inventory_risk s ON s.product_id = c.product_id AND s.on_hand > 0
    JOIN gold.dim_product p ON p.product_id = c.product_id AND p.is_current AND p.is_active
    ORDER BY c.score DESC, c.linked_products DESC, c.co_orders DESC, c.product_id
    LIMIT ${limit}`, [customerId]);
  return { customer_id: customerId, recommendations: rows };
}
