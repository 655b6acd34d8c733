/* ---
description: >
  Products as a type 2 slowly changing dimension, plus an inferred member (category 'unknown') for every
  product sold, stocked or viewed before the catalogue listed it.
partition_by: product_id
affected:
  silver.products: SELECT product_id FROM {{ changes }}
  # A line or a stock count changes this dimension only through an inferred member: for a product silver does
  # not hold (as dim_customer's orders). A day's lines of listed products re-open nothing.
  silver.order_items: >
    SELECT c.product_id FROM {{ changes }} c
    WHERE NOT EXISTS (SELECT 1 FROM silver.products p WHERE p.product_id = c.product_id)
  silver.inventory: >
    SELECT c.product_id FROM {{ changes }} c
    WHERE NOT EXISTS (SELECT 1 FROM silver.products p WHERE p.product_id = c.product_id)
indexes: [[product_id, is_current]]
tests:
  - unique: [product_id, valid_from]
  - not_null: [category]
  # Lines sold before the catalogue listed their product get an inferred member; many of them mean a missing catalogue feed.
  - expression: NOT is_inferred
    severity: warn
    warn_if: "> 5%"
--- */
WITH versions AS (
  SELECT
    h.product_id, h.name, h.category, h.subcategory, h.brand, h.unit_price, h.unit_cost, h.currency,
    h.supplier, h.sustainability_score, h.is_active, h.valid_from, h.valid_to, h.is_current, FALSE AS is_inferred
  FROM silver.products_history h
  WHERE {{ partition_filter('h.product_id') }}
),
referenced AS (
  SELECT i.product_id FROM silver.order_items i WHERE {{ partition_filter('i.product_id') }}
  UNION
  SELECT s.product_id FROM silver.inventory s WHERE {{ partition_filter('s.product_id') }}
)
SELECT * FROM versions
UNION ALL
SELECT
  r.product_id, NULL, 'unknown', NULL, NULL, NULL, NULL, NULL, NULL, NULL, TRUE, NULL, NULL, TRUE, TRUE
FROM referenced r
WHERE NOT EXISTS (SELECT 1 FROM silver.products p WHERE p.product_id = r.product_id)
