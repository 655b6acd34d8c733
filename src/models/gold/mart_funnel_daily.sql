/* ---
description: >
  Sessions per day, channel and device, and how far they got: product view, cart, checkout, purchase.
partition_by: session_date
affected:
  gold.fact_session: SELECT session_date FROM {{ changes }}
tests:
  - expression: converted <= sessions
--- */
SELECT
  s.session_date,
  s.channel,
  s.device,
  COUNT(*) AS sessions,
  COUNT(*) FILTER (WHERE s.viewed_product) AS viewed_product,
  COUNT(*) FILTER (WHERE s.added_to_cart) AS added_to_cart,
  COUNT(*) FILTER (WHERE s.started_checkout) AS started_checkout,
  COUNT(*) FILTER (WHERE s.converted) AS converted
FROM gold.fact_session s
WHERE {{ partition_filter('s.session_date') }}
GROUP BY s.session_date, s.channel, s.device
