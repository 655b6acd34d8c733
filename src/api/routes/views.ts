import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../../auth/route-access.js';
import { categories, customerSegments, fulfilment, funnel, topProducts } from '../../kpi/dashboard-queries.js';
import { WINDOW_QUERY, type ApiContext } from '../context.js';

interface WindowQuery { from?: string; to?: string }

export function viewRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const windowOnly = { type: 'object', additionalProperties: false, properties: WINDOW_QUERY } as const;
  app.get<{ Querystring: WindowQuery & { limit?: number } }>('/api/products/top', {
    config: { access: PUBLIC },
    schema: {
      summary: 'Best-selling products by net revenue',
      querystring: { type: 'object', additionalProperties: false, properties: { ...WINDOW_QUERY, limit: { type: 'integer', minimum: 1, maximum: 100 } } },
    },
  }, async (r) => ctx.answers.get(r.url, () => topProducts(ctx.wh, r.query)));
  app.get<{ Querystring: WindowQuery }>('/api/categories', { config: { access: PUBLIC }, schema: { summary: 'Category performance', querystring: windowOnly } },
    async (r) => ctx.answers.get(r.url, () => categories(ctx.wh, r.query)));
  app.get('/api/customers/segments', { config: { access: PUBLIC }, schema: { summary: 'Customer segments by lifetime value' } },
    async (r) => ctx.answers.get(r.url, () => customerSegments(ctx.wh)));
  app.get<{ Querystring: WindowQuery & { channel?: string } }>('/api/funnel', {
    config: { access: PUBLIC },
    schema: {
      summary: 'Sessions reaching each step: product view, cart, checkout, purchase',
      querystring: { type: 'object', additionalProperties: false, properties: { ...WINDOW_QUERY, channel: { type: 'string', minLength: 1 } } },
    },
  }, async (r) => ctx.answers.get(r.url, () => funnel(ctx.wh, r.query)));
  app.get<{ Querystring: WindowQuery }>('/api/fulfilment', { config: { access: PUBLIC }, schema: { summary: 'Shipments per carrier: on time, late, lost, transit time', querystring: windowOnly } },
    async (r) => ctx.answers.get(r.url, () => fulfilment(ctx.wh, r.query)));
}
