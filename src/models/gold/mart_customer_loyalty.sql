/* ---
description: >
  Loyalty per customer, from lifetime value (gross − discounts − refunds of counted orders, in the base
  currency): one point per whole unit of value; the tier the points reach (Bronze from 0, Silver from 500, Gold
  from 2,000, Platinum from 5,000 points); the next tier, the points still missing, and the progress from the
  current tier's threshold to the next one's (0 to 1; 1 at the top tier). Every known customer has a row.
partition_by: customer_id
affected:
  # Read through gold.mart_customer_ltv, which sums the same counted orders per customer and is rebuilt, before this
  # model, for exactly the customers this query names (the same columns: a parcel or a return that changes only an
  # order's flags re-opens nothing). Summing a customer's orders again here read the whole fact a second time.
  gold.fact_order: SELECT customer_id FROM {{ changes_of('customer_id, order_date, gross_revenue, discounts, refunds, is_counted') }} c
  gold.dim_customer: SELECT customer_id FROM {{ changes }}
indexes: [customer_id]
tests:
  - unique: customer_id
  - accepted_values: { column: tier, values: [Bronze, Silver, Gold, Platinum] }
  - expression: next_tier_progress >= 0 AND next_tier_progress <= 1
  - expression: next_tier IS NULL OR (points < next_tier_points AND points_to_next_tier = next_tier_points - points)
--- */
WITH tiers AS (
  SELECT t.tier, t.tier_rank, t.min_points,
    LEAD(t.tier) OVER (ORDER BY t.tier_rank) AS next_tier,
    LEAD(t.min_points) OVER (ORDER BY t.tier_rank) AS next_min_points
  FROM (VALUES ('Bronze', 1, 0), ('Silver', 2, 500), ('Gold', 3, 2000), ('Platinum', 4, 5000)) AS t(tier, tier_rank, min_points)
),
customers AS (
  SELECT DISTINCT d.customer_id FROM gold.dim_customer d WHERE {{ partition_filter('d.customer_id') }}
),
lifetime AS (
  SELECT l.customer_id, l.orders, l.lifetime_value, l.last_order_date
  FROM gold.mart_customer_ltv l
  WHERE {{ partition_filter('l.customer_id') }}
),
scored AS (
  SELECT c.customer_id, COALESCE(l.orders, 0) AS orders, COALESCE(l.lifetime_value, 0) AS lifetime_value,
    l.last_order_date,
    CAST(FLOOR(GREATEST(COALESCE(l.lifetime_value, 0), 0)) AS BIGINT) AS points
  FROM customers c
  LEFT JOIN lifetime l ON l.customer_id = c.customer_id
)
SELECT
  s.customer_id, s.orders, s.lifetime_value, s.last_order_date, s.points,
  t.tier, t.tier_rank, t.min_points AS tier_points,
  t.next_tier, t.next_min_points AS next_tier_points,
  CASE WHEN t.next_min_points IS NOT NULL THEN t.next_min_points - s.points END AS points_to_next_tier,
  CAST(CASE WHEN t.next_min_points IS NULL THEN 1
    ELSE CAST(s.points - t.min_points AS {{ type('number') }}) / (t.next_min_points - t.min_points) END AS {{ type('number') }}) AS next_tier_progress
FROM scored s
JOIN tiers t ON s.points >= t.min_points AND (t.next_min_points IS NULL OR s.points < t.next_min_points)
