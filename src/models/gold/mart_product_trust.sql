/* ---
description: >
  Trust score per product, 0 to 100, from what its buyers experienced:
  trust_score = 100 × (0.25 × punctuality + 0.25 × (1 − return_rate) + 0.15 × responsiveness + 0.15 × csat
  + 0.20 × sustainability) ÷ (the sum of the weights of the parts that are known).
  punctuality: of the product's counted orders whose delivery is complete and had a promise, the share delivered
  by the promised time. return_rate: units returned ÷ units sold (counted orders). responsiveness: of resolved
  support cases about orders with the product, the share resolved within 24 hours. csat: of those cases with a
  score, the share scored 4 or 5. sustainability: the catalogue's sustainability_score ÷ 100. A part with
  nothing to judge it by (no deliveries, no cases, no score) is left out and the other weights count for it;
  with no part known the score is null.
# A table of one row per product, weighed from the sums of gold.mart_product_experience on every run that
# changed them: the per-order work is in the sums.
materialized: table
indexes: [product_id]
tests:
  - unique: product_id
  - expression: trust_score IS NULL OR (trust_score >= 0 AND trust_score <= 100)
  - expression: return_rate IS NULL OR (return_rate >= 0 AND return_rate <= 1)
--- */
WITH parts AS (
  SELECT
    p.product_id, p.name, p.category, p.brand,
    COALESCE(e.orders, 0) AS orders,
    COALESCE(e.units_sold, 0) AS units_sold,
    COALESCE(e.deliveries_judged, 0) AS deliveries_judged,
    COALESCE(e.support_cases, 0) AS support_cases,
    CASE WHEN e.deliveries_judged > 0 THEN CAST(e.delivered_on_time AS {{ type('number') }}) / e.deliveries_judged END AS punctuality,
    CASE WHEN e.units_sold > 0 THEN LEAST(1, CAST(e.units_returned AS {{ type('number') }}) / e.units_sold) END AS return_rate,
    CASE WHEN e.resolved_cases > 0 THEN CAST(e.resolved_within_24h AS {{ type('number') }}) / e.resolved_cases END AS responsiveness,
    CASE WHEN e.scored_cases > 0 THEN CAST(e.satisfied_cases AS {{ type('number') }}) / e.scored_cases END AS csat,
    CAST(p.sustainability_score AS {{ type('number') }}) / 100 AS sustainability
  FROM gold.dim_product p
  LEFT JOIN gold.mart_product_experience e ON e.product_id = p.product_id
  WHERE p.is_current AND NOT p.is_inferred
),
weighed AS (
  SELECT x.*,
    COALESCE(0.25 * x.punctuality, 0) + COALESCE(0.25 * (1 - x.return_rate), 0) + COALESCE(0.15 * x.responsiveness, 0)
      + COALESCE(0.15 * x.csat, 0) + COALESCE(0.20 * x.sustainability, 0) AS weighted,
    CASE WHEN x.punctuality IS NULL THEN 0 ELSE 0.25 END + CASE WHEN x.return_rate IS NULL THEN 0 ELSE 0.25 END
      + CASE WHEN x.responsiveness IS NULL THEN 0 ELSE 0.15 END + CASE WHEN x.csat IS NULL THEN 0 ELSE 0.15 END
      + CASE WHEN x.sustainability IS NULL THEN 0 ELSE 0.20 END AS known_weight
  FROM parts x
)
SELECT
  w.product_id, w.name, w.category, w.brand, w.orders, w.units_sold, w.deliveries_judged, w.support_cases,
  w.punctuality, w.return_rate, w.responsiveness, w.csat, w.sustainability,
  CASE WHEN w.known_weight > 0
       THEN CAST(ROUND(CAST(100 * w.weighted / w.known_weight AS DECIMAL(18,6)), 1) AS {{ type('number') }}) END AS trust_score
FROM weighed w
