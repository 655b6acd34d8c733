/* ---
description: >
  One row per browsing session. A session belongs to the date of its first event; its channel, device and
  customer are the first non-empty ones in event order.
partition_by: session_id
# An ordered first keeps a session's events in memory until the session is done. Most sessions name one channel,
# one device and one customer, which MIN and MAX show without keeping anything: only the sessions whose events
# disagree are read again in event order (at 10M order lines 20 s against 35 s, bench/findings.md, finding 41). A
# full build takes half the sessions at a time: a feed whose sessions mostly disagree holds half its events at once.
full_build_parts: 2
affected:
  silver.events: SELECT session_id FROM {{ changes }}
indexes: [session_date, customer_id]
tests:
  - unique: session_id
  - not_null: [session_date, first_event_ts]
--- */
WITH sessions AS (
  SELECT
    e.session_id,
    MIN(e.event_ts) AS first_event_ts,
    MIN(e.channel) AS channel_low,
    MAX(e.channel) AS channel_high,
    MIN(e.device) AS device_low,
    MAX(e.device) AS device_high,
    MIN(e.customer_id) AS customer_low,
    MAX(e.customer_id) AS customer_high,
    COUNT(*) AS events,
    bool_or(e.event_type = 'product_view') AS viewed_product,
    bool_or(e.event_type = 'add_to_cart') AS added_to_cart,
    bool_or(e.event_type = 'checkout_start') AS started_checkout,
    bool_or(e.event_type = 'purchase') AS converted
  FROM silver.events e
  WHERE {{ partition_filter('e.session_id') }}
  GROUP BY e.session_id
),
-- The sessions whose events name two channels, devices or customers: only there does event order choose.
mixed AS (
  SELECT session_id FROM sessions
  WHERE channel_low <> channel_high OR device_low <> device_high OR customer_low <> customer_high
),
firsts AS (
  SELECT
    e.session_id,
    {{ first_non_null('e.channel; e.event_ts, e.event_id') }} AS channel,
    {{ first_non_null('e.device; e.event_ts, e.event_id') }} AS device,
    {{ first_non_null('e.customer_id; e.event_ts, e.event_id') }} AS customer_id
  FROM silver.events e
  JOIN mixed m ON m.session_id = e.session_id
  WHERE {{ partition_filter('e.session_id') }}
  GROUP BY e.session_id
)
SELECT
  s.session_id,
  s.first_event_ts,
  CAST(s.first_event_ts AS DATE) AS session_date,
  CASE WHEN s.channel_low IS NOT DISTINCT FROM s.channel_high THEN s.channel_low ELSE f.channel END AS channel,
  CASE WHEN s.device_low IS NOT DISTINCT FROM s.device_high THEN s.device_low ELSE f.device END AS device,
  CASE WHEN s.customer_low IS NOT DISTINCT FROM s.customer_high THEN s.customer_low ELSE f.customer_id END AS customer_id,
  s.events,
  s.viewed_product,
  s.added_to_cart,
  s.started_checkout,
  s.converted
FROM sessions s
LEFT JOIN firsts f ON f.session_id = s.session_id
