// Every run's start, end, status, rows per entity and model, and error, read back from meta.runs.
import type { TestOutcome } from '../quality/test-outcome.js';
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
  /** The run's data tests and reconciliations; for a failed run, those that warned or failed. */
  tests: TestOutcome[];
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
  // A failed run has no summary (its data was rolled back); the tests that stopped it were kept apart.
  const failedIds = rows.filter((r) => !r.summary).map((r) => Number(r.run_id));
  const kept = failedIds.length === 0 ? [] : await wh.read<{ run_id: number; model: string; test: string; kind: TestOutcome['kind']; status: TestOutcome['status']; failures: number; rows_tested: number; sample: string | null; message: string | null }>(
    `SELECT run_id, model, test, kind, status, failures, rows_tested, sample, message FROM meta.test_results WHERE run_id IN (${failedIds.join(', ')}) ORDER BY run_id, model, test`);
  return rows.map((r) => {
    const summary = r.summary
      ? (JSON.parse(r.summary) as { entities: EntityStats[]; models: ModelResult[]; tests?: TestOutcome[] })
      : {
          entities: [], models: [],
          tests: kept.filter((t) => Number(t.run_id) === Number(r.run_id)).map((t): TestOutcome => ({
            model: t.model, test: t.test, kind: t.kind, status: t.status, failures: Number(t.failures), rows: Number(t.rows_tested),
            sample: t.sample ? (JSON.parse(t.sample) as string[]) : [], ...(t.message ? { message: t.message } : {}),
          })),
        };
    const started = iso(r.started_at)!;
    const finished = iso(r.finished_at);
    return {
      run_id: Number(r.run_id), status: r.status, started_at: started, finished_at: finished,
      duration_ms: finished ? Date.parse(finished) - Date.parse(started) : null,
      error: r.error, entities: summary.entities, models: summary.models, tests: summary.tests ?? [],
    };
  });
}
