/* ---
description: >
  Units of counted orders per product and day: what inventory at risk weighs stock against, a few hundred
  thousand rows where the order lines are millions (the KPI query reads the lines only for a channel or country).
partition_by: order_date
affected:
  gold.fact_order_line: SELECT order_date FROM {{ changes }}
tests:
  - unique: [order_date, product_id]
  - expression: units > 0
--- */
SELECT
  l.order_date,
  l.product_id,
  CAST(SUM(l.quantity) AS BIGINT) AS units
FROM gold.fact_order_line l
WHERE l.is_counted AND {{ partition_filter('l.order_date') }}
GROUP BY l.order_date, l.product_id
