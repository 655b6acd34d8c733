import { defineEntity } from './types.js';

export const orderItems = defineEntity({
  name: 'order_items',
  description: 'Lines of an order; money in the order currency.',
  key: ['order_id', 'line_number'],
  versionColumn: 'updated_at',
  columns: {
    order_id: { type: 'string', required: true },
    line_number: { type: 'integer', required: true, min: 1 },
    product_id: { type: 'string', required: true },
    quantity: { type: 'integer', required: true, greaterThan: 0 },
    unit_price: { type: 'money', required: true, min: 0 },
    discount_amount: { type: 'money', default: 0, min: 0 },
    updated_at: { type: 'timestamp' },
  },
  rules: [
    {
      name: 'discount_within_line',
      description: 'discount_amount must not exceed quantity × unit_price',
      sql: 'discount_amount <= quantity * unit_price',
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
