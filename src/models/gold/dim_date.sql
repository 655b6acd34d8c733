/* ---
description: Calendar from the first to the last day that has orders, sessions or support cases.
materialized: table
tests:
  - unique: date
--- */
WITH bounds AS (
  SELECT MIN(d) AS first_day, MAX(d) AS last_day FROM (
    SELECT order_date AS d FROM gold.fact_order
    UNION ALL SELECT session_date FROM gold.fact_session
    UNION ALL SELECT opened_date FROM gold.fact_support_case
  ) days
)
SELECT
  CAST(t.day AS DATE) AS date,
  CAST(EXTRACT(year FROM t.day) AS INTEGER) AS year,
  CAST(EXTRACT(quarter FROM t.day) AS INTEGER) AS quarter,
  CAST(EXTRACT(month FROM t.day) AS INTEGER) AS month,
  CAST(EXTRACT(isodow FROM t.day) AS INTEGER) AS iso_day_of_week,
  EXTRACT(isodow FROM t.day) >= 6 AS is_weekend
FROM bounds, generate_series(CAST(bounds.first_day AS TIMESTAMP), CAST(bounds.last_day AS TIMESTAMP), INTERVAL '1 day') AS t(day)
