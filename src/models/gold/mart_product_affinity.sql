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
  # Only a product joining or leaving an order's basket: a parcel or a return changes its order's other columns.
  gold.fact_order_product: SELECT order_id FROM {{ changes_of('order_id, product_id, orders') }} c
indexes: [related_product_id]
tests:
  - unique: [product_id, related_product_id]
  - expression: related_product_id <> product_id
  - expression: co_orders >= 1
--- */
-- A basket holds each product of an order once, so a pair's count is a count of orders (a COUNT(DISTINCT) per
-- pair kept a set of orders for each of millions of pairs, and ran DuckDB out of its 2 GB at 10M order lines);
-- the two sides of a pair come from the same version of the order (_sign). The baskets are fact_order_product's
-- products the order holds (orders = 1: it has a counted line of the product), one row each already: the distinct
-- products of the counted lines grouped again cost 2-3 s of this model's 10-12 s at 10M order lines
-- (bench/findings.md, finding 60).
WITH basket AS (
  SELECT p._sign, p.order_id, p.product_id
  FROM {{ signed('gold.fact_order_product') }} p
  WHERE p.orders = 1
)
SELECT
  a.product_id,
  b.product_id AS related_product_id,
  CAST(SUM(a._sign) AS BIGINT) AS co_orders
FROM basket a
JOIN basket b ON b.order_id = a.order_id AND b._sign = a._sign AND b.product_id <> a.product_id
GROUP BY a.product_id, b.product_id
