/* ---
description: >
  Products bought together: for each product, every other product that shared a counted order with it, and in
  how many orders (co_orders). The confidence that a buyer of the product also bought the other is co_orders ÷
  the product's counted orders (`orders` of gold.mart_product_experience); customer recommendations rank by it.
# Sums, not partitions: a day's orders touch most products, and rebuilding a touched product recounted every
# order it ever sold in. A run adds the pairs of each changed order's basket now and takes away its basket's
# pairs before the change.
incremental_strategy: sum
partition_by: order_id
unique_key: [product_id, related_product_id]
sum: [co_orders]
affected:
  gold.fact_order_line: SELECT order_id FROM {{ changes }}
indexes: [related_product_id]
tests:
  - unique: [product_id, related_product_id]
  - expression: related_product_id <> product_id
  - expression: co_orders >= 1
--- */
-- A basket holds each product of an order once, so a pair's count is a count of orders (a COUNT(DISTINCT) per
-- pair kept a set of orders for each of millions of pairs, and ran DuckDB out of its 2 GB at 10M order lines);
-- the two sides of a pair come from the same version of the order (_sign).
WITH basket AS (
  SELECT DISTINCT l._sign, l.order_id, l.product_id
  FROM {{ signed('gold.fact_order_line') }} l
  WHERE l.is_counted
)
SELECT
  a.product_id,
  b.product_id AS related_product_id,
  CAST(SUM(a._sign) AS BIGINT) AS co_orders
FROM basket a
JOIN basket b ON b.order_id = a.order_id AND b._sign = a._sign AND b.product_id <> a.product_id
GROUP BY a.product_id, b.product_id
