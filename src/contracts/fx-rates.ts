import { defineEntity } from './types.js';

export const fxRates = defineEntity({
  name: 'fx_rates',
  description: 'Exchange rates: amount_in_base = amount × rate_to_base, valid from rate_date.',
  key: ['currency', 'rate_date'],
  columns: {
    currency: { type: 'string', required: true, format: 'currency' },
    rate_date: { type: 'date', required: true },
    rate_to_base: { type: 'rate', required: true, greaterThan: 0 },
  },
  rules: [
    {
      name: 'base_rate_is_one',
      description: "the base currency's own rate is 1",
      sql: 'currency <> {{base}} OR rate_to_base = 1',
    },
  ],
});
