/* ---
description: Counted orders and money per day, channel and country (base currency, exact until reported).
partition_by: order_date
affected:
  gold.fact_order: SELECT order_date FROM {{ changes }}
tests:
  - unique: [order_date, channel, country]
  - expression: net_revenue = gross_revenue - discounts - refunds
--- */
SELECT
  o.order_date,
  o.channel,
  o.country,
  COUNT(*) AS orders,
  SUM(o.units) AS units,
  SUM(o.gross_revenue) AS gross_revenue,
  SUM(o.discounts) AS discounts,
  SUM(o.refunds) AS refunds,
  SUM(o.gross_revenue - o.discounts - o.refunds) AS net_revenue,
  COUNT(DISTINCT o.customer_id) AS customers
FROM gold.fact_order o
WHERE o.is_counted AND {{ partition_filter('o.order_date') }}
GROUP BY o.order_date, o.channel, o.country
