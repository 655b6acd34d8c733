/* ---
description: >
  Lifetime value per customer with a counted order (gross − discounts − refunds over counted orders), rebuilt
  per customer whose orders changed. The segments of kpis.md (Platinum the top 5 % by lifetime value, Gold the
  next 15 %, Silver the next 30 %, Bronze the rest) rank every customer against all others, so they are computed
  when asked (GET /api/customers/segments): kept here, one order would re-rank and rewrite every customer's row.
partition_by: customer_id
affected:
  # Only the columns read here: a parcel or a return that changes only an order's flags re-opens nothing.
  gold.fact_order: SELECT customer_id FROM {{ changes_of('customer_id, order_date, gross_revenue, discounts, refunds, is_counted') }} c
indexes: [lifetime_value]
tests:
  - unique: customer_id
  - expression: lifetime_value = gross_revenue - discounts - refunds
--- */
SELECT
  o.customer_id,
  COUNT(*) AS orders,
  MIN(o.order_date) AS first_order_date,
  MAX(o.order_date) AS last_order_date,
  SUM(o.gross_revenue) AS gross_revenue,
  SUM(o.discounts) AS discounts,
  SUM(o.refunds) AS refunds,
  SUM(o.gross_revenue - o.discounts - o.refunds) AS lifetime_value
FROM gold.fact_order o
WHERE o.is_counted AND {{ partition_filter('o.customer_id') }}
GROUP BY o.customer_id
