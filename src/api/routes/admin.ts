// The admin console's API: searchable, sortable, paginated grids of products, customers, orders and rejects;
// inline edits that land as new record versions; re-submission of corrected rejects; streamed CSV and XLSX
// exports of any grid; and erasure requests.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow, principalOf } from '../../auth/route-access.js';
import { seesPersonalData } from '../../auth/roles.js';
import { editRecord, type Patch } from '../../admin/record-edit.js';
import { gridDef, gridPage, gridRows, MAX_PAGE_SIZE, type GridRequest } from '../../admin/grid-query.js';
import { GRID_NAMES, GRID_READERS, type GridView } from '../../admin/grids.js';
import { resubmitReject } from '../../admin/reject-resubmit.js';
import { Errors } from '../../errors/catalogue.js';
import { csvStream } from '../../exports/csv-stream.js';
import { xlsxStream } from '../../exports/xlsx-stream.js';
import { eraseCustomer, listErasures } from '../../privacy/erase-customer.js';
import type { ApiContext } from '../context.js';

const READ = allow(...GRID_READERS);
const ENTITY = { type: 'object', required: ['entity'], properties: { entity: { type: 'string', enum: GRID_NAMES } } } as const;
const GRID_QUERY = {
  q: { type: 'string', maxLength: 200, description: 'text to look for (case-insensitive) in the grid\'s text columns' },
  sort: { type: 'string', maxLength: 64, pattern: '^-?[a-z_]+$', description: 'a column; -column for descending' },
} as const;
const FORMAT = { type: 'string', enum: ['csv', 'xlsx'], default: 'csv' } as const;
const FIELD_VALUE = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }] } as const;
const TICKET_SECONDS = 60;

const viewOf = (ctx: ApiContext, request: FastifyRequest): GridView =>
  ({ dialect: ctx.wh.dialect, personal: seesPersonalData(principalOf(request).role) });

export function adminRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { entity: string }; Querystring: GridRequest }>('/api/admin/:entity', {
    config: { access: READ },
    schema: {
      summary: 'One page of an admin grid (products, customers, orders, rejects): search, sort, page',
      params: ENTITY,
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { ...GRID_QUERY, page: { type: 'integer', minimum: 1, default: 1 }, pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 } },
      },
    },
  }, async (r) => {
    const view = viewOf(ctx, r);
    // Clear and tokenised answers are different answers.
    return ctx.answers.get(`${r.url}|${view.personal}`, () => gridPage(ctx.wh, gridDef(r.params.entity), view, r.query));
  });

  app.get<{ Params: { entity: string }; Querystring: GridRequest & { format: 'csv' | 'xlsx'; ticket?: string } }>('/api/admin/:entity/export', {
    config: { access: { ...READ, tickets: true } },
    schema: {
      summary: 'Every row of a grid (with its search and sort) as CSV or XLSX, streamed; a browser link passes a ticket from export-ticket instead of the header',
      params: ENTITY,
      querystring: { type: 'object', additionalProperties: false, properties: { ...GRID_QUERY, format: FORMAT, ticket: { type: 'string' } } },
    },
  }, async (r, reply) => {
    const grid = gridDef(r.params.entity);
    const { columns, batches } = gridRows(ctx.wh, grid, viewOf(ctx, r), r.query);
    const day = new Date().toISOString().slice(0, 10);
    if (r.query.format === 'xlsx') {
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${grid.name}-${day}.xlsx"`).send(xlsxStream(columns, batches, grid.title));
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${grid.name}-${day}.csv"`)
      .send(csvStream(columns, batches));
  });

  app.post<{ Params: { entity: string }; Body: GridRequest & { format?: 'csv' | 'xlsx' } }>('/api/admin/:entity/export-ticket', {
    config: { access: READ },
    schema: {
      summary: `A download link for an export, valid for ${TICKET_SECONDS} s (a browser link cannot send the Authorization header)`,
      params: ENTITY,
      body: { type: 'object', additionalProperties: false, properties: { ...GRID_QUERY, format: FORMAT } },
    },
  }, async (r) => {
    if (!ctx.tokens) throw Errors.unauthenticated('This server has no token signing key');
    const who = principalOf(r);
    const path = `/api/admin/${r.params.entity}/export`;
    const ticket = await ctx.tokens.issue({ role: who.role, subject: who.sub, expiresIn: `${TICKET_SECONDS}s`, purpose: 'export', path });
    const query = new URLSearchParams({ format: r.body?.format ?? 'csv', ticket: ticket.token });
    if (r.body?.q) query.set('q', r.body.q);
    if (r.body?.sort) query.set('sort', r.body.sort);
    return { url: `${path}?${query}`, expires_at: ticket.expires_at };
  });

  app.patch<{ Params: { entity: string; id: string }; Body: Patch }>('/api/admin/:entity/:id', {
    config: { access: allow('admin', 'editor', 'support') },
    schema: {
      summary: 'Edit a record: the changed fields become a new version landed through ingestion (products: admin, editor; orders: admin, editor, support; customers: admin, support)',
      params: { type: 'object', required: ['entity', 'id'], properties: { entity: { type: 'string', enum: GRID_NAMES }, id: { type: 'string', minLength: 1, maxLength: 200 } } },
      body: { type: 'object', minProperties: 1, additionalProperties: FIELD_VALUE },
    },
  }, async (r, reply) => {
    const result = await editRecord({ wh: ctx.wh, baseCurrency: ctx.baseCurrency, principal: principalOf(r), requestId: r.id },
      gridDef(r.params.entity), r.params.id, r.body);
    ctx.metrics.recordIngested(r.params.entity, 'http', 1);
    ctx.dataArrived();
    return reply.status(202).send(result);
  });

  app.post<{ Params: { batch: number; line: number }; Body: { record: Record<string, string | number | boolean | null> } }>('/api/admin/rejects/:batch/:line/resubmit', {
    config: { access: allow('admin', 'editor', 'support') },
    schema: {
      summary: 'Re-submit a rejected record after correction: it lands as a new batch and is checked against its contract again',
      params: { type: 'object', required: ['batch', 'line'], properties: { batch: { type: 'integer', minimum: 1 }, line: { type: 'integer', minimum: 1 } } },
      body: { type: 'object', required: ['record'], additionalProperties: false, properties: { record: { type: 'object', minProperties: 1, additionalProperties: FIELD_VALUE } } },
    },
  }, async (r, reply) => {
    const result = await resubmitReject(ctx.wh, r.params, r.body.record, { baseCurrency: ctx.baseCurrency, principal: principalOf(r), requestId: r.id })
      // Even a refused correction is recorded in the rejects grid: its cached pages are out of date either way.
      .finally(() => ctx.answers.clear());
    ctx.dataArrived();
    return reply.status(202).send(result);
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>('/api/admin/customers/:id/erase', {
    config: { access: allow('admin') },
    schema: {
      summary: 'Right to be forgotten: clear the customer\'s personal data in bronze, silver and gold (orders and KPIs stay), with an audit record',
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } },
      body: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500 } } },
    },
  }, async (r) => {
    const who = principalOf(r);
    const erasure = await eraseCustomer(ctx.wh, r.params.id, { requestedBy: `${who.role}:${who.sub}`, reason: r.body?.reason });
    ctx.answers.clear();
    return erasure;
  });

  app.get('/api/admin/erasures', {
    config: { access: allow('admin') },
    schema: { summary: 'The audit of erasure requests carried out, newest first' },
  }, async () => ({ erasures: await listErasures(ctx.wh) }));
}
