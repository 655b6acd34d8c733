// Every API error is `{ "error": { "code", "message" } }` with a 4xx for anything the client can fix.
import type { FastifyError, FastifyInstance } from 'fastify';
import { isStorePulseError } from '../errors/catalogue.js';

const FASTIFY_CODES: Record<string, { code: string; status: number; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'SP_ERR_BODY_TOO_LARGE', status: 413 },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'SP_ERR_BAD_REQUEST', status: 415, message: 'Unsupported Content-Type: send application/json (an array of records) or application/x-ndjson.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'SP_ERR_BAD_REQUEST', status: 400, message: 'The body is empty: send a JSON array of records.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'SP_ERR_BAD_REQUEST', status: 400 },
};

export function installErrorHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError & { httpStatus?: number }, request, reply) => {
    if (isStorePulseError(error)) {
      return reply.status(error.httpStatus).send({ error: { code: error.code, message: error.message } });
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) {
      const message = known.code === 'SP_ERR_BODY_TOO_LARGE'
        ? `The body is larger than the ${bodyLimit} byte limit: send the records in smaller requests.`
        : known.message ?? `The body is not valid JSON: ${error.message}`;
      return reply.status(known.status).send({ error: { code: known.code, message } });
    }
    if (error.validation) {
      return reply.status(400).send({ error: { code: 'SP_ERR_BAD_REQUEST', message: `Invalid request: ${error.message}` } });
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ error: { code: 'SP_ERR_BAD_REQUEST', message: error.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: { code: 'SP_ERR_INTERNAL', message: 'The request failed on the server; the log has the details.' } });
  });
}
