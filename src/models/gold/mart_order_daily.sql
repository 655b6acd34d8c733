/* ---
description: All orders (cancelled too) per day, channel and status, for the order-status mix.
partition_by: order_date
affected:
  # Only the columns read here: a parcel or a return that changes only an order's flags re-opens nothing.
  gold.fact_order: SELECT order_date FROM {{ changes_of('order_date, channel, status, gross_revenue') }} c
--- */
SELECT
  o.order_date,
  o.channel,
  o.status,
  COUNT(*) AS orders,
  SUM(o.gross_revenue) AS gross_revenue
FROM gold.fact_order o
WHERE {{ partition_filter('o.order_date') }}
GROUP BY o.order_date, o.channel, o.status
