// The public transparency API: trust scores per product and logistics service level per carrier, as JSON or CSV.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PUBLIC } from '../../auth/route-access.js';
import { toCsv } from '../../exports/csv.js';
import { logisticsSla, LOGISTICS_COLUMNS } from '../../transparency/logistics-sla.js';
import { TRUST_COLUMNS, trustScores } from '../../transparency/trust-scores.js';
import type { ApiContext } from '../context.js';

const FORMAT = { type: 'string', enum: ['json', 'csv'], default: 'json' } as const;

function sendCsv(reply: FastifyReply, name: string, columns: readonly string[], rows: Record<string, unknown>[]) {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(columns, rows));
}

export function transparencyRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: { format: 'json' | 'csv'; category?: string; limit: number } }>('/api/transparency/trust-scores', {
    config: { access: PUBLIC },
    schema: {
      summary: 'Trust score per product (0-100) from delivery punctuality, return rate, support responsiveness, CSAT and sustainability; the formula is in the answer',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { format: FORMAT, category: { type: 'string', minLength: 1, maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 1000 } },
      },
    },
  }, async (r, reply) => {
    const answer = await ctx.answers.get(`trust:${r.query.category ?? ''}:${r.query.limit}`, () => trustScores(ctx.wh, r.query));
    return r.query.format === 'csv' ? sendCsv(reply, 'trust-scores', TRUST_COLUMNS, answer.rows) : answer;
  });

  app.get<{ Querystring: { format: 'json' | 'csv' } }>('/api/transparency/logistics', {
    config: { access: PUBLIC },
    schema: {
      summary: 'Logistics service level per carrier: on-time share, average transit time, lost parcels',
      querystring: { type: 'object', additionalProperties: false, properties: { format: FORMAT } },
    },
  }, async (r, reply) => {
    const answer = await ctx.answers.get('logistics', () => logisticsSla(ctx.wh));
    return r.query.format === 'csv' ? sendCsv(reply, 'logistics-sla', LOGISTICS_COLUMNS, answer.rows) : answer;
  });
}
