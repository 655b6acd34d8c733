import { defineEntity } from './types.js';

export const returns = defineEntity({
  name: 'returns',
  description: 'Returned goods and refunds; refund in the order currency.',
  key: ['return_id'],
  versionColumn: 'updated_at',
  columns: {
    return_id: { type: 'string', required: true },
    order_id: { type: 'string', required: true },
    product_id: { type: 'string' },
    quantity: { type: 'integer', required: true },
    refund_amount: { type: 'money', required: true, min: 0 },
    reason: { type: 'string' },
    requested_ts: { type: 'timestamp', required: true },
    updated_at: { type: 'timestamp' },
  },
  dependsOn: [
    {
      reason: 'awaiting_order',
      description: 'its order has not arrived (or is itself waiting); the refund is in the order currency',
      sql: 'EXISTS (SELECT 1 FROM silver.orders o WHERE o.order_id = r.order_id)',
    },
  ],
});
