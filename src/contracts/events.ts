import { DEVICES, EVENT_TYPES } from './enums.js';
import { defineEntity } from './types.js';

export const events = defineEntity({
  name: 'events',
  description: 'Clickstream: one row per event of a browsing session.',
  key: ['event_id'],
  columns: {
    event_id: { type: 'string', required: true },
    session_id: { type: 'string', required: true },
    customer_id: { type: 'string' },
    event_type: { type: 'string', required: true, enum: EVENT_TYPES },
    product_id: { type: 'string' },
    order_id: { type: 'string' },
    device: { type: 'string', enum: DEVICES },
    channel: { type: 'string' },
    event_ts: { type: 'timestamp', required: true },
  },
});
