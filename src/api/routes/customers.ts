// The customer API: a customer's own orders with tracking, recommendations, loyalty and reminder preferences.
// Role customer reaches only its own id; support and admin reach any customer.
import type { FastifyInstance } from 'fastify';
import { CUSTOMER_OR_STAFF, principalOf } from '../../auth/route-access.js';
import { assertKnownCustomer, customerOrders } from '../../customers/customer-orders.js';
import { loyalty } from '../../customers/loyalty.js';
import { recommendations } from '../../customers/recommendations.js';
import { readReminders, REMINDERS_BODY, writeReminders, type ReminderPreferences } from '../../customers/reminder-preferences.js';
import type { ApiContext } from '../context.js';

const PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } } as const;
const PAGE = {
  page: { type: 'integer', minimum: 1, default: 1 },
  pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
} as const;

interface Id { Params: { id: string } }

export function customerRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<Id & { Querystring: { page: number; pageSize: number } }>('/api/customers/:id/orders', {
    config: { access: CUSTOMER_OR_STAFF },
    schema: {
      summary: 'A customer\'s orders, newest first: status, total paid, delivery status, promised and delivered dates, parcels with tracking',
      params: PARAMS,
      querystring: { type: 'object', additionalProperties: false, properties: PAGE },
    },
  }, async (r) => ctx.answers.get(r.url, () => customerOrders(ctx.wh, r.params.id, r.query)));

  app.get<Id & { Querystring: { limit: number } }>('/api/customers/:id/recommendations', {
    config: { access: CUSTOMER_OR_STAFF },
    schema: {
      summary: 'Products often bought together with what the customer bought, not owned yet, active and in stock',
      params: PARAMS,
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 } } },
    },
  }, async (r) => ctx.answers.get(r.url, () => recommendations(ctx.wh, r.params.id, r.query.limit)));

  app.get<Id>('/api/customers/:id/loyalty', {
    config: { access: CUSTOMER_OR_STAFF },
    schema: { summary: 'Loyalty tier, points and progress to the next tier, from lifetime value', params: PARAMS },
  }, async (r) => ctx.answers.get(r.url, () => loyalty(ctx.wh, r.params.id)));

  app.get<Id>('/api/customers/:id/reminders', {
    config: { access: CUSTOMER_OR_STAFF },
    schema: { summary: 'Reminder preferences: channels, quiet hours, cadence (defaults until the customer chooses)', params: PARAMS },
  }, async (r) => {
    await assertKnownCustomer(ctx.wh, r.params.id);
    return readReminders(ctx.wh, r.params.id);
  });

  app.put<Id & { Body: ReminderPreferences }>('/api/customers/:id/reminders', {
    config: { access: CUSTOMER_OR_STAFF },
    schema: { summary: 'Replace the reminder preferences', params: PARAMS, body: REMINDERS_BODY },
  }, async (r) => {
    await assertKnownCustomer(ctx.wh, r.params.id);
    const who = principalOf(r);
    return writeReminders(ctx.wh, r.params.id, { ...r.body, quiet_hours: r.body.quiet_hours ?? null }, `${who.role}:${who.sub}`);
  });
}
