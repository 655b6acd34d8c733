// An edit in the admin console is a new version of the record, landed through the same ingestion path as any
// shop's feed: the current record from silver, the changed fields on top, a later updated_at, one NDJSON batch in
// bronze. The next micro-batch validates it against the contract and promotes it, so rejects, lineage (the batch's
// source names the editor) and SCD history stay true, and the KPIs follow.
import type { Principal } from '../auth/tokens.js';
import { Errors } from '../errors/catalogue.js';
import { ingestRecords, type RecordIngestResult } from '../ingest/record-ingest.js';
import type { Warehouse } from '../warehouse/engine.js';
import type { GridDef } from './grids.js';

export type Patch = Record<string, string | number | boolean | null>;

export interface EditContext {
  wh: Warehouse;
  baseCurrency: string;
  principal: Principal;
  /** Names the request in the batch's source (lineage). */
  requestId: string;
}

export interface EditResult {
  grid: string;
  id: string;
  batch_id: number;
  record: Record<string, unknown>;
  status: 'accepted';
  note: string;
}

/** Silver's values as the text a feed would send (the contract re-types them). */
function asFeedValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

export async function editRecord(ctx: EditContext, grid: GridDef, id: string, patch: Patch): Promise<EditResult> {
  const edit = grid.edit;
  if (!edit) throw Errors.badRequest(`The ${grid.name} grid is not edited field by field; ${grid.name === 'rejects' ? 'correct a reject with POST /api/admin/rejects/:batch/:line/resubmit' : 'it is read-only'}.`);
  if (!edit.roles.includes(ctx.principal.role)) {
    throw Errors.forbidden(`Editing ${grid.name} is for roles ${edit.roles.join(', ')}; the token's role is ${ctx.principal.role}`);
  }
  const fields = Object.keys(patch);
  if (fields.length === 0) throw Errors.badRequest(`Send the fields to change, e.g. {"${edit.fields[0]}": …}. Editable: ${edit.fields.join(', ')}.`);
  const unknown = fields.filter((f) => !edit.fields.includes(f));
  if (unknown.length) throw Errors.badRequest(`${unknown.join(', ')} cannot be edited in ${grid.name}. Editable: ${edit.fields.join(', ')}.`);
  for (const [f, v] of Object.entries(patch)) {
    if (v !== null && typeof v === 'object') throw Errors.badRequest(`Field "${f}" must be a string, number, boolean or null.`);
  }

  const entity = edit.entity;
  const [key] = entity.key;
  const names = Object.keys(entity.columns);
  const [current] = await ctx.wh.read<Record<string, unknown> & { _version_ts: string }>(
    `SELECT ${names.join(', ')}, _version_ts FROM silver.${entity.name} WHERE ${key} = $1`, [id]);
  const base: Record<string, unknown> = { [key]: id };
  if (current) for (const n of names) base[n] = asFeedValue(current[n]);
  // The new version must sort after the current one, even when a feed stamped that one in the future.
  const now = Date.now();
  const after = current ? Date.parse(current._version_ts) + 1 : now;
  const record = { ...base, ...patch, [key]: id, updated_at: new Date(Math.max(now, after)).toISOString() };

  const who = `${ctx.principal.role}:${ctx.principal.sub}`;
  const result: RecordIngestResult = await ingestRecords(ctx.wh, entity, [record], {
    source: `admin:PATCH /api/admin/${grid.name}/${id} by ${who} #${ctx.requestId}`, baseCurrency: ctx.baseCurrency, lockWaitMs: 30_000,
  });
  if (result.rejected > 0) throw Errors.editRejected(`The edit of ${grid.name} ${id}`, result.rejects.map((r) => r.reason));
  return {
    grid: grid.name, id, batch_id: result.batch_id, record, status: 'accepted',
    note: 'Landed as a new version; it shows in gold and the KPIs after the next pipeline run (in `serve`, within a second).',
  };
}
