// Accounts for every record that landed: accepted + rejected + pending + not yet processed = records in bronze.
import { ENTITIES } from '../contracts/index.js';
import type { Warehouse } from '../warehouse/engine.js';

export interface EntityAccount {
  entity: string;
  /** Records landed in bronze. */
  records: number;
  /** Valid records promoted to silver in some run (latest versions and superseded ones alike). */
  accepted: number;
  rejected: number;
  pending: number;
  pendingReasons: Record<string, number>;
  /** Records of batches no run has processed yet. */
  unprocessed: number;
  /** Current rows in silver (one per key). */
  current: number;
}

export interface Accounting {
  warehouse: string;
  lastRun: { run_id: number; status: string; finished_at: string | null } | null;
  entities: EntityAccount[];
}

export async function accountFor(wh: Warehouse): Promise<Accounting> {
  const entities: EntityAccount[] = [];
  for (const e of ENTITIES) {
    const [row] = await wh.read<Record<string, number>>(`SELECT
      (SELECT COUNT(*) FROM bronze.${e.name}) AS records,
      (SELECT COALESCE(SUM(accepted), 0) FROM meta.entity_stats WHERE entity = '${e.name}') AS accepted,
      (SELECT COUNT(*) FROM silver.rejects WHERE entity = '${e.name}') AS rejected,
      (SELECT COALESCE(SUM(records), 0) FROM meta.batches WHERE entity = '${e.name}' AND processed_run_id IS NULL) AS unprocessed,
      (SELECT COUNT(*) FROM silver.${e.name}) AS current`);
    const reasons = await wh.read<{ reason: string; n: number }>(
      `SELECT reason, COUNT(*) AS n FROM silver.pending WHERE entity = '${e.name}' GROUP BY reason ORDER BY reason`);
    const pendingReasons = Object.fromEntries(reasons.map((r) => [r.reason, Number(r.n)]));
    entities.push({
      entity: e.name,
      records: Number(row.records), accepted: Number(row.accepted), rejected: Number(row.rejected),
      pending: reasons.reduce((n, r) => n + Number(r.n), 0), pendingReasons,
      unprocessed: Number(row.unprocessed), current: Number(row.current),
    });
  }
  const runs = await wh.read<{ run_id: number; status: string; finished_at: string | null }>(
    'SELECT run_id, status, finished_at FROM meta.runs ORDER BY run_id DESC LIMIT 1');
  return { warehouse: wh.target, lastRun: runs[0] ?? null, entities };
}
