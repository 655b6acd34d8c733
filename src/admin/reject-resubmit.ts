// Re-submitting a reject after correction: the corrected record lands through the ingestion path as a new
// batch (the original reject stays, as every reject does), and the rejects grid remembers which batch carried
// the correction and whether it passed its contract.
import { getEntity } from '../contracts/index.js';
import type { Principal } from '../auth/tokens.js';
import { Errors } from '../errors/catalogue.js';
import { ingestRecords } from '../ingest/record-ingest.js';
import type { Warehouse } from '../warehouse/engine.js';

export const RESUBMISSIONS_DDL = `CREATE TABLE IF NOT EXISTS app.reject_resubmissions (
  batch_id BIGINT NOT NULL,
  line BIGINT NOT NULL,
  resubmitted_batch_id BIGINT NOT NULL,
  accepted BOOLEAN NOT NULL,
  resubmitted_by VARCHAR NOT NULL,
  resubmitted_at TIMESTAMPTZ NOT NULL
)`;

export async function resubmitReject(
  wh: Warehouse, at: { batch: number; line: number }, record: Record<string, unknown>,
  ctx: { baseCurrency: string; principal: Principal; requestId: string },
) {
  const [reject] = await wh.read<{ entity: string; record_key: string | null }>(
    'SELECT entity, record_key FROM silver.rejects WHERE batch_id = $1 AND line = $2', [at.batch, at.line]);
  if (!reject) throw Errors.notFound(`Reject at batch ${at.batch} line ${at.line}`, 'GET /api/admin/rejects lists the rejects with their batch and line.');
  const entity = getEntity(reject.entity)!;
  for (const [f, v] of Object.entries(record)) {
    if (v !== null && typeof v === 'object') throw Errors.badRequest(`Field "${f}" must be a string, number, boolean or null.`);
  }
  const who = `${ctx.principal.role}:${ctx.principal.sub}`;
  const result = await ingestRecords(wh, entity, [record], {
    source: `admin:resubmit of batch ${at.batch} line ${at.line} by ${who} #${ctx.requestId}`, baseCurrency: ctx.baseCurrency, lockWaitMs: 30_000,
  });
  const accepted = result.rejected === 0;
  await wh.landing('reject resubmission', 30_000, (w) => w.transaction(async () => {
    await w.run('DELETE FROM app.reject_resubmissions WHERE batch_id = $1 AND line = $2', [at.batch, at.line]);
    await w.run(`INSERT INTO app.reject_resubmissions (batch_id, line, resubmitted_batch_id, accepted, resubmitted_by, resubmitted_at)
      VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMPTZ))`, [at.batch, at.line, result.batch_id, accepted, who, new Date().toISOString()]);
  }));
  if (!accepted) throw Errors.editRejected(`The corrected ${entity.name} record`, result.rejects.map((r) => r.reason));
  return { entity: entity.name, batch_id: at.batch, line: at.line, resubmitted_batch_id: result.batch_id, status: 'accepted' as const,
    note: 'Landed as a new batch; it is promoted by the next pipeline run.' };
}
