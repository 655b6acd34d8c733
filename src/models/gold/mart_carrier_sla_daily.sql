/* ---
description: >
  Shipments of counted orders per order day and carrier, as the sums a carrier's service level adds up from:
  deliveries judged against a promise and those on time, lost parcels, and transit hours (shipped → delivered).
partition_by: order_date
affected:
  gold.fact_shipment: SELECT order_date FROM {{ changes }}
tests:
  - unique: [order_date, carrier]
  - expression: on_time <= judged AND judged <= delivered AND delivered + lost <= shipments AND timed <= delivered
--- */
SELECT
  s.order_date,
  s.carrier,
  COUNT(*) AS shipments,
  COUNT(*) FILTER (WHERE s.status = 'delivered') AS delivered,
  COUNT(s.on_time) AS judged,
  COUNT(*) FILTER (WHERE s.on_time) AS on_time,
  COUNT(*) FILTER (WHERE s.status = 'lost') AS lost,
  COUNT(s.transit_hours) AS timed,
  SUM(s.transit_hours) AS transit_hours
FROM gold.fact_shipment s
WHERE s.is_counted AND {{ partition_filter('s.order_date') }}
GROUP BY s.order_date, s.carrier
