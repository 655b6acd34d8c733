/* ---
description: >
  One row per product of a counted order (or returned from one): what the order's buyer experienced with it, as
  counts that add up per product in gold.mart_product_experience. orders is 1 when the order holds the product
  (0 for a return of a product the order's lines do not hold); the delivery and the order's support cases count
  for each product the order holds.
partition_by: order_id
affected:
  gold.fact_order_line: SELECT order_id FROM {{ changes }}
  # Only the columns read here: a parcel that leaves or moves changes its order's tracking, not whether it came on time.
  gold.mart_order_tracking: SELECT order_id FROM {{ changes_of('order_id, on_time') }} c
  gold.fact_return: SELECT order_id FROM {{ changes }}
  gold.fact_support_case: SELECT order_id FROM {{ changes }} WHERE order_id IS NOT NULL
indexes: [product_id]
tests:
  - unique: [order_id, product_id]
  - expression: orders + units_returned > 0
--- */
WITH lines AS (
  SELECT l.order_id, l.product_id, SUM(l.quantity) AS units
  FROM gold.fact_order_line l
  WHERE l.is_counted AND {{ partition_filter('l.order_id') }}
  GROUP BY l.order_id, l.product_id
),
returned AS (
  SELECT r.order_id, r.product_id, SUM(r.quantity) AS units_returned
  FROM gold.fact_return r
  WHERE r.is_counted AND r.product_id IS NOT NULL AND {{ partition_filter('r.order_id') }}
  GROUP BY r.order_id, r.product_id
),
cases AS (
  SELECT
    c.order_id,
    COUNT(*) AS support_cases,
    COUNT(c.resolution_hours) AS resolved_cases,
    COUNT(*) FILTER (WHERE c.resolution_hours <= 24) AS resolved_within_24h,
    COUNT(c.csat_score) AS scored_cases,
    COUNT(*) FILTER (WHERE c.satisfied) AS satisfied_cases
  FROM gold.fact_support_case c
  WHERE c.order_id IS NOT NULL AND {{ partition_filter('c.order_id') }}
  GROUP BY c.order_id
),
pairs AS (
  SELECT COALESCE(l.order_id, r.order_id) AS order_id, COALESCE(l.product_id, r.product_id) AS product_id,
    l.order_id IS NOT NULL AS held, COALESCE(l.units, 0) AS units_sold, COALESCE(r.units_returned, 0) AS units_returned
  FROM lines l
  FULL JOIN returned r ON r.order_id = l.order_id AND r.product_id = l.product_id
)
SELECT
  p.order_id,
  p.product_id,
  CAST(CASE WHEN p.held THEN 1 ELSE 0 END AS BIGINT) AS orders,
  CAST(p.units_sold AS BIGINT) AS units_sold,
  CAST(CASE WHEN p.held AND t.on_time IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) AS deliveries_judged,
  CAST(CASE WHEN p.held AND t.on_time THEN 1 ELSE 0 END AS BIGINT) AS delivered_on_time,
  CAST(p.units_returned AS BIGINT) AS units_returned,
  CAST(CASE WHEN p.held THEN COALESCE(c.support_cases, 0) ELSE 0 END AS BIGINT) AS support_cases,
  CAST(CASE WHEN p.held THEN COALESCE(c.resolved_cases, 0) ELSE 0 END AS BIGINT) AS resolved_cases,
  CAST(CASE WHEN p.held THEN COALESCE(c.resolved_within_24h, 0) ELSE 0 END AS BIGINT) AS resolved_within_24h,
  CAST(CASE WHEN p.held THEN COALESCE(c.scored_cases, 0) ELSE 0 END AS BIGINT) AS scored_cases,
  CAST(CASE WHEN p.held THEN COALESCE(c.satisfied_cases, 0) ELSE 0 END AS BIGINT) AS satisfied_cases
FROM pairs p
LEFT JOIN gold.mart_order_tracking t ON t.order_id = p.order_id
LEFT JOIN cases c ON c.order_id = p.order_id
