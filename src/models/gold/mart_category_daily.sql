/* ---
description: Per day, product category, channel and country; an order counts once in each category it bought from.
partition_by: order_date
affected:
  gold.fact_order_line: SELECT order_date FROM {{ changes }}
  gold.fact_return: SELECT order_date FROM {{ changes }}
  gold.dim_product: >
    SELECT DISTINCT l.order_date FROM gold.fact_order_line l JOIN {{ changes }} c ON c.product_id = l.product_id
--- */
WITH sales AS (
  SELECT l.order_date, p.category, l.channel, l.country,
    COUNT(DISTINCT l.order_id) AS orders, SUM(l.quantity) AS units,
    SUM(l.gross_revenue) AS gross_revenue, SUM(l.discounts) AS discounts
  FROM gold.fact_order_line l
  JOIN gold.dim_product p ON p.product_id = l.product_id AND p.is_current
  WHERE l.is_counted AND {{ partition_filter('l.order_date') }}
  GROUP BY l.order_date, p.category, l.channel, l.country
),
refunds AS (
  SELECT r.order_date, p.category, r.channel, r.country, SUM(r.refund) AS refunds
  FROM gold.fact_return r
  JOIN gold.dim_product p ON p.product_id = r.product_id AND p.is_current
  WHERE r.is_counted AND {{ partition_filter('r.order_date') }}
  GROUP BY r.order_date, p.category, r.channel, r.country
)
SELECT
  COALESCE(s.order_date, r.order_date) AS order_date,
  COALESCE(s.category, r.category) AS category,
  COALESCE(s.channel, r.channel) AS channel,
  COALESCE(s.country, r.country) AS country,
  COALESCE(s.orders, 0) AS orders,
  COALESCE(s.units, 0) AS units,
  COALESCE(s.gross_revenue, 0) AS gross_revenue,
  COALESCE(s.discounts, 0) AS discounts,
  COALESCE(r.refunds, 0) AS refunds
FROM sales s
FULL OUTER JOIN refunds r
  ON r.order_date = s.order_date AND r.category = s.category AND r.channel = s.channel AND r.country = s.country
