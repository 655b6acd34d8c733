import { defineEntity } from './types.js';

export const inventory = defineEntity({
  name: 'inventory',
  description: 'Stock snapshots per product and warehouse.',
  key: ['product_id', 'warehouse', 'snapshot_ts'],
  columns: {
    product_id: { type: 'string', required: true },
    warehouse: { type: 'string', required: true },
    snapshot_ts: { type: 'timestamp', required: true },
    on_hand: { type: 'integer', required: true, min: 0 },
    on_order: { type: 'integer' },
  },
});
