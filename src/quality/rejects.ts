// Reads the rejects table: every record that broke its contract, with the raw record as it arrived.
import type { Warehouse } from '../warehouse/engine.js';

export interface Reject {
  entity: string;
  key: string | null;
  rule: string;
  reason: string;
  source: string;
  line: number;
  batch_id: number;
  raw: Record<string, unknown>;
  run_id: number;
  rejected_at: string;
}

export async function listRejects(wh: Warehouse, filter: { entity?: string; rule?: string; limit?: number } = {}): Promise<Reject[]> {
  const rows = await wh.all<Omit<Reject, 'raw' | 'key'> & { record_key: string | null; raw: string }>(
    `SELECT entity, record_key, rule, reason, source, line, batch_id, raw, run_id, rejected_at FROM silver.rejects
     WHERE (CAST($1 AS VARCHAR) IS NULL OR entity = $1) AND (CAST($2 AS VARCHAR) IS NULL OR rule = $2)
     ORDER BY batch_id, line${filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : ''}`,
    [filter.entity ?? null, filter.rule ?? null]);
  return rows.map(({ record_key, raw, ...r }) => ({
    entity: r.entity, key: record_key, rule: r.rule, reason: r.reason, source: r.source, line: Number(r.line),
    batch_id: Number(r.batch_id), raw: JSON.parse(raw) as Record<string, unknown>, run_id: Number(r.run_id), rejected_at: r.rejected_at,
  }));
}
