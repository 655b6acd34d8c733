/* ---
description: Support cases per opening day and support channel, with CSAT (share scored 4 or 5) inputs.
partition_by: opened_date
affected:
  gold.fact_support_case: SELECT opened_date FROM {{ changes }}
--- */
SELECT
  c.opened_date,
  c.support_channel,
  COUNT(*) AS cases,
  COUNT(c.csat_score) AS scored,
  COUNT(*) FILTER (WHERE c.satisfied) AS satisfied,
  AVG(c.resolution_hours) AS avg_resolution_hours
FROM gold.fact_support_case c
WHERE {{ partition_filter('c.opened_date') }}
GROUP BY c.opened_date, c.support_channel
