/* ---
description: >
  Lifetime value per customer (gross − discounts − refunds over counted orders) and the segment from its rank:
  Platinum the top 5 %, Gold the next 15 %, Silver the next 30 %, Bronze the rest.
materialized: table
tests:
  - unique: customer_id
  - accepted_values: { column: segment, values: [Platinum, Gold, Silver, Bronze] }
--- */
WITH lifetime AS (
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
  WHERE o.is_counted
  GROUP BY o.customer_id
),
ranked AS (
  SELECT l.*,
    row_number() OVER (ORDER BY l.lifetime_value DESC, l.customer_id) AS value_rank,
    COUNT(*) OVER () AS customers
  FROM lifetime l
)
SELECT
  r.*,
  CASE
    WHEN r.value_rank - 1 < 0.05 * r.customers THEN 'Platinum'
    WHEN r.value_rank - 1 < 0.20 * r.customers THEN 'Gold'
    WHEN r.value_rank - 1 < 0.50 * r.customers THEN 'Silver'
    ELSE 'Bronze'
  END AS segment
FROM ranked r
