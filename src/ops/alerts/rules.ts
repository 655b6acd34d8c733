// The alert rules and their evaluation. Evaluation is a pure function of the config, the facts read from the
// warehouse and the time, so tests can drive it with a clock of their own.
import type { Kpis } from '../../kpi/kpi-keys.js';
import type { Warehouse } from '../../warehouse/engine.js';
import { formatDuration, type AlertsConfig } from './config.js';

export interface EntityFacts {
  /** Epoch ms of the newest landed batch; null when nothing landed. */
  newestMs: number | null;
  /** Epoch ms of the oldest batch still waiting for a run; null when none waits. */
  oldestWaitingMs: number | null;
}

export interface AlertFacts {
  /** KPI totals over all data (the published snapshot's); null before gold exists. */
  kpis: Kpis | null;
  entities: Record<string, EntityFacts>;
  /** Oldest batch (of any entity) waiting for a run, and the last successful run's end (epoch ms). */
  oldestWaitingMs: number | null;
  lastSuccessMs: number | null;
}

export type RuleKind = 'freshness' | 'kpi' | 'pipeline';

export interface RuleResult {
  /** Stable id: freshness.orders, kpi.conversion_rate, pipeline.late. */
  rule: string;
  kind: RuleKind;
  /** breached / ok, or unknown when there is nothing to judge yet (no data, or a KPI without a denominator). */
  state: 'breached' | 'ok' | 'unknown';
  /** The measured value: an age in ms for freshness and pipeline rules, the KPI's value for KPI rules. */
  value: number | null;
  /** The limit broken (or, when ok, the one checked), in the same unit. */
  threshold: number;
  unit: 'ms' | 'kpi';
  message: string;
}

/** Every configured rule, judged at `now`. */
export function evaluateRules(config: AlertsConfig, facts: AlertFacts, now: number): RuleResult[] {
  const results: RuleResult[] = [];
  for (const [entity, limit] of Object.entries(config.freshness)) {
    const f = facts.entities[entity] ?? { newestMs: null, oldestWaitingMs: null };
    const rule = `freshness.${entity}`;
    if (f.newestMs === null) {
      results.push({ rule, kind: 'freshness', state: 'unknown', value: null, threshold: limit, unit: 'ms', message: `${entity}: no data landed yet` });
      continue;
    }
    const age = Math.max(0, now - f.newestMs);
    const waiting = f.oldestWaitingMs === null ? 0 : Math.max(0, now - f.oldestWaitingMs);
    if (waiting > limit) {
      results.push({ rule, kind: 'freshness', state: 'breached', value: waiting, threshold: limit, unit: 'ms',
        message: `${entity} data has waited unprocessed for ${formatDuration(waiting)}, longer than the ${formatDuration(limit)} SLA` });
    } else if (age > limit) {
      results.push({ rule, kind: 'freshness', state: 'breached', value: age, threshold: limit, unit: 'ms',
        message: `no new ${entity} data for ${formatDuration(age)}, longer than the ${formatDuration(limit)} SLA` });
    } else {
      results.push({ rule, kind: 'freshness', state: 'ok', value: Math.max(age, waiting), threshold: limit, unit: 'ms',
        message: `${entity} data is ${formatDuration(Math.max(age, waiting))} old, within the ${formatDuration(limit)} SLA` });
    }
  }
  for (const t of config.kpis) {
    const rule = `kpi.${t.kpi}`;
    const value = facts.kpis?.[t.kpi] ?? null;
    const checked = t.below ?? t.above!;
    if (value === null) {
      results.push({ rule, kind: 'kpi', state: 'unknown', value: null, threshold: checked, unit: 'kpi',
        message: facts.kpis ? `${t.kpi} is undefined (its denominator is zero)` : `${t.kpi}: no KPIs yet (no gold)` });
    } else if (t.below !== undefined && value < t.below) {
      results.push({ rule, kind: 'kpi', state: 'breached', value, threshold: t.below, unit: 'kpi', message: `${t.kpi} is ${fmt(value)}, below ${fmt(t.below)}` });
    } else if (t.above !== undefined && value > t.above) {
      results.push({ rule, kind: 'kpi', state: 'breached', value, threshold: t.above, unit: 'kpi', message: `${t.kpi} is ${fmt(value)}, above ${fmt(t.above)}` });
    } else {
      const range = [t.below !== undefined ? `≥ ${fmt(t.below)}` : '', t.above !== undefined ? `≤ ${fmt(t.above)}` : ''].filter(Boolean).join(' and ');
      results.push({ rule, kind: 'kpi', state: 'ok', value, threshold: checked, unit: 'kpi', message: `${t.kpi} is ${fmt(value)}, ${range}` });
    }
  }
  if (config.pipelineLateAfterMs !== null) {
    const limit = config.pipelineLateAfterMs;
    // Late: data waits, and for longer than the limit it has neither landed nor has a run succeeded. A run takes
    // every batch waiting when it starts, so data waiting past the limit means runs fail, hang or do not happen.
    const since = facts.oldestWaitingMs === null ? null : Math.max(facts.oldestWaitingMs, facts.lastSuccessMs ?? 0);
    const late = since === null ? 0 : Math.max(0, now - since);
    const lastRun = facts.lastSuccessMs === null ? 'no run has succeeded yet' : `the last successful run ended ${formatDuration(Math.max(0, now - facts.lastSuccessMs))} ago`;
    if (since !== null && late > limit) {
      results.push({ rule: 'pipeline.late', kind: 'pipeline', state: 'breached', value: late, threshold: limit, unit: 'ms',
        message: `the pipeline is ${formatDuration(late)} late: data waits and ${lastRun} (limit ${formatDuration(limit)})` });
    } else {
      results.push({ rule: 'pipeline.late', kind: 'pipeline', state: 'ok', value: late, threshold: limit, unit: 'ms',
        message: since === null ? 'no data is waiting for a run' : `data has waited ${formatDuration(late)}, within ${formatDuration(limit)}` });
    }
  }
  return results;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

/** Reads the freshness and lateness facts (committed data, on a reader connection) and takes the KPIs given. */
export async function readFacts(wh: Warehouse, kpis: Kpis | null): Promise<AlertFacts> {
  const epoch = (e: string) => wh.dialect.epochSeconds(e);
  const rows = await wh.read<{ entity: string; newest: number | null; oldest_waiting: number | null }>(
    `SELECT entity, MAX(${epoch('ingested_at')}) AS newest,
       MIN(CASE WHEN processed_run_id IS NULL THEN ${epoch('ingested_at')} END) AS oldest_waiting
     FROM meta.batches GROUP BY entity`);
  const [run] = await wh.read<{ at: number | null }>(`SELECT MAX(${epoch('finished_at')}) AS at FROM meta.runs WHERE status = 'succeeded'`);
  const ms = (s: number | null) => (s === null || s === undefined ? null : Math.round(Number(s) * 1000));
  const entities: Record<string, EntityFacts> = {};
  let oldestWaitingMs: number | null = null;
  for (const r of rows) {
    entities[r.entity] = { newestMs: ms(r.newest), oldestWaitingMs: ms(r.oldest_waiting) };
    const w = ms(r.oldest_waiting);
    if (w !== null && (oldestWaitingMs === null || w < oldestWaitingMs)) oldestWaitingMs = w;
  }
  return { kpis, entities, oldestWaitingMs, lastSuccessMs: ms(run?.at ?? null) };
}
