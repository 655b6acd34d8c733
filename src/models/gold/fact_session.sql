/* ---
description: >
  One row per browsing session. A session belongs to the date of its first event; its channel, device and
  customer are the first non-empty ones in event order.
partition_by: session_id
# Its ordered firsts keep each session's events in memory until the session is done: a full build takes a quarter
# of the sessions at a time, so that at 10M order lines it fits DuckDB's default memory limit.
full_build_parts: 4
affected:
  silver.events: SELECT session_id FROM {{ changes }}
indexes: [session_date, customer_id]
tests:
  - unique: session_id
  - not_null: [session_date, first_event_ts]
--- */
SELECT
  e.session_id,
  MIN(e.event_ts) AS first_event_ts,
  CAST(MIN(e.event_ts) AS DATE) AS session_date,
  {{ first_non_null('e.channel; e.event_ts, e.event_id') }} AS channel,
  {{ first_non_null('e.device; e.event_ts, e.event_id') }} AS device,
  {{ first_non_null('e.customer_id; e.event_ts, e.event_id') }} AS customer_id,
  COUNT(*) AS events,
  bool_or(e.event_type = 'product_view') AS viewed_product,
  bool_or(e.event_type = 'add_to_cart') AS added_to_cart,
  bool_or(e.event_type = 'checkout_start') AS started_checkout,
  bool_or(e.event_type = 'purchase') AS converted
FROM silver.events e
WHERE {{ partition_filter('e.session_id') }}
GROUP BY e.session_id
