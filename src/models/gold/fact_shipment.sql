/* ---
description: Shipments with their order's promise, punctuality and transit time.
partition_by: order_id
affected:
  silver.shipments: SELECT order_id FROM {{ changes }}
  # Only the columns read here: a parcel or a return that changes only an order's flags re-opens nothing; and only
  # an order with a shipment (a new order has none yet: a micro-batch's orders re-open nothing here).
  gold.fact_order: >
    SELECT c.order_id
    FROM {{ changes_of('order_id, order_date, channel, country, is_counted, promised_delivery_ts') }} c
    WHERE EXISTS (SELECT 1 FROM silver.shipments s WHERE s.order_id = c.order_id)
indexes: [order_date]
tests:
  - unique: shipment_id
  - accepted_values: { column: status, values: [pending, in_transit, delivered, lost] }
  - expression: delivered_ts IS NULL OR shipped_ts IS NULL OR delivered_ts >= shipped_ts
--- */
SELECT
  s.shipment_id,
  s.order_id,
  s.carrier,
  s.status,
  s.shipped_ts,
  s.delivered_ts,
  o.order_date,
  o.channel,
  o.country,
  o.is_counted,
  o.promised_delivery_ts,
  CASE WHEN s.status = 'delivered' AND s.delivered_ts IS NOT NULL AND o.promised_delivery_ts IS NOT NULL
       THEN s.delivered_ts <= o.promised_delivery_ts END AS on_time,
  CASE WHEN s.delivered_ts IS NOT NULL AND s.shipped_ts IS NOT NULL
       THEN ({{ epoch('s.delivered_ts') }} - {{ epoch('s.shipped_ts') }}) / 3600.0 END AS transit_hours
FROM silver.shipments s
JOIN {{ rebuilt('gold.fact_order') }} o ON o.order_id = s.order_id
WHERE {{ partition_filter('s.order_id') }}
