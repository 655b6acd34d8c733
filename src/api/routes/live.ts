import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../../auth/route-access.js';
import type { ApiContext } from '../context.js';
import { listRuns } from '../../pipeline/run-history.js';
import { readHealth } from '../health.js';

export function liveRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/health', { config: { access: PUBLIC }, schema: { summary: 'Freshness (p50/p95 ingestion-to-snapshot), last run, rejects, pending' } },
    async () => readHealth(ctx.wh, ctx.freshness));

  app.get<{ Querystring: { limit?: number; status?: 'succeeded' | 'failed' | 'running' } }>('/api/runs', {
    config: { access: PUBLIC },
    schema: {
      summary: 'Run history, newest first: start, end, status, duration, rows per entity and model, error',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 20 }, status: { type: 'string', enum: ['succeeded', 'failed', 'running'] } },
      },
    },
  }, async (request) => ({ runs: await listRuns(ctx.wh, request.query) }));

  // Server-Sent Events: the current snapshot at once, then one after every micro-batch.
  app.get('/api/stream', { config: { access: PUBLIC }, schema: { summary: 'Server-Sent Events: a `snapshot` event after each micro-batch' } }, (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (s: unknown) => res.write(`event: snapshot\ndata: ${JSON.stringify(s)}\n\n`);
    const current = ctx.snapshots.current();
    if (current) send(current);
    else res.write(': waiting for the first snapshot\n\n');
    const unsubscribe = ctx.snapshots.subscribe(send);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => { clearInterval(keepAlive); unsubscribe(); });
  });
}
