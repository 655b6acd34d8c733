/* ---
description: >
  Logistics service level per carrier over every shipment of counted orders: on_time_share (of deliveries with
  a promise, the share delivered by the promised time), avg_transit_hours (shipped → delivered), lost parcels
  and their share of all shipments. Rebuilt from the daily sums, so it stays cheap however much history there is.
materialized: table
tests:
  - unique: carrier
  - expression: on_time_share IS NULL OR (on_time_share >= 0 AND on_time_share <= 1)
  - expression: lost_share >= 0 AND lost_share <= 1
--- */
SELECT
  d.carrier,
  CAST(SUM(d.shipments) AS BIGINT) AS shipments,
  CAST(SUM(d.delivered) AS BIGINT) AS delivered,
  CAST(SUM(d.on_time) AS BIGINT) AS on_time,
  CAST(SUM(d.judged) - SUM(d.on_time) AS BIGINT) AS late,
  CAST(SUM(d.lost) AS BIGINT) AS lost,
  CASE WHEN SUM(d.judged) > 0 THEN CAST(SUM(d.on_time) AS {{ type('number') }}) / SUM(d.judged) END AS on_time_share,
  CASE WHEN SUM(d.timed) > 0 THEN CAST(SUM(d.transit_hours) AS {{ type('number') }}) / SUM(d.timed) END AS avg_transit_hours,
  CAST(SUM(d.lost) AS {{ type('number') }}) / SUM(d.shipments) AS lost_share,
  MIN(d.order_date) AS first_order_date,
  MAX(d.order_date) AS last_order_date
FROM gold.mart_carrier_sla_daily d
GROUP BY d.carrier
