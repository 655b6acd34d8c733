/* ---
description: >
  Each customer once per product category they bought from in a counted order: unique customers of a category
  over all data, which do not add up over days (the KPI query reads the lines for a window or a channel or
  country; on PostgreSQL at 10M order lines, counting them from the lines took a minute).
partition_by: customer_id
affected:
  gold.fact_order_line: SELECT customer_id FROM {{ changes }}
  # Only a change of a product's current category moves its buyers.
  gold.dim_product: >
    SELECT DISTINCT l.customer_id FROM gold.fact_order_line l
    JOIN {{ changed_current('product_id; category') }} c ON c.product_id = l.product_id
tests:
  - unique: [customer_id, category]
--- */
SELECT DISTINCT l.customer_id, p.category
FROM gold.fact_order_line l
JOIN gold.dim_product p ON p.product_id = l.product_id AND p.is_current
WHERE l.is_counted AND {{ partition_filter('l.customer_id') }}
