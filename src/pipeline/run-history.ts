// Every run's start, end, status, rows per entity and model, and error, read back from meta.runs.
import type { Warehouse } from '../warehouse/engine.js';
import type { ModelResult } from './model-runner.js';
import type { EntityStats } from './silver-step.js';

export interface RunRecord {
  run_id: number;
  status: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
  entities: EntityStats[];
  models: ModelResult[];
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

export async function listRuns(wh: Warehouse, options: { limit?: number; status?: string } = {}): Promise<RunRecord[]> {
  const limit = Math.max(1, Math.min(options.limit ?? 20, 1000));
  const params: unknown[] = [limit];
  const where = options.status ? 'WHERE status = $2' : '';
  if (options.status) params.push(options.status);
  const rows = await wh.read<{ run_id: number; status: string; started_at: string; finished_at: string | null; summary: string | null; error: string | null }>(
    `SELECT run_id, status, started_at, finished_at, summary, error
     FROM meta.runs ${where} ORDER BY run_id DESC LIMIT $1`, params);
  return rows.map((r) => {
    const summary = r.summary ? (JSON.parse(r.summary) as { entities: EntityStats[]; models: ModelResult[] }) : { entities: [], models: [] };
    const started = iso(r.started_at)!;
    const finished = iso(r.finished_at);
    return {
      run_id: Number(r.run_id), status: r.status, started_at: started, finished_at: finished,
      duration_ms: finished ? Date.parse(finished) - Date.parse(started) : null,
      error: r.error, entities: summary.entities, models: summary.models,
    };
  });
}
