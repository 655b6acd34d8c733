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
partition_by: product_id
affected:
  gold.dim_product: SELECT product_id FROM {{ changes }}
  gold.fact_order_line: SELECT product_id FROM {{ changes }}
  gold.mart_order_tracking: SELECT l.product_id FROM gold.fact_order_line l JOIN {{ changes }} c ON c.order_id = l.order_id
  gold.fact_return: SELECT product_id FROM {{ changes }} WHERE product_id IS NOT NULL
  gold.fact_support_case: SELECT l.product_id FROM gold.fact_order_line l JOIN {{ changes }} c ON c.order_id = l.order_id
indexes: [product_id]
tests:
  - unique: product_id
  - expression: trust_score IS NULL OR (trust_score >= 0 AND trust_score <= 100)
  - expression: return_rate IS NULL OR (return_rate >= 0 AND return_rate <= 1)
--- */
WITH product_orders AS (
  SELECT DISTINCT l.product_id, l.order_id
  FROM gold.fact_order_line l
  WHERE l.is_counted AND {{ partition_filter('l.product_id') }}
),
sales AS (
  SELECT l.product_id, COUNT(DISTINCT l.order_id) AS orders, SUM(l.quantity) AS units_sold
  FROM gold.fact_order_line l
  WHERE l.is_counted AND {{ partition_filter('l.product_id') }}
  GROUP BY l.product_id
),
delivery AS (
  SELECT po.product_id, COUNT(t.on_time) AS deliveries_judged, COUNT(*) FILTER (WHERE t.on_time) AS delivered_on_time
  FROM product_orders po
  JOIN gold.mart_order_tracking t ON t.order_id = po.order_id
  GROUP BY po.product_id
),
returned AS (
  SELECT r.product_id, SUM(r.quantity) AS units_returned
  FROM gold.fact_return r
  WHERE r.is_counted AND {{ partition_filter('r.product_id') }}
  GROUP BY r.product_id
),
support AS (
  SELECT po.product_id,
    COUNT(*) AS support_cases,
    COUNT(c.resolution_hours) AS resolved_cases,
    COUNT(*) FILTER (WHERE c.resolution_hours <= 24) AS resolved_within_24h,
    COUNT(c.csat_score) AS scored_cases,
    COUNT(*) FILTER (WHERE c.satisfied) AS satisfied_cases
  FROM product_orders po
  JOIN gold.fact_support_case c ON c.order_id = po.order_id
  GROUP BY po.product_id
),
parts AS (
  SELECT
    p.product_id, p.name, p.category, p.brand,
    COALESCE(s.orders, 0) AS orders,
    COALESCE(s.units_sold, 0) AS units_sold,
    COALESCE(d.deliveries_judged, 0) AS deliveries_judged,
    COALESCE(su.support_cases, 0) AS support_cases,
    CASE WHEN d.deliveries_judged > 0 THEN CAST(d.delivered_on_time AS {{ type('number') }}) / d.deliveries_judged END AS punctuality,
    CASE WHEN s.units_sold > 0 THEN LEAST(1, CAST(COALESCE(r.units_returned, 0) AS {{ type('number') }}) / s.units_sold) END AS return_rate,
    CASE WHEN su.resolved_cases > 0 THEN CAST(su.resolved_within_24h AS {{ type('number') }}) / su.resolved_cases END AS responsiveness,
    CASE WHEN su.scored_cases > 0 THEN CAST(su.satisfied_cases AS {{ type('number') }}) / su.scored_cases END AS csat,
    CAST(p.sustainability_score AS {{ type('number') }}) / 100 AS sustainability
  FROM gold.dim_product p
  LEFT JOIN sales s ON s.product_id = p.product_id
  LEFT JOIN delivery d ON d.product_id = p.product_id
  LEFT JOIN returned r ON r.product_id = p.product_id
  LEFT JOIN support su ON su.product_id = p.product_id
  WHERE p.is_current AND NOT p.is_inferred AND {{ partition_filter('p.product_id') }}
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
