/* ---
description: Returns of counted orders per order day, category and reason.
partition_by: order_date
affected:
  gold.fact_return: SELECT order_date FROM {{ changes }}
  gold.dim_product: >
    SELECT DISTINCT r.order_date FROM gold.fact_return r JOIN {{ changes }} c ON c.product_id = r.product_id
--- */
SELECT
  r.order_date,
  COALESCE(p.category, 'unknown') AS category,
  r.reason,
  COUNT(*) AS returns,
  CAST(SUM(r.quantity) AS BIGINT) AS quantity,
  SUM(r.refund) AS refunds
FROM gold.fact_return r
LEFT JOIN gold.dim_product p ON p.product_id = r.product_id AND p.is_current
WHERE r.is_counted AND {{ partition_filter('r.order_date') }}
GROUP BY r.order_date, COALESCE(p.category, 'unknown'), r.reason
