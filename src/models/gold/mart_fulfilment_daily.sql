/* ---
description: >
  Shipments of counted orders per order day and carrier: delivered, on time, late, lost, transit time.
partition_by: order_date
affected:
  gold.fact_shipment: SELECT order_date FROM {{ changes }}
--- */
SELECT
  s.order_date,
  s.carrier,
  COUNT(*) AS shipments,
  COUNT(*) FILTER (WHERE s.status = 'delivered') AS delivered,
  COUNT(*) FILTER (WHERE s.on_time) AS on_time,
  COUNT(*) FILTER (WHERE s.on_time = FALSE) AS late,
  COUNT(*) FILTER (WHERE s.status = 'lost') AS lost,
  AVG(s.transit_hours) AS avg_transit_hours
FROM gold.fact_shipment s
WHERE s.is_counted AND {{ partition_filter('s.order_date') }}
GROUP BY s.order_date, s.carrier
