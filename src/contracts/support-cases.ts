import { SUPPORT_CHANNELS } from './enums.js';
import { defineEntity } from './types.js';

export const supportCases = defineEntity({
  name: 'support_cases',
  description: 'Customer support cases with their satisfaction score.',
  key: ['case_id'],
  versionColumn: 'updated_at',
  columns: {
    case_id: { type: 'string', required: true },
    customer_id: { type: 'string' },
    order_id: { type: 'string' },
    channel: { type: 'string', required: true, enum: SUPPORT_CHANNELS },
    opened_ts: { type: 'timestamp', required: true },
    resolved_ts: { type: 'timestamp' },
    csat_score: { type: 'integer', min: 1, max: 5 },
    updated_at: { type: 'timestamp' },
  },
});
