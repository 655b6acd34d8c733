/* ---
description: The star's centre, at order-line grain; money in the base currency at the order's rate.
partition_by: order_id
affected:
  silver.order_items: SELECT order_id FROM {{ changes }}
  # Only the columns read here: a parcel or a return that changes only an order's flags re-opens nothing.
  gold.fact_order: SELECT order_id FROM {{ changes_of('order_id, customer_id, order_date, channel, country, is_counted, fx_rate') }} c
indexes: [order_date, product_id]
tests:
  - unique: [order_id, line_number]
  - not_null: [product_id, customer_id, order_date]
  - relationships: { column: product_id, to: gold.dim_product, field: product_id }
  - expression: quantity > 0
  - expression: discounts <= gross_revenue
--- */
SELECT
  i.order_id,
  i.line_number,
  i.product_id,
  o.customer_id,
  o.order_date,
  o.channel,
  o.country,
  o.is_counted,
  i.quantity,
  CAST(i.quantity * i.unit_price * o.fx_rate AS {{ type('exact') }}) AS gross_revenue,
  CAST(i.discount_amount * o.fx_rate AS {{ type('exact') }}) AS discounts
FROM silver.order_items i
JOIN {{ rebuilt('gold.fact_order') }} o ON o.order_id = i.order_id
WHERE {{ partition_filter('i.order_id') }}
