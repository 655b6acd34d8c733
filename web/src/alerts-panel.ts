// Active alerts (freshness SLAs, KPI thresholds, pipeline lateness) from GET /api/alerts: a banner list above the
// view while any rule is firing, hidden otherwise. The list itself is not a live region (its ages and values move
// with every evaluation); a separate role="alert" line announces only what changed: a rule that started firing
// or one that recovered.
import { getJson } from './api-client.js';
import { el } from './dom.js';
import { formatAgo, formatTimestamp } from './format.js';
import { throttle } from './throttle.js';

/** The part of the server's AlertsView the dashboard shows. */
export interface ActiveAlert {
  rule: string;
  kind: 'freshness' | 'kpi' | 'pipeline';
  status: 'firing';
  since: string;
  message: string;
}

export interface AlertsView {
  enabled: boolean;
  /** How often the server judges the rules without a snapshot (ms). */
  evaluate_every_ms: number | null;
  active: ActiveAlert[];
}

const KIND: Record<ActiveAlert['kind'], string> = { freshness: 'Freshness SLA', kpi: 'KPI threshold', pipeline: 'Pipeline' };

export interface AlertsPanel {
  /** Asks for a reload (coalesced: at most one a second). */
  refresh(): void;
}

/**
 * Builds the panel inside `host` and keeps it current: on refresh() (a new snapshot) and by polling, because the
 * server also judges the rules on a timer (stale data raises an alert precisely when no snapshot comes). It polls as
 * often as the server evaluates, between once a second and once every `maxPollMs`.
 */
export function createAlertsPanel(host: HTMLElement, maxPollMs = 5_000): AlertsPanel {
  const announce = el('p', { class: 'visually-hidden', role: 'alert', 'data-testid': 'alerts-announce' });
  const list = el('ul', { class: 'alerts-list', 'data-testid': 'alerts-list' });
  const title = el('h2', { id: 'alerts-title' }, 'Active alerts');
  const box = el('section', { class: 'alerts', 'aria-labelledby': 'alerts-title', hidden: '' }, title, list);
  host.replaceChildren(announce, box);
  let known: Map<string, ActiveAlert> | null = null;
  let pollMs = maxPollMs;

  function render(view: AlertsView): void {
    const active = view.enabled ? view.active : [];
    box.hidden = active.length === 0;
    title.textContent = `Active alerts (${active.length})`;
    list.replaceChildren(...active.map((a) => el('li', { 'data-alert': a.rule },
      el('strong', {}, `${KIND[a.kind] ?? a.kind}: `), a.message, ' ',
      el('span', { class: 'alerts-since' }, `(firing since ${formatTimestamp(a.since)}, ${formatAgo(a.since)})`))));
    const now = new Map(active.map((a) => [`${a.rule}@${a.since}`, a]));
    const news: string[] = [];
    for (const [key, a] of now) if (!known?.has(key)) news.push(`Alert: ${a.message}.`);
    for (const [key, a] of known ?? []) if (!now.has(key)) news.push(`Resolved: ${a.rule}.`);
    known = now;
    if (news.length) announce.textContent = news.join(' ');
  }

  const load = throttle(async () => {
    try {
      const view = await getJson<AlertsView>('/api/alerts');
      pollMs = Math.min(maxPollMs, Math.max(1_000, view.evaluate_every_ms ?? maxPollMs));
      render(view);
    } catch {
      // The live-status line already says when the server is unreachable; the last list stays shown.
    }
  }, 1_000);
  const poll = () => {
    load.request();
    setTimeout(poll, pollMs);
  };
  poll();
  return { refresh: () => load.request() };
}
