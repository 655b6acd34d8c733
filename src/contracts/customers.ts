import { defineEntity } from './types.js';

export const customers = defineEntity({
  name: 'customers',
  description: 'People who buy; SCD type 2 history is kept in silver.',
  key: ['customer_id'],
  history: true,
  versionColumn: 'updated_at',
  columns: {
    customer_id: { type: 'string', required: true },
    email: { type: 'string', format: 'email', personal: 'identifier' },
    first_name: { type: 'string', personal: 'identifier' },
    last_name: { type: 'string', personal: 'identifier' },
    country: { type: 'string', required: true, format: 'country', description: 'ISO 3166-1 alpha-2' },
    region: { type: 'string', personal: 'location' },
    city: { type: 'string', personal: 'location' },
    signup_at: { type: 'timestamp', required: true },
    marketing_consent: { type: 'boolean' },
    updated_at: { type: 'timestamp' },
  },
});
