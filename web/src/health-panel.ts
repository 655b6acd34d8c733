// The pipeline-health panel: how fresh the figures are, the last run, and what was rejected or is waiting,
// and the data-quality scorecard of the latest ingestion day.
// It is not a live region: it changes with every batch and would drown out the KPI tiles.
import type { Health, QualityDimension, Scorecard } from './api-types.js';
import { el, table, type Column } from './dom.js';
import { formatAgo, formatCount, formatDuration, formatRatio, formatTimestamp, humanize } from './format.js';
import { morphChildren } from './morph.js';

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

const DIMENSIONS: readonly QualityDimension[] = ['completeness', 'validity', 'uniqueness', 'referential_integrity'];

interface ScoreRow { entity: string; scores: Partial<Record<QualityDimension, { rate: number | null; passed: number; checked: number }>> }

/**
 * The scorecard of one ingestion day: pass rate (passed ÷ checked records) per entity and dimension, and for all
 * entities; then the failed records by rule. `day` null: nothing has been ingested yet. Patched in place, so a
 * focused table or an open list keeps its state across updates.
 */
export function renderScorecard(box: HTMLElement, card: Scorecard | null, day: string | null, error?: string): void {
  const title = el('h3', {}, 'Data quality');
  if (error) {
    morphChildren(box, [title, el('p', { class: 'quality-note' }, `The scorecard could not be loaded: ${error}`)]);
    return;
  }
  if (!card || !day || card.entities.length === 0) {
    morphChildren(box, [title, el('p', { class: 'quality-note' }, day ? `No records ingested on ${day} have been processed yet.` : 'No records processed yet.')]);
    return;
  }
  const rows = new Map<string, ScoreRow>();
  for (const s of card.entities) {
    const row = rows.get(s.entity) ?? { entity: s.entity, scores: {} };
    row.scores[s.dimension] = { rate: s.pass_rate, passed: s.passed, checked: s.checked };
    rows.set(s.entity, row);
  }
  const all: ScoreRow = { entity: 'All entities', scores: Object.fromEntries(card.dimensions.map((d) => [d.dimension, { rate: d.pass_rate, passed: d.passed, checked: d.checked }])) };
  const columns: Column<ScoreRow>[] = [
    { label: 'Entity', value: (r) => (r === all ? r.entity : humanize(r.entity)) },
    ...DIMENSIONS.map((dim): Column<ScoreRow> => ({
      label: humanize(dim),
      numeric: true,
      value: (r) => {
        const s = r.scores[dim];
        return s ? `${formatRatio(s.rate)} (${formatCount(s.passed)} of ${formatCount(s.checked)})` : 'not checked';
      },
    })),
  ];
  const scores = table(`Pass rate (records passed of records checked), records ingested on ${day}`, columns, [...rows.values(), all], 'quality-scorecard');
  const children: Node[] = [title, scores];
  if (card.rules.length) {
    const ruleColumns: Column<Scorecard['rules'][number]>[] = [
      { label: 'Rule', value: (r) => r.rule },
      { label: 'Entity', value: (r) => humanize(r.entity) },
      { label: 'Dimension', value: (r) => humanize(r.dimension) },
      { label: 'Failed records', value: (r) => formatCount(r.failed), numeric: true },
    ];
    const sorted = [...card.rules].sort((a, b) => b.failed - a.failed);
    children.push(el('details', { class: 'quality-rules', 'data-key': 'quality-rules' },
      el('summary', {}, `Failures by rule (${formatCount(sorted.reduce((n, r) => n + r.failed, 0))} records)`),
      table(`Failed records by rule, records ingested on ${day}`, ruleColumns, sorted, 'quality-rules')));
  }
  morphChildren(box, children);
}
