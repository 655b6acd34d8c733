// The pipeline-health panel: how fresh the figures are, the last run, and what was rejected or is waiting.
// It is not a live region: it changes with every batch and would drown out the KPI tiles.
import type { Health } from './api-types.js';
import { el } from './dom.js';
import { formatAgo, formatCount, formatDuration, formatTimestamp } from './format.js';

export function renderHealth(list: HTMLElement, health: Health): void {
  const run = health.last_run;
  const items: [string, string, string][] = [
    ['status', 'Status', health.status === 'ok' ? 'OK' : 'Degraded: the last run failed'],
    ['freshness', 'Freshness p50 / p95', health.freshness.batches
      ? `${formatDuration(health.freshness.p50_ms)} / ${formatDuration(health.freshness.p95_ms)} (last ${formatCount(health.freshness.batches)} batches, ingestion to published figures)`
      : 'no batch published yet'],
    ['as-of', 'Data as of', health.as_of ? `${formatTimestamp(health.as_of)} (${formatAgo(health.as_of)})` : 'no data yet'],
    ['last-run', 'Last run', run
      ? `#${run.run_id} ${run.status}${run.finished_at ? ` ${formatAgo(run.finished_at)}` : ''}, took ${formatDuration(run.ms)}${run.error ? `: ${run.error}` : ''}`
      : 'none yet'],
    ['rejects', 'Rejected records', formatCount(health.rejects)],
    ['pending', 'Waiting records', `${formatCount(health.pending)} (for their order or an exchange rate)`],
  ];
  list.replaceChildren(...items.flatMap(([id, term, value]) => [el('dt', {}, term), el('dd', { 'data-health': id }, value)]));
}
