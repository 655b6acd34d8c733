/* ---
description: >
  Each customer once per channel, per country, and per channel and country of their counted orders
  (all_channels and all_countries tell which grouping a row belongs to): unique customers by channel or country
  over all data do not add up over groups, and counting them from the orders took 8 s at 10M order lines on
  PostgreSQL (the distinct pairs of channel and customer alone).
partition_by: customer_id
affected:
  # Only the columns read here: a parcel or a return that changes only an order's flags re-opens nothing.
  gold.fact_order: SELECT customer_id FROM {{ changes_of('customer_id, channel, country, is_counted') }} c
tests:
  - unique: [customer_id, all_channels, all_countries, channel, country]
--- */
SELECT
  o.customer_id,
  GROUPING(o.channel) = 1 AS all_channels,
  GROUPING(o.country) = 1 AS all_countries,
  o.channel,
  o.country
FROM gold.fact_order o
WHERE o.is_counted AND {{ partition_filter('o.customer_id') }}
GROUP BY GROUPING SETS ((o.customer_id, o.channel), (o.customer_id, o.country), (o.customer_id, o.channel, o.country))
