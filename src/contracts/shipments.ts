import { SHIPMENT_STATUSES } from './enums.js';
import { defineEntity } from './types.js';

export const shipments = defineEntity({
  name: 'shipments',
  description: 'Parcels sent for an order.',
  key: ['shipment_id'],
  versionColumn: 'updated_at',
  columns: {
    shipment_id: { type: 'string', required: true },
    order_id: { type: 'string', required: true },
    carrier: { type: 'string', required: true },
    shipped_ts: { type: 'timestamp' },
    delivered_ts: { type: 'timestamp' },
    status: { type: 'string', required: true, enum: SHIPMENT_STATUSES },
    updated_at: { type: 'timestamp' },
  },
  rules: [
    {
      name: 'delivered_after_shipped',
      description: 'delivered_ts must not be before shipped_ts',
      sql: 'delivered_ts >= shipped_ts',
    },
  ],
  dependsOn: [
    {
      reason: 'awaiting_order',
      description: 'its order has not arrived (or is itself waiting)',
      sql: 'EXISTS (SELECT 1 FROM silver.orders o WHERE o.order_id = r.order_id)',
    },
  ],
});
