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
  # A day's sales weigh on its own 28-day window and those of the 27 days after it; and a later last day with
  # sales adds every day up to it, those without a sale too (a full build counts each from the first to the last).
  gold.mart_product_daily: >
    SELECT c.order_date + CAST(k.n AS INTEGER) FROM {{ changes }} c CROSS JOIN generate_series(0, 27) AS k(n)
    UNION ALL
    SELECT CAST(t.day AS DATE) FROM generate_series(
      CAST(COALESCE((SELECT MAX(day) + 1 FROM gold.mart_stock_cover_daily),
        (SELECT MIN(order_date) FROM gold.mart_product_daily)) AS TIMESTAMP),
      CAST((SELECT MAX(order_date) FROM gold.mart_product_daily) AS TIMESTAMP), INTERVAL '1 day') AS t(day)
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
-- A day's units over its 28 days: summed straight from the sales of those days when few days are built (a
-- micro-batch's one day), and by a window running over a grid of products by days when many are (a full build,
-- every day once). The grid takes about as long for one day as for 28 (1M order lines, one day built: 85 -> 11 ms,
-- seven: 67 -> 30 ms; bench/findings.md, finding 53).
few AS (
  SELECT day FROM built WHERE (SELECT COUNT(*) FROM built) <= 7
),
many AS (
  SELECT day FROM built WHERE (SELECT COUNT(*) FROM built) > 7
),
-- The many days built, and 27 before the first of them so that its 28-day window is whole.
bounds AS (
  SELECT MIN(day) - 27 AS grid_first, MAX(day) AS last_day FROM many
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
sold AS (
  SELECT d.product_id, d.day,
    CAST(SUM(COALESCE(u.units, 0)) OVER (PARTITION BY d.product_id ORDER BY d.day ROWS BETWEEN 27 PRECEDING AND CURRENT ROW) AS BIGINT) AS units_28d
  FROM product_days d
  LEFT JOIN sales u ON u.product_id = d.product_id AND u.order_date = d.day
  UNION ALL
  SELECT u.product_id, f.day, CAST(SUM(u.units) AS BIGINT)
  FROM few f
  JOIN gold.mart_product_daily u ON u.order_date >= f.day - 27 AND u.order_date <= f.day
  GROUP BY u.product_id, f.day
),
-- A pair's snapshot stands from its day until its next one: the stock at a day's end is the sum of the snapshots
-- standing then, one per warehouse, found by a join on that range. A running sum of the snapshots' changes over the
-- grid above made most of the 0.23-0.25 s this model took for a micro-batch's one day at 1M order lines
-- (bench/findings.md, finding 46).
stock AS (
  SELECT b.day, s.product_id, SUM(s.on_hand) AS on_hand
  FROM built b
  JOIN gold.fact_inventory_snapshot s ON s.snapshot_date <= b.day
    -- Not IS NULL OR …: with two plain inequalities DuckDB joins on the range instead of trying every pair.
    AND COALESCE(s.next_snapshot_ts, CAST('9999-12-31 00:00:00+00' AS TIMESTAMP WITH TIME ZONE)) >= b.day + 1
  GROUP BY b.day, s.product_id
)
SELECT u.day, u.product_id, u.units_28d, CAST(COALESCE(st.on_hand, 0) AS BIGINT) AS on_hand
FROM sold u
LEFT JOIN stock st ON st.day = u.day AND st.product_id = u.product_id
WHERE u.units_28d > 0 AND u.day IN (SELECT day FROM built)
