import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../../auth/route-access.js';
import { ENTITY_NAMES, getEntity } from '../../contracts/index.js';
import { contractJsonSchema } from '../../contracts/json-schema.js';
import { StorePulseError } from '../../errors/catalogue.js';
import { ingestRecords } from '../../ingest/record-ingest.js';
import type { ApiContext } from '../context.js';

const badRequest = (message: string) => new StorePulseError('SP_ERR_BAD_REQUEST', message, 400);

/** The body as records: a JSON array of flat objects (or NDJSON, one object a line). */
function toRecords(body: unknown): Record<string, unknown>[] {
  if (!Array.isArray(body)) throw badRequest('The body must be a JSON array of records (or NDJSON, one record a line).');
  if (body.length === 0) throw badRequest('The body holds no records.');
  body.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw badRequest(`Record ${i + 1} is not an object.`);
    for (const [k, v] of Object.entries(r)) {
      if (v !== null && typeof v === 'object') throw badRequest(`Record ${i + 1}: field "${k}" must be a string, number, boolean or null, not ${Array.isArray(v) ? 'an array' : 'an object'}.`);
    }
  });
  return body as Record<string, unknown>[];
}

function parseNdjson(text: string): unknown[] {
  return text.split('\n').map((l, i) => ({ l: l.trim(), i })).filter(({ l }) => l !== '').map(({ l, i }) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      throw badRequest(`Line ${i + 1} of the NDJSON body is not valid JSON: ${(e as Error).message}`);
    }
  });
}

function unknownEntity(name: string, path: string): StorePulseError {
  return new StorePulseError('SP_ERR_UNKNOWN_ENTITY', `Unknown entity "${name}". Use one of: ${ENTITY_NAMES.map((e) => path + e).join(', ')}.`, 404);
}

export function ingestRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/contracts', { config: { access: PUBLIC }, schema: { summary: 'The ten entities and where their JSON Schemas are' } }, async () => ({
    entities: ENTITY_NAMES.map((name) => ({ name, schema: `/api/contracts/${name}`, ingest: `/api/ingest/${name}` })),
  }));
  app.get<{ Params: { entity: string } }>('/api/contracts/:entity', {
    config: { access: PUBLIC },
    schema: { summary: 'The JSON Schema (2020-12) of one entity\'s records, derived from its contract', params: { type: 'object', properties: { entity: { type: 'string' } } } },
  }, async (request) => {
    const entity = getEntity(request.params.entity);
    if (!entity) throw unknownEntity(request.params.entity, '/api/contracts/');
    return contractJsonSchema(entity);
  });

  // Records are JSON or NDJSON; plain text is answered with 415 rather than guessed at.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(['application/x-ndjson', 'application/ndjson'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseNdjson(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  app.post<{ Params: { entity: string } }>('/api/ingest/:entity', {
    config: { access: ctx.ingestAccess ?? PUBLIC },
    schema: {
      summary: 'Land records of one entity in bronze; answers how many pass their contract, with the first rejects',
      params: { type: 'object', properties: { entity: { type: 'string' } } },
    },
  }, async (request, reply) => {
    const entity = getEntity(request.params.entity);
    if (!entity) throw unknownEntity(request.params.entity, '/api/ingest/');
    const records = toRecords(request.body);
    const result = await ingestRecords(ctx.wh, entity, records, {
      source: `http:POST /api/ingest/${entity.name}#${request.id}`, baseCurrency: ctx.baseCurrency, lockWaitMs: 30_000,
    });
    // A body identical to one already landed is not landed again: nothing new to count.
    if (!result.duplicate) ctx.metrics.recordIngested(entity.name, 'http', records.length);
    ctx.dataArrived();
    return reply.status(202).send({ entity: entity.name, ...result });
  });
}
