/* ---
description: >
  Distinct customers of counted orders per day, over all channels and countries, per channel, per country, and
  per channel and country (all_channels and all_countries tell which): distinct customers do not add up across
  groups, so the daily breakdown reads its one row per day here instead of every order of the window.
partition_by: order_date
affected:
  # Only the columns read here: a parcel or a return that changes only an order's flags re-opens nothing.
  gold.fact_order: SELECT order_date FROM {{ changes_of('order_date, customer_id, channel, country, is_counted') }} c
tests:
  - unique: [order_date, all_channels, all_countries, channel, country]
  - expression: customers > 0
--- */
SELECT
  o.order_date,
  GROUPING(o.channel) = 1 AS all_channels,
  GROUPING(o.country) = 1 AS all_countries,
  o.channel,
  o.country,
  COUNT(DISTINCT o.customer_id) AS customers
FROM gold.fact_order o
WHERE o.is_counted AND {{ partition_filter('o.order_date') }}
GROUP BY GROUPING SETS ((o.order_date), (o.order_date, o.channel), (o.order_date, o.country), (o.order_date, o.channel, o.country))
