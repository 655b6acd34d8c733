/* ---
description: >
  One row per order as its customer follows it: status, what was paid in the order's own currency, and the
  delivery promise against what happened. delivery_status: cancelled, awaiting_shipment (no parcel has left),
  in_transit, delivered (every parcel), lost (every parcel), partly_lost (some delivered, the rest lost);
  on_time and days_late (negative: early) once every parcel is delivered.
partition_by: order_id
affected:
  gold.fact_order: SELECT order_id FROM {{ changes }}
  gold.fact_shipment: SELECT order_id FROM {{ changes }}
indexes: [[customer_id, order_ts]]
tests:
  - unique: order_id
  - not_null: [customer_id, order_ts, delivery_status]
  - accepted_values: { column: delivery_status, values: [cancelled, awaiting_shipment, in_transit, delivered, lost, partly_lost] }
  - expression: shipments = delivered + in_transit + lost + pending
  - expression: order_total >= 0
--- */
WITH shipment_totals AS (
  SELECT
    s.order_id,
    COUNT(*) AS shipments,
    COUNT(*) FILTER (WHERE s.status = 'delivered') AS delivered,
    COUNT(*) FILTER (WHERE s.status = 'in_transit') AS in_transit,
    COUNT(*) FILTER (WHERE s.status = 'lost') AS lost,
    COUNT(*) FILTER (WHERE s.status = 'pending') AS pending,
    MIN(s.shipped_ts) AS shipped_ts
  FROM gold.fact_shipment s
  WHERE {{ partition_filter('s.order_id') }}
  GROUP BY s.order_id
),
tracked AS (
  SELECT
    o.order_id, o.customer_id, o.order_ts, o.order_date, o.channel, o.status, o.currency,
    o.line_count AS items,
    o.units,
    -- fact_order holds base-currency money at the order's rate; the customer paid in the order's currency.
    CAST(ROUND((o.gross_revenue - o.discounts + o.shipping + o.tax) / o.fx_rate, 2) AS {{ type('money') }}) AS order_total,
    o.promised_delivery_ts,
    COALESCE(st.shipments, 0) AS shipments,
    COALESCE(st.delivered, 0) AS delivered,
    COALESCE(st.in_transit, 0) AS in_transit,
    COALESCE(st.lost, 0) AS lost,
    COALESCE(st.pending, 0) AS pending,
    st.shipped_ts,
    o.last_delivered_ts AS delivered_ts,
    CASE
      WHEN o.status = 'cancelled' THEN 'cancelled'
      WHEN st.shipments IS NULL OR st.shipments = st.pending THEN 'awaiting_shipment'
      WHEN st.delivered = st.shipments THEN 'delivered'
      WHEN st.lost = st.shipments THEN 'lost'
      WHEN st.in_transit + st.pending > 0 THEN 'in_transit'
      ELSE 'partly_lost'
    END AS delivery_status
  FROM {{ rebuilt('gold.fact_order') }} o
  LEFT JOIN shipment_totals st ON st.order_id = o.order_id
  WHERE {{ partition_filter('o.order_id') }}
)
SELECT
  t.*,
  CASE WHEN t.delivery_status = 'delivered' AND t.promised_delivery_ts IS NOT NULL
       THEN t.delivered_ts <= t.promised_delivery_ts END AS on_time,
  CASE WHEN t.delivery_status = 'delivered' AND t.promised_delivery_ts IS NOT NULL
       THEN CAST(ROUND(CAST(({{ epoch('t.delivered_ts') }} - {{ epoch('t.promised_delivery_ts') }}) / 86400.0 AS DECIMAL(18,6)), 1) AS {{ type('number') }}) END AS days_late
FROM tracked t
