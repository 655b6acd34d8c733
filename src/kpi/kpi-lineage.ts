// What a KPI answer read: the gold tables its query names, and the source batches behind them (per entity
// feeding those tables through the models: how many batches, the newest, and the run that processed it).
import { loadModels } from '../models/model-file.js';
import { quoteLiteral } from '../warehouse/dialect.js';
import type { Warehouse } from '../warehouse/engine.js';

export interface KpiLineage {
  tables: string[];
  batches: { entity: string; batches: number; first_batch_id: number; last_batch_id: number; last_run_id: number }[];
}

/** Silver entities a set of gold tables reads, through the models in between. */
export function entitiesBehind(tables: readonly string[]): string[] {
  const models = new Map(loadModels().map((m) => [m.name, m]));
  const seen = new Set<string>();
  const entities = new Set<string>();
  const visit = (t: string) => {
    if (seen.has(t)) return;
    seen.add(t);
    if (t.startsWith('silver.')) entities.add(t.slice('silver.'.length).replace(/_history$/, ''));
    for (const d of models.get(t)?.dependsOn ?? []) visit(d);
  };
  tables.forEach(visit);
  return [...entities].sort();
}

export async function kpiLineage(wh: Warehouse, sql: string): Promise<KpiLineage> {
  const tables = [...new Set([...sql.matchAll(/\bgold\.[a-z_][a-z0-9_]*/g)].map((m) => m[0]))].sort();
  const entities = entitiesBehind(tables);
  const rows = entities.length === 0 ? [] : await wh.read<{ entity: string; batches: number; first_batch_id: number; last_batch_id: number; last_run_id: number }>(
    `SELECT entity, COUNT(*) AS batches, MIN(batch_id) AS first_batch_id, MAX(batch_id) AS last_batch_id, MAX(processed_run_id) AS last_run_id
     FROM meta.batches WHERE processed_run_id IS NOT NULL AND entity IN (${entities.map(quoteLiteral).join(', ')})
     GROUP BY entity ORDER BY entity`);
  return {
    tables,
    batches: rows.map((r) => ({ entity: r.entity, batches: Number(r.batches), first_batch_id: Number(r.first_batch_id), last_batch_id: Number(r.last_batch_id), last_run_id: Number(r.last_run_id) })),
  };
}
