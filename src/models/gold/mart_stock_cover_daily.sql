/* ---
description: >
  Stock cover per product at the end of each day on which it sold in the 28 days up to and including it: units
  sold over those 28 days, and stock on hand (latest snapshot per warehouse that day or before, summed). Inventory
  at risk as of a date `to` counts the active products of day `to - 1` whose on_hand × 28 < 7 × units_28d; a day
  without a row here sold nothing in its 28 days, so nothing is at risk.
partition_by: product_id
affected:
  gold.mart_product_daily: SELECT product_id FROM {{ changes }}
  gold.fact_inventory_snapshot: SELECT product_id FROM {{ changes }}
indexes: [day, product_id]
tests:
  - unique: [day, product_id]
  - expression: units_28d > 0 AND on_hand >= 0
--- */
WITH sales AS (
  SELECT u.product_id, u.order_date, u.units
  FROM gold.mart_product_daily u
  WHERE {{ partition_filter('u.product_id') }}
),
-- Each product's days: from its first sale to 27 days after its last (a sale weighs on 28 days' windows).
spans AS (
  SELECT product_id, MIN(order_date) AS first_day, MAX(order_date) + 27 AS last_day
  FROM sales
  GROUP BY product_id
),
calendar AS (
  SELECT CAST(t.day AS DATE) AS day
  FROM generate_series(
    CAST((SELECT MIN(first_day) FROM spans) AS TIMESTAMP), CAST((SELECT MAX(last_day) FROM spans) AS TIMESTAMP), INTERVAL '1 day'
  ) AS t(day)
),
product_days AS (
  SELECT s.product_id, c.day, s.first_day
  FROM spans s
  JOIN calendar c ON c.day >= s.first_day AND c.day <= s.last_day
),
-- A snapshot moves its product's stock by the difference to its warehouse's previous snapshot, so the running sum
-- of moves is the stock on hand; the moves before a product's first day open its stock on that day.
moves AS (
  SELECT s.product_id, s.snapshot_date,
    s.on_hand - COALESCE(LAG(s.on_hand) OVER (PARTITION BY s.product_id, s.warehouse ORDER BY s.snapshot_ts), 0) AS delta
  FROM gold.fact_inventory_snapshot s
  WHERE {{ partition_filter('s.product_id') }}
),
daily_moves AS (
  SELECT m.product_id, CASE WHEN m.snapshot_date < sp.first_day THEN sp.first_day ELSE m.snapshot_date END AS day,
    SUM(m.delta) AS delta
  FROM moves m
  JOIN spans sp ON sp.product_id = m.product_id
  WHERE m.snapshot_date <= sp.last_day
  GROUP BY 1, 2
),
cover AS (
  SELECT d.product_id, d.day,
    SUM(COALESCE(u.units, 0)) OVER (PARTITION BY d.product_id ORDER BY d.day ROWS BETWEEN 27 PRECEDING AND CURRENT ROW) AS units_28d,
    SUM(COALESCE(m.delta, 0)) OVER (PARTITION BY d.product_id ORDER BY d.day ROWS UNBOUNDED PRECEDING) AS on_hand
  FROM product_days d
  LEFT JOIN sales u ON u.product_id = d.product_id AND u.order_date = d.day
  LEFT JOIN daily_moves m ON m.product_id = d.product_id AND m.day = d.day
)
SELECT day, product_id, units_28d, on_hand
FROM cover
WHERE units_28d > 0
