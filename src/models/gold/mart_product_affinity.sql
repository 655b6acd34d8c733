/* ---
description: >
  Products bought together: for each product, every other product that shared a counted order with it, in how
  many orders (co_orders), and the confidence that a buyer of the product also bought the other (co_orders ÷ the
  product's counted orders). Customer recommendations rank by it.
partition_by: product_id
affected:
  # A changed line changes the pairs of every product in its order, not only its own. (fact_order_line rebuilds
  # whole orders, so its change set holds them all today; the union keeps this right should that change.)
  gold.fact_order_line: >
    SELECT product_id FROM {{ changes }}
    UNION SELECT l.product_id FROM gold.fact_order_line l WHERE l.order_id IN (SELECT order_id FROM {{ changes }})
indexes: [related_product_id]
tests:
  - unique: [product_id, related_product_id]
  - expression: related_product_id <> product_id
  - expression: co_orders >= 1 AND co_orders <= product_orders
--- */
WITH anchor AS (
  SELECT DISTINCT l.product_id, l.order_id
  FROM gold.fact_order_line l
  WHERE l.is_counted AND {{ partition_filter('l.product_id') }}
),
anchor_orders AS (
  SELECT a.product_id, COUNT(*) AS orders FROM anchor a GROUP BY a.product_id
),
-- Both sides hold an (order, product) once, so COUNT(*) counts orders: a COUNT(DISTINCT) per pair kept a set of
-- orders for each of millions of pairs, and ran DuckDB out of its 2 GB at 10M order lines.
basket AS (
  SELECT DISTINCT l.order_id, l.product_id FROM gold.fact_order_line l
  WHERE l.is_counted AND l.order_id IN (SELECT order_id FROM anchor)
),
pairs AS (
  SELECT a.product_id, b.product_id AS related_product_id, COUNT(*) AS co_orders
  FROM anchor a
  JOIN basket b ON b.order_id = a.order_id AND b.product_id <> a.product_id
  GROUP BY a.product_id, b.product_id
)
SELECT
  p.product_id,
  p.related_product_id,
  p.co_orders,
  t.orders AS product_orders,
  CAST(p.co_orders AS {{ type('number') }}) / t.orders AS confidence
FROM pairs p
JOIN anchor_orders t ON t.product_id = p.product_id
