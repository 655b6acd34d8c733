/* ---
description: >
  Counted orders per product: what the confidence of a pair in gold.mart_product_affinity is divided by.
incremental_strategy: sum
partition_by: order_id
unique_key: [product_id]
sum: [orders]
affected:
  gold.fact_order_line: SELECT order_id FROM {{ changes }}
tests:
  - unique: [product_id]
  - expression: orders >= 1
--- */
SELECT
  b.product_id,
  CAST(SUM(b._sign) AS BIGINT) AS orders
FROM (
  SELECT DISTINCT l._sign, l.order_id, l.product_id
  FROM {{ signed('gold.fact_order_line') }} l
  WHERE l.is_counted
) b
GROUP BY b.product_id
