/* ---
description: >
  Per product, the sums over its orders of gold.fact_order_product: counted orders and units, deliveries judged
  and on time, units returned, and the support cases of its orders (resolved, within 24 hours, scored,
  satisfied). gold.mart_product_trust weighs them into the trust score; recommendations divide a pair's orders
  (gold.mart_product_affinity) by `orders`.
# Sums, not partitions: a day's orders touch most products, and rebuilding a touched product re-read every
# order it ever sold in. Each row of fact_order_product counts on its own, so a run adds the rows that changed
# and takes away their versions before the change, and reads nothing else (sum_over: changed_rows).
incremental_strategy: sum
sum_over: changed_rows
partition_by: order_id
unique_key: [product_id]
sum: [orders, units_sold, deliveries_judged, delivered_on_time, units_returned, support_cases, resolved_cases, resolved_within_24h, scored_cases, satisfied_cases]
affected:
  gold.fact_order_product: SELECT order_id FROM {{ changes }}
tests:
  - unique: [product_id]
  - expression: orders >= 0 AND units_returned >= 0 AND delivered_on_time <= deliveries_judged
--- */
SELECT
  p.product_id,
  CAST(SUM(p._sign * p.orders) AS BIGINT) AS orders,
  CAST(SUM(p._sign * p.units_sold) AS BIGINT) AS units_sold,
  CAST(SUM(p._sign * p.deliveries_judged) AS BIGINT) AS deliveries_judged,
  CAST(SUM(p._sign * p.delivered_on_time) AS BIGINT) AS delivered_on_time,
  CAST(SUM(p._sign * p.units_returned) AS BIGINT) AS units_returned,
  CAST(SUM(p._sign * p.support_cases) AS BIGINT) AS support_cases,
  CAST(SUM(p._sign * p.resolved_cases) AS BIGINT) AS resolved_cases,
  CAST(SUM(p._sign * p.resolved_within_24h) AS BIGINT) AS resolved_within_24h,
  CAST(SUM(p._sign * p.scored_cases) AS BIGINT) AS scored_cases,
  CAST(SUM(p._sign * p.satisfied_cases) AS BIGINT) AS satisfied_cases
FROM {{ signed('gold.fact_order_product') }} p
GROUP BY p.product_id
