import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../../auth/route-access.js';
import type { ApiContext } from '../context.js';

export function alertRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/alerts', {
    config: { access: PUBLIC },
    schema: {
      // Answered once an evaluation in progress is done, so a client that asks on a new snapshot sees its outcome.
      summary: 'Alerts: the firing rules (freshness SLAs, KPI thresholds, pipeline lateness), every rule\'s state at the '
        + 'last evaluation, and the last 50 transitions (firing, resolved), newest first',
    },
  }, async () => (await ctx.alerts?.current()) ?? {
    enabled: false, config: null, notifying: false, evaluated_at: null, evaluate_every_ms: null, active: [], rules: [], history: [], undelivered: 0,
  });
}
