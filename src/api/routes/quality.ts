import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../../auth/route-access.js';
import { ENTITY_NAMES } from '../../contracts/index.js';
import { qualityScorecard, type ScorecardRequest } from '../../quality/scorecard.js';
import { DATE, type ApiContext } from '../context.js';

export function qualityRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: ScorecardRequest }>('/api/quality', {
    config: { access: PUBLIC },
    schema: {
      summary: 'Data-quality scorecard: pass rates (passed ÷ checked records) per entity, dimension (completeness, validity, '
        + 'uniqueness, referential integrity) and ingestion day; the same JSON as `storepulse quality --json`',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          from: { ...DATE, description: 'first ingestion day (inclusive); default: the first day a processed batch was ingested' },
          to: { ...DATE, description: 'last ingestion day (exclusive); default: the day after the last' },
          entity: { type: 'string', enum: [...ENTITY_NAMES], description: 'only this entity' },
        },
      },
    },
  }, async (request) => ctx.answers.get(request.url, () => qualityScorecard(ctx.wh, request.query)));
}
