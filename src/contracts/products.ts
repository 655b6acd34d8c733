import { defineEntity } from './types.js';

export const products = defineEntity({
  name: 'products',
  description: 'The catalogue; SCD type 2 history is kept in silver.',
  key: ['product_id'],
  history: true,
  versionColumn: 'updated_at',
  columns: {
    product_id: { type: 'string', required: true },
    name: { type: 'string', required: true },
    category: { type: 'string', required: true },
    subcategory: { type: 'string' },
    brand: { type: 'string' },
    unit_price: { type: 'money', required: true, min: 0 },
    unit_cost: { type: 'money' },
    currency: { type: 'string', required: true, format: 'currency' },
    supplier: { type: 'string' },
    sustainability_score: { type: 'number', min: 0, max: 100 },
    is_active: { type: 'boolean', default: true },
    updated_at: { type: 'timestamp' },
  },
});
