// The dashboard: state in the URL hash, one view at a time, refreshed live from the server's snapshot stream.
import './style.css';
import { createAlertsPanel } from './alerts-panel.js';
import { api, errorMessage } from './api-client.js';
import type { Health, Snapshot } from './api-types.js';
import { parseHash, toHash, type DashboardState, type Route } from './dashboard-state.js';
import { createFilterForm } from './filters.js';
import { renderHealth, renderScorecard } from './health-panel.js';
import { addDays } from './dates.js';
import { connectLive } from './live.js';
import { PRESET_DAYS, resolvePeriod, type DateWindow } from './period.js';
import { throttle } from './throttle.js';
import { createViewHost } from './view-host.js';
import { VIEWS } from './views/index.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const viewBox = byId<HTMLElement>('view');
const healthList = byId<HTMLElement>('health-list');
const alerts = createAlertsPanel(byId('alerts'));
const qualityBox = byId<HTMLElement>('quality');

let state: DashboardState = parseHash(location.hash);
/** The days the warehouse holds (from the snapshots); presets such as "last 7 days" count back from its end. */
let dataWindow: DateWindow | null = null;
let health: Health | null = null;

const host = createViewHost(viewBox, byId('error'));
const filters = createFilterForm(byId('filters'), () => state, () => dataWindow, (next) => { location.hash = toHash(next); });

async function show(): Promise<void> {
  if (!dataWindow && PRESET_DAYS[state.period] !== undefined) {
    // Before the first snapshot, the unfiltered KPI answer tells where the data ends.
    const all = await api.kpis({}).catch(() => null);
    if (all && !dataWindow) dataWindow = { from: all.from, to: all.to };
  }
  await host.render(state.route, { ...resolvePeriod(state, dataWindow), channel: state.channel, country: state.country, category: state.category });
}

// Snapshots can come several times a second; the page refreshes at most twice a second.
const refresh = throttle(show, 500);

// The quality scorecard of the latest ingestion day (the day of the newest data in the snapshot), every 5 s at most:
// it reads bronze, so it costs more than the KPI answers.
let qualityAsOf: string | null = null;
async function showQuality(): Promise<void> {
  const day = qualityAsOf ? new Date(qualityAsOf).toISOString().slice(0, 10) : null;
  try {
    renderScorecard(qualityBox, day ? await api.quality({ from: day, to: addDays(day, 1) }) : null, day);
  } catch (e) {
    renderScorecard(qualityBox, null, day, errorMessage(e));
  }
}
const quality = throttle(showQuality, 5000);

function showChrome(): void {
  filters.show(state);
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
    const route = a.dataset.route as Route;
    if (route === state.route) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
    // Tabs keep the filters, so moving between views keeps the same slice of data.
    a.href = toHash({ ...state, route });
  }
  document.title = `${VIEWS[state.route].title} · StorePulse`;
}

window.addEventListener('hashchange', () => {
  const next = parseHash(location.hash);
  const moved = next.route !== state.route;
  state = next;
  showChrome();
  if (moved) {
    host.enter(state.route);
    // A new view takes the focus on its title, so keyboard and screen-reader users land on its content.
    viewBox.querySelector<HTMLElement>('.view-title')?.focus();
  }
  void show();
});

let choicesLoadedAt = 0;
function loadChoices(): void {
  choicesLoadedAt = Date.now();
  filters.loadChoices().catch(() => undefined); // the choices stay as they are; the view shows any API error
}

connectLive({ state: byId('live-state'), detail: byId('live-detail'), pause: byId<HTMLButtonElement>('pause') }, {
  snapshot(s: Snapshot) {
    if (s.from && s.to) dataWindow = { from: s.from, to: s.to };
    health = s.health;
    renderHealth(healthList, s.health);
    refresh.request();
    alerts.refresh();
    qualityAsOf = s.health.as_of;
    quality.request();
    // New countries and categories appear as data arrives; a look every half minute is enough.
    if (Date.now() - choicesLoadedAt > 30_000) loadChoices();
  },
  paused(paused) {
    if (!paused) return;
    refresh.cancel();
    quality.cancel();
    host.cancel();
  },
});

// Until the first snapshot (an empty warehouse has none), the health endpoint fills the panel.
api.health().then((h) => {
  if (health) return;
  renderHealth(healthList, h);
  qualityAsOf = h.as_of;
  quality.request();
}, () => undefined);
// "12 s ago" must keep counting when no batch comes.
setInterval(() => { if (health) renderHealth(healthList, health); }, 10_000);

history.replaceState(null, '', toHash(state));
showChrome();
void show();
loadChoices();
