/* ---
description: Exchange-rate validity ranges; a rate holds from its rate_date until the next rate of its currency.
materialized: table
tests:
  - unique: [currency, valid_from]
  - expression: rate_to_base > 0
--- */
SELECT
  currency,
  rate_date AS valid_from,
  LEAD(rate_date) OVER (PARTITION BY currency ORDER BY rate_date) AS valid_to,
  rate_to_base
FROM silver.fx_rates
