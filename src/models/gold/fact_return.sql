/* ---
description: Returns, attributed to their order's date; refunds in the base currency at the order's rate.
partition_by: order_id
affected:
  silver.returns: SELECT order_id FROM {{ changes }}
  # Only the columns read here: a parcel or a return that changes only an order's flags re-opens nothing; and only
  # an order with a return (a new order has none yet: a micro-batch's orders re-open nothing here).
  gold.fact_order: >
    SELECT c.order_id
    FROM {{ changes_of('order_id, customer_id, order_date, channel, country, is_counted, fx_rate') }} c
    WHERE EXISTS (SELECT 1 FROM silver.returns s WHERE s.order_id = c.order_id)
indexes: [order_date, product_id]
tests:
  - unique: return_id
  - expression: refund >= 0 AND quantity > 0
--- */
SELECT
  r.return_id,
  r.order_id,
  r.product_id,
  o.customer_id,
  o.order_date,
  o.channel,
  o.country,
  o.is_counted,
  r.quantity,
  CAST(r.refund_amount * o.fx_rate AS {{ type('exact') }}) AS refund,
  r.reason,
  r.requested_ts,
  CAST(r.requested_ts AS DATE) AS requested_date
FROM silver.returns r
JOIN {{ rebuilt('gold.fact_order') }} o ON o.order_id = r.order_id
WHERE {{ partition_filter('r.order_id') }}
