/* ---
description: Stock snapshots per product and warehouse, each valid until the next snapshot of the same pair.
# By day, not by product: a day's snapshots of every product re-open two days (their own and that of each pair's
# snapshot before, which they end), not every product's whole history.
partition_by: snapshot_date
affected:
  silver.inventory: >
    SELECT CAST(snapshot_ts AS DATE) FROM {{ changes }}
    UNION ALL
    SELECT CAST(MAX(s.snapshot_ts) AS DATE) FROM silver.inventory s
    JOIN {{ changes }} c ON c.product_id = s.product_id AND c.warehouse = s.warehouse AND s.snapshot_ts < c.snapshot_ts
    GROUP BY c.product_id, c.warehouse, c.snapshot_ts
indexes: [[product_id, warehouse, snapshot_ts]]
tests:
  - unique: [product_id, warehouse, snapshot_ts]
  - expression: on_hand >= 0
--- */
SELECT * FROM (
  SELECT
    i.product_id,
    i.warehouse,
    i.snapshot_ts,
    CAST(i.snapshot_ts AS DATE) AS snapshot_date,
    i.on_hand,
    i.on_order,
    LEAD(i.snapshot_ts) OVER (PARTITION BY i.product_id, i.warehouse ORDER BY i.snapshot_ts) AS next_snapshot_ts
  FROM silver.inventory i
  -- LEAD looks only forward, so the snapshots from the earliest day rebuilt on are all it needs.
  WHERE CAST(i.snapshot_ts AS DATE) >= (SELECT MIN(v.day)
    FROM {{ partition_values('SELECT CAST(MIN(snapshot_ts) AS DATE) FROM silver.inventory') }} AS v(day))
) s
WHERE {{ partition_filter('s.snapshot_date') }}
