// Loyalty tier, points and progress to the next tier, as gold.mart_customer_loyalty computes them.
import { Errors } from '../errors/catalogue.js';
import type { Warehouse } from '../warehouse/engine.js';

export async function loyalty(wh: Warehouse, customerId: string) {
  const DOUBLE = wh.dialect.type('number');
  const [row] = await wh.read(`
    SELECT customer_id, tier, points, CAST(ROUND(lifetime_value, 2) AS ${DOUBLE}) AS lifetime_value, orders, CAST(last_order_date AS VARCHAR) AS last_order_date,
      tier_points, next_tier, next_tier_points, points_to_next_tier, next_tier_progress
    FROM gold.mart_customer_loyalty WHERE customer_id = $1`, [customerId]);
  if (!row) throw Errors.notFound(`Customer ${customerId}`, 'Check the id; a customer appears once their record or an order of theirs has been processed.');
  return row;
}
