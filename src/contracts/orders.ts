import { ORDER_STATUSES, SALES_CHANNELS } from './enums.js';
import { defineEntity } from './types.js';

export const orders = defineEntity({
  name: 'orders',
  description: 'One row per order; money in the order currency.',
  key: ['order_id'],
  versionColumn: 'updated_at',
  columns: {
    order_id: { type: 'string', required: true },
    customer_id: { type: 'string', required: true },
    order_ts: { type: 'timestamp', required: true },
    channel: { type: 'string', required: true, enum: SALES_CHANNELS },
    country: { type: 'string', required: true, format: 'country' },
    currency: { type: 'string', required: true, format: 'currency', description: 'ISO 4217' },
    status: { type: 'string', required: true, enum: ORDER_STATUSES },
    discount_code: { type: 'string' },
    shipping_amount: { type: 'money', min: 0 },
    tax_amount: { type: 'money', min: 0 },
    promised_delivery_ts: { type: 'timestamp' },
    updated_at: { type: 'timestamp' },
  },
  dependsOn: [
    {
      reason: 'awaiting_fx_rate',
      description: 'no exchange rate for the order currency on or before the order date yet',
      // A rate on or before the day exists when the currency's first rate is: a join on the currency alone, where
      // EXISTS with the date's inequality made DuckDB join every order with every rate (0.8 s → 45 ms at 400k).
      sql: `(r.currency = {{base}} OR COALESCE(CAST(r.order_ts AS DATE) >= (SELECT MIN(f.rate_date) FROM silver.fx_rates f WHERE f.currency = r.currency), FALSE))`,
    },
  ],
});
