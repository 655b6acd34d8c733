// Pipeline health: freshness, the last run, rejects and pending records.
import type { FreshnessWindow } from '../ops/freshness.js';
import type { Warehouse } from '../warehouse/engine.js';
import type { Health } from './snapshots.js';

export async function readHealth(wh: Warehouse, freshness: FreshnessWindow): Promise<Health> {
  const [counts] = await wh.read<{ as_of: string | null; rejects: number; pending: number }>(`SELECT
    (SELECT MAX(ingested_at) FROM meta.batches WHERE processed_run_id IS NOT NULL) AS as_of,
    (SELECT COUNT(*) FROM silver.rejects) AS rejects,
    (SELECT COUNT(*) FROM silver.pending) AS pending`);
  const [run] = await wh.read<{ run_id: number; status: string; finished_at: string | null; ms: number | null; error: string | null }>(
    `SELECT run_id, status, finished_at, error,
       CAST(1000 * (${wh.dialect.epochSeconds('finished_at')} - ${wh.dialect.epochSeconds('started_at')}) AS BIGINT) AS ms
     FROM meta.runs ORDER BY run_id DESC LIMIT 1`);
  return {
    status: run && run.status === 'failed' ? 'degraded' : 'ok',
    warehouse: wh.kind,
    as_of: counts.as_of,
    last_run: run ? { run_id: Number(run.run_id), status: run.status, finished_at: run.finished_at, ms: run.ms === null ? null : Number(run.ms), error: run.error } : null,
    freshness: freshness.summary(),
    rejects: Number(counts.rejects),
    pending: Number(counts.pending),
  };
}
