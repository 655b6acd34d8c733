/* ---
description: >
  Customers as a type 2 slowly changing dimension (one row per version, is_current on the latest), plus an
  inferred member for every customer referenced by an order, session or case before the customer arrived.
  Emails and names are tokens (HMAC under the privacy key), never the clear values: see src/privacy/.
partition_by: customer_id
affected:
  silver.customers: SELECT customer_id FROM {{ changes }}
  # An order, session or case changes this dimension only through an inferred member: for a customer silver
  # does not hold. A day's orders of known customers re-open nothing.
  silver.orders: >
    SELECT c.customer_id FROM {{ changes }} c
    WHERE NOT EXISTS (SELECT 1 FROM silver.customers s WHERE s.customer_id = c.customer_id)
  silver.events: >
    SELECT c.customer_id FROM {{ changes }} c
    WHERE c.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM silver.customers s WHERE s.customer_id = c.customer_id)
  silver.support_cases: >
    SELECT c.customer_id FROM {{ changes }} c
    WHERE c.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM silver.customers s WHERE s.customer_id = c.customer_id)
indexes: [[customer_id, is_current]]
tests:
  - unique: [customer_id, valid_from]
--- */
WITH versions AS (
  SELECT
    h.customer_id,
    {{ pii_token('LOWER(TRIM(h.email))') }} AS email_token,
    {{ pii_token('h.first_name') }} AS first_name_token,
    {{ pii_token('h.last_name') }} AS last_name_token,
    h.country, h.region, h.city, h.signup_at,
    h.marketing_consent, h.valid_from, h.valid_to, h.is_current, FALSE AS is_inferred
  FROM silver.customers_history h
  WHERE {{ partition_filter('h.customer_id') }}
),
-- Customers referenced before silver holds them: only they get an inferred member. They are looked for among the
-- partitions built, first, so a run whose customers are all known reads no order, session or case.
unknown AS MATERIALIZED (
  SELECT p.customer_id
  FROM {{ partition_values('SELECT customer_id FROM silver.orders
    UNION SELECT customer_id FROM silver.events WHERE customer_id IS NOT NULL
    UNION SELECT customer_id FROM silver.support_cases WHERE customer_id IS NOT NULL') }} AS p(customer_id)
  WHERE NOT EXISTS (SELECT 1 FROM silver.customers c WHERE c.customer_id = p.customer_id)
),
referenced AS (
  SELECT o.customer_id FROM silver.orders o WHERE o.customer_id IN (SELECT customer_id FROM unknown)
  UNION
  SELECT e.customer_id FROM silver.events e WHERE e.customer_id IN (SELECT customer_id FROM unknown)
  UNION
  SELECT c.customer_id FROM silver.support_cases c WHERE c.customer_id IN (SELECT customer_id FROM unknown)
)
SELECT * FROM versions
UNION ALL
SELECT
  r.customer_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, TRUE, TRUE
FROM referenced r
