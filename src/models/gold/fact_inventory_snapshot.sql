/* ---
description: Stock snapshots per product and warehouse, each valid until the next snapshot of the same pair.
partition_by: product_id
affected:
  silver.inventory: SELECT product_id FROM {{ changes }}
indexes: [[product_id, warehouse, snapshot_ts]]
tests:
  - unique: [product_id, warehouse, snapshot_ts]
  - expression: on_hand >= 0
--- */
SELECT
  i.product_id,
  i.warehouse,
  i.snapshot_ts,
  CAST(i.snapshot_ts AS DATE) AS snapshot_date,
  i.on_hand,
  i.on_order,
  LEAD(i.snapshot_ts) OVER (PARTITION BY i.product_id, i.warehouse ORDER BY i.snapshot_ts) AS next_snapshot_ts
FROM silver.inventory i
WHERE {{ partition_filter('i.product_id') }}
