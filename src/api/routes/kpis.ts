import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../../auth/route-access.js';
import { BREAKDOWNS, type Breakdown, type KpiRequest } from '../../kpi/kpi-keys.js';
import { queryKpis } from '../../kpi/kpi-service.js';
import { FILTER_QUERY, type ApiContext } from '../context.js';

export function kpiRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: KpiRequest }>('/api/kpis', {
    config: { access: PUBLIC },
    schema: {
      summary: 'Every KPI over [from, to), optionally filtered; the same JSON as `storepulse kpis --json`',
      querystring: { type: 'object', additionalProperties: false, properties: FILTER_QUERY },
    },
  }, async (request) => ctx.answers.get(request.url, () => queryKpis(ctx.wh, request.query)));

  app.get<{ Querystring: KpiRequest & { by: Breakdown } }>('/api/kpis/breakdown', {
    config: { access: PUBLIC },
    schema: {
      summary: 'Every KPI per date, channel, country or category; the same JSON as `storepulse kpis --by … --json`',
      querystring: {
        type: 'object', additionalProperties: false, required: ['by'],
        properties: { ...FILTER_QUERY, by: { type: 'string', enum: [...BREAKDOWNS] } },
      },
    },
  }, async (request) => ctx.answers.get(request.url, () => queryKpis(ctx.wh, request.query)));
}
