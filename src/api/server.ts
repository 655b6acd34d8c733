// The HTTP API and the dashboard in one Fastify app.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installAccessControl, PUBLIC } from '../auth/route-access.js';
import type { ApiContext } from './context.js';
import { installErrorHandler } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { alertRoutes } from './routes/alerts.js';
import { customerRoutes } from './routes/customers.js';
import { ingestRoutes } from './routes/ingest.js';
import { kpiRoutes } from './routes/kpis.js';
import { liveRoutes } from './routes/live.js';
import { qualityRoutes } from './routes/quality.js';
import { transparencyRoutes } from './routes/transparency.js';
import { viewRoutes } from './routes/views.js';

export const WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export async function buildServer(ctx: ApiContext, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.bodyLimit,
    // Unknown query parameters are errors, not silently dropped: a typo must not widen a KPI window.
    ajv: { customOptions: { removeAdditional: false } },
  });
  installErrorHandler(app, ctx.bodyLimit);
  installAccessControl(app, ctx.tokens);
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.recordRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'StorePulse API', version: '0.1.0', description: 'KPIs fresh within a second; ingestion over HTTP.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  kpiRoutes(app, ctx);
  viewRoutes(app, ctx);
  ingestRoutes(app, ctx);
  liveRoutes(app, ctx);
  alertRoutes(app, ctx);
  qualityRoutes(app, ctx);
  customerRoutes(app, ctx);
  transparencyRoutes(app, ctx);
  adminRoutes(app, ctx);
  app.get('/metrics', { config: { access: PUBLIC }, schema: { summary: 'Prometheus metrics (text format)' } }, async (_req, reply) =>
    reply.type(ctx.metrics.contentType).send(await ctx.metrics.text()));
  app.get('/api/docs', { config: { access: PUBLIC }, schema: { hide: true } }, async () => app.swagger());
  app.setNotFoundHandler((request, reply) => reply.status(404).send({
    error: { code: 'SP_ERR_NOT_FOUND', message: `No route ${request.method} ${request.url}. The API is described at /api/docs.` },
  }));
  if (existsSync(`${WEB_DIR}index.html`)) {
    await app.register(fastifyStatic, { root: WEB_DIR, prefix: '/', wildcard: false });
    // The admin console is a page of the same app; its data calls carry the operator's token.
    app.get('/admin', (_req, reply) => reply.sendFile('admin.html'));
  } else {
    app.get('/', async (_req, reply) => reply.type('text/html').send(
      '<!doctype html><title>StorePulse</title><p>The dashboard is not built yet: run <code>npm run build</code>. The API is at <a href="/api/docs">/api/docs</a>.</p>'));
  }
  return app;
}
