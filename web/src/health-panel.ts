// The pipeline-health panel: how fresh the figures are, the last run, and what was rejected or is waiting.
import type { Health } from './api-types.js';
import { el } from './dom.js';
import { formatAgo, formatCount, formatDuration, formatTimestamp } from './format.js';

export function renderHealth(list: HTMLElement, health: Health): void {
  const run = health.last_run;
  const items: [string, string, string][] = [
    ['freshness', 'Freshness p50 / p95', `${formatDuration(health.freshness.p50_ms)} / ${formatDuration(health.freshness.p95_ms)} over ${formatCount(health.freshness.batches)} batches`],
    ['as-of', 'Data as of', `${formatTimestamp(health.as_of)} (${formatAgo(health.as_of)})`],
    ['last-run', 'Last run', run ? `#${run.run_id} ${run.status}, ${formatDuration(run.ms)}${run.error ? `: ${run.error}` : ''}` : 'none yet'],
    ['rejects', 'Rejected records', formatCount(health.rejects)],
    ['pending', 'Waiting records', formatCount(health.pending)],
  ];
  list.replaceChildren(...items.flatMap(([id, term, value]) => [el('dt', {}, term), el('dd', { 'data-health': id }, value)]));
}
