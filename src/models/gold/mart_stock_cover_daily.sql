/* ---
description: >
  Stock cover per product at the end of each day up to the last day with sales, for the products that sold in the
  28 days up to and including it: units sold over those 28 days, and stock on hand (latest snapshot per warehouse
  that day or before, summed). Inventory at risk as of a date `to` counts the active products of day `to - 1`
  whose on_hand × 28 < 7 × units_28d; a product without a row that day sold nothing in its 28 days, so it is not
  at risk. Days after the last sale are not here (the KPI query reads the lines for them), so a new day of sales
  builds one day, not the 27 after it.
partition_by: day
affected:
  # A day's sales weigh on its own 28-day window and those of the 27 days after it.
  gold.mart_product_daily: >
    SELECT c.order_date + CAST(k.n AS INTEGER) FROM {{ changes }} c CROSS JOIN generate_series(0, 27) AS k(n)
  # A snapshot sets its warehouse's stock from its day until the next one: every day from the earliest changed on.
  silver.inventory: >
    SELECT CAST(t.day AS DATE) FROM generate_series(
      CAST((SELECT MIN(CAST(snapshot_ts AS DATE)) FROM {{ changes }}) AS TIMESTAMP),
      CAST((SELECT MAX(order_date) FROM gold.mart_product_daily) AS TIMESTAMP), INTERVAL '1 day') AS t(day)
indexes: [product_id]
tests:
  - unique: [day, product_id]
  - expression: units_28d > 0 AND on_hand >= 0
--- */
WITH calendar AS (
  SELECT CAST(t.day AS DATE) AS day
  FROM generate_series(
    CAST((SELECT MIN(order_date) FROM gold.mart_product_daily) AS TIMESTAMP),
    CAST((SELECT MAX(order_date) FROM gold.mart_product_daily) AS TIMESTAMP), INTERVAL '1 day'
  ) AS t(day)
),
built AS (
  SELECT c.day FROM calendar c WHERE {{ partition_filter('c.day') }}
),
-- The days built, and 27 before the first of them so that its 28-day window is whole.
bounds AS (
  SELECT MIN(day) - 27 AS grid_first, MAX(day) AS last_day FROM built
),
sales AS (
  SELECT u.product_id, u.order_date, u.units
  FROM gold.mart_product_daily u, bounds b
  WHERE u.order_date >= b.grid_first AND u.order_date <= b.last_day
),
product_days AS (
  SELECT p.product_id, c.day
  FROM (SELECT DISTINCT product_id FROM sales) p
  CROSS JOIN calendar c
  JOIN bounds b ON c.day >= b.grid_first AND c.day <= b.last_day
),
-- A snapshot moves its product's stock by the difference to its warehouse's previous snapshot, so the running sum
-- of moves is the stock on hand. The snapshots standing when the grid starts open its stock on its first day.
snapshots AS (
  SELECT s.product_id, s.warehouse, s.snapshot_ts, s.snapshot_date, s.on_hand
  FROM gold.fact_inventory_snapshot s, bounds b
  WHERE s.snapshot_date <= b.last_day AND (s.next_snapshot_ts IS NULL OR s.next_snapshot_ts >= b.grid_first)
),
moves AS (
  SELECT m.product_id, CASE WHEN m.snapshot_date < b.grid_first THEN b.grid_first ELSE m.snapshot_date END AS day,
    SUM(m.delta) AS delta
  FROM (
    SELECT s.product_id, s.snapshot_date,
      s.on_hand - COALESCE(LAG(s.on_hand) OVER (PARTITION BY s.product_id, s.warehouse ORDER BY s.snapshot_ts), 0) AS delta
    FROM snapshots s
  ) m, bounds b
  GROUP BY 1, 2
),
cover AS (
  SELECT d.product_id, d.day,
    CAST(SUM(COALESCE(u.units, 0)) OVER (PARTITION BY d.product_id ORDER BY d.day ROWS BETWEEN 27 PRECEDING AND CURRENT ROW) AS BIGINT) AS units_28d,
    CAST(SUM(COALESCE(m.delta, 0)) OVER (PARTITION BY d.product_id ORDER BY d.day ROWS UNBOUNDED PRECEDING) AS BIGINT) AS on_hand
  FROM product_days d
  LEFT JOIN sales u ON u.product_id = d.product_id AND u.order_date = d.day
  LEFT JOIN moves m ON m.product_id = d.product_id AND m.day = d.day
)
SELECT cv.day, cv.product_id, cv.units_28d, cv.on_hand
FROM cover cv
WHERE cv.units_28d > 0 AND cv.day IN (SELECT day FROM built)
