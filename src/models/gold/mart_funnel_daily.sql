/* ---
description: >
  Sessions per day, channel, device and country, and how far they got: product view, cart, checkout, purchase.
  A session's country is its customer's (current version; NULL for anonymous sessions), so a customer who moves
  or arrives after their sessions rebuilds the days of those sessions.
partition_by: session_date
affected:
  gold.fact_session: SELECT session_date FROM {{ changes }}
  # Only the current country is read: a customer's new email or name re-opens nothing here.
  gold.dim_customer: >
    SELECT DISTINCT s.session_date FROM gold.fact_session s
    JOIN {{ changed_current('customer_id; country') }} c ON c.customer_id = s.customer_id
tests:
  - expression: converted <= sessions
--- */
SELECT
  s.session_date,
  s.channel,
  s.device,
  c.country,
  COUNT(*) AS sessions,
  COUNT(*) FILTER (WHERE s.viewed_product) AS viewed_product,
  COUNT(*) FILTER (WHERE s.added_to_cart) AS added_to_cart,
  COUNT(*) FILTER (WHERE s.started_checkout) AS started_checkout,
  COUNT(*) FILTER (WHERE s.converted) AS converted
FROM gold.fact_session s
LEFT JOIN gold.dim_customer c ON c.customer_id = s.customer_id AND c.is_current
WHERE {{ partition_filter('s.session_date') }}
GROUP BY s.session_date, s.channel, s.device, c.country
