/* ---
description: Support cases with satisfaction (CSAT 4 or 5) and resolution time.
partition_by: case_id
affected:
  silver.support_cases: SELECT case_id FROM {{ changes }}
indexes: [opened_date, order_id]
tests:
  - unique: case_id
  - expression: csat_score IS NULL OR csat_score BETWEEN 1 AND 5
--- */
SELECT
  c.case_id,
  c.customer_id,
  c.order_id,
  c.channel AS support_channel,
  c.opened_ts,
  CAST(c.opened_ts AS DATE) AS opened_date,
  c.resolved_ts,
  c.csat_score,
  CASE WHEN c.csat_score IS NOT NULL THEN c.csat_score >= 4 END AS satisfied,
  CASE WHEN c.resolved_ts IS NOT NULL
       THEN ({{ epoch('c.resolved_ts') }} - {{ epoch('c.opened_ts') }}) / 3600.0 END AS resolution_hours
FROM silver.support_cases c
WHERE {{ partition_filter('c.case_id') }}
