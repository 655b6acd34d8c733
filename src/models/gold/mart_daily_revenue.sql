/* ---
description: >
  Counted orders and money per day, channel and country (base currency, exact until reported), with the order
  counts behind fulfilment SLA and return rate, so every additive order KPI is a sum over this mart.
partition_by: order_date
affected:
  gold.fact_order: SELECT order_date FROM {{ changes }}
tests:
  - unique: [order_date, channel, country]
  - expression: net_revenue = gross_revenue - discounts - refunds
  - expression: sla_met <= sla_orders AND returned_orders <= shipped_orders AND shipped_orders <= orders
--- */
SELECT
  o.order_date,
  o.channel,
  o.country,
  COUNT(*) AS orders,
  CAST(SUM(o.units) AS BIGINT) AS units,
  SUM(o.gross_revenue) AS gross_revenue,
  SUM(o.discounts) AS discounts,
  SUM(o.refunds) AS refunds,
  SUM(o.gross_revenue - o.discounts - o.refunds) AS net_revenue,
  COUNT(DISTINCT o.customer_id) AS customers,
  COUNT(o.delivered_on_time) AS sla_orders,
  COUNT(*) FILTER (WHERE o.delivered_on_time) AS sla_met,
  COUNT(*) FILTER (WHERE o.has_shipment) AS shipped_orders,
  COUNT(*) FILTER (WHERE o.has_shipment AND o.has_return) AS returned_orders
FROM gold.fact_order o
WHERE o.is_counted AND {{ partition_filter('o.order_date') }}
GROUP BY o.order_date, o.channel, o.country
