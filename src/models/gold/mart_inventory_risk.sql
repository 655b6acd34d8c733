/* ---
description: >
  Stock cover per active product as of the day after the latest order: on hand (latest snapshot per warehouse),
  units sold over the 28 days before, and at risk when cover is below 7 days (a product that sold nothing is not).
materialized: table
--- */
WITH as_of AS (
  SELECT MAX(order_date) + 1 AS to_date FROM gold.fact_order
),
stock AS (
  SELECT s.product_id, CAST(SUM(s.on_hand) AS BIGINT) AS on_hand
  FROM gold.fact_inventory_snapshot s, as_of a
  WHERE s.snapshot_ts < a.to_date AND (s.next_snapshot_ts IS NULL OR s.next_snapshot_ts >= a.to_date)
  GROUP BY s.product_id
),
sold AS (
  SELECT l.product_id, CAST(SUM(l.quantity) AS BIGINT) AS units
  FROM gold.fact_order_line l, as_of a
  WHERE l.is_counted AND l.order_date >= a.to_date - 28 AND l.order_date < a.to_date
  GROUP BY l.product_id
)
SELECT
  p.product_id,
  p.name,
  p.category,
  a.to_date AS as_of_date,
  COALESCE(st.on_hand, 0) AS on_hand,
  COALESCE(so.units, 0) AS units_28d,
  COALESCE(so.units, 0) / 28.0 AS avg_daily_units,
  CASE WHEN so.units > 0 THEN COALESCE(st.on_hand, 0) * 28.0 / so.units END AS days_of_cover,
  COALESCE(so.units, 0) > 0 AND COALESCE(st.on_hand, 0) * 28 < 7 * so.units AS at_risk
FROM gold.dim_product p
CROSS JOIN as_of a
LEFT JOIN stock st ON st.product_id = p.product_id
LEFT JOIN sold so ON so.product_id = p.product_id
WHERE p.is_current AND p.is_active
