/* ---
description: >
  Per day, product category, channel and country, as kpis.md counts with a category: an order counts once in
  each category it bought from, with only its lines and returns of that category, and its fulfilment and return
  flags; so every additive KPI of a category breakdown or filter is a sum over this mart, never over the lines.
# Sums, not partitions: every measure adds up over orders. A run adds each changed order's share as it is now and
# takes away its share before the change, where rebuilding the days it touched summed every order of those days
# again: in a micro-batch, the whole day so far; at 10M order lines, the 25 days a day's files re-open.
incremental_strategy: sum
partition_by: order_id
unique_key: [order_date, category, channel, country]
sum: [orders, units, gross_revenue, discounts, refunds, sla_orders, sla_met, shipped_orders, returned_orders]
affected:
  gold.fact_order_line: SELECT order_id FROM {{ changes }}
  gold.fact_return: SELECT order_id FROM {{ changes }}
  gold.fact_order: SELECT order_id FROM {{ changes }}
  # Read as it is now: only a change of a product's current category moves its lines (a new price moves none),
  # and that rebuilds the mart whole.
  gold.dim_product: >
    SELECT l.order_id FROM gold.fact_order_line l
    JOIN {{ changed_current('product_id; category') }} c ON c.product_id = l.product_id
tests:
  - unique: [order_date, category, channel, country]
  - expression: sla_met <= sla_orders AND returned_orders <= shipped_orders AND shipped_orders <= orders
--- */
-- Grouped by order and category alone: an order's lines share its day, channel and country, which come from the
-- order below. Each side of a change (_sign) meets its own version of the order and of its returns.
WITH order_categories AS (
  SELECT l._sign, l.order_id, p.category,
    SUM(l.quantity) AS units, SUM(l.gross_revenue) AS gross_revenue, SUM(l.discounts) AS discounts
  FROM {{ signed('gold.fact_order_line') }} l
  JOIN gold.dim_product p ON p.product_id = l.product_id AND p.is_current
  WHERE l.is_counted
  GROUP BY l._sign, l.order_id, p.category
),
-- Returns of a category's products, against the orders that bought from it.
category_refunds AS (
  SELECT r._sign, r.order_id, p.category, SUM(r.refund) AS refunds
  FROM {{ signed('gold.fact_return') }} r
  JOIN gold.dim_product p ON p.product_id = r.product_id AND p.is_current
  WHERE r.is_counted
  GROUP BY r._sign, r.order_id, p.category
)
SELECT
  o.order_date,
  oc.category,
  o.channel,
  o.country,
  CAST(SUM(oc._sign) AS BIGINT) AS orders,
  CAST(SUM(oc._sign * oc.units) AS BIGINT) AS units,
  SUM(oc._sign * oc.gross_revenue) AS gross_revenue,
  SUM(oc._sign * oc.discounts) AS discounts,
  COALESCE(SUM(oc._sign * cr.refunds), 0) AS refunds,
  CAST(SUM(CASE WHEN o.delivered_on_time IS NOT NULL THEN oc._sign ELSE 0 END) AS BIGINT) AS sla_orders,
  CAST(SUM(CASE WHEN o.delivered_on_time THEN oc._sign ELSE 0 END) AS BIGINT) AS sla_met,
  CAST(SUM(CASE WHEN o.has_shipment THEN oc._sign ELSE 0 END) AS BIGINT) AS shipped_orders,
  CAST(SUM(CASE WHEN o.has_shipment AND o.has_return THEN oc._sign ELSE 0 END) AS BIGINT) AS returned_orders
FROM order_categories oc
JOIN {{ signed('gold.fact_order') }} o ON o.order_id = oc.order_id AND o._sign = oc._sign
LEFT JOIN category_refunds cr ON cr.order_id = oc.order_id AND cr.category = oc.category AND cr._sign = oc._sign
GROUP BY o.order_date, oc.category, o.channel, o.country
