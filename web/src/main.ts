// The dashboard: state in the URL hash, one view at a time, refreshed live from the server's snapshot stream.
import './style.css';
import { api, errorMessage, isAbort } from './api-client.js';
import type { Snapshot } from './api-types.js';
import { resetCharts } from './charts.js';
import { parseHash, toHash, type DashboardState, type Route } from './dashboard-state.js';
import { el } from './dom.js';
import { formatClock, formatTimestamp } from './format.js';
import { renderHealth } from './health-panel.js';
import { resolvePeriod, type DateWindow } from './period.js';
import { throttle } from './throttle.js';
import { customersView } from './views/customers.js';
import { executiveView } from './views/executive.js';
import { funnelView } from './views/funnel.js';
import { productsView } from './views/products.js';
import type { View } from './views/view.js';

const VIEWS: Record<Route, View> = { executive: executiveView, products: productsView, customers: customersView, funnel: funnelView };
const TITLES: Record<Route, string> = { executive: 'Executive', products: 'Product performance', customers: 'Customer analytics', funnel: 'Funnel and fulfilment' };

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = byId<HTMLFormElement>('filters');
const viewBox = byId<HTMLElement>('view');
const errorBox = byId<HTMLElement>('error');
const live = byId<HTMLElement>('live');
const healthList = byId<HTMLElement>('health-list');

let state: DashboardState = parseHash(location.hash);
let dataWindow: DateWindow | null = null;
let inFlight: AbortController | undefined;

function field<T extends HTMLInputElement | HTMLSelectElement>(name: string): T {
  return form.elements.namedItem(name) as T;
}

function syncForm(): void {
  field('period').value = state.period;
  field('from').value = state.from ?? '';
  field('to').value = state.to ?? '';
  field('channel').value = state.channel ?? '';
  field('country').value = state.country ?? '';
  field('category').value = state.category ?? '';
  form.classList.toggle('show-custom', state.period === 'custom');
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
    if (a.dataset.route === state.route) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
    a.href = toHash({ ...state, route: a.dataset.route as Route });
  }
  document.title = `StorePulse — ${TITLES[state.route]}`;
}

async function render(): Promise<void> {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  const query = { ...resolvePeriod(state, dataWindow), channel: state.channel, country: state.country, category: state.category };
  try {
    const nodes = await VIEWS[state.route]({ query, signal: controller.signal });
    if (controller.signal.aborted) return;
    resetCharts();
    viewBox.replaceChildren(el('h2', { class: 'view-title' }, TITLES[state.route]), ...nodes);
    viewBox.setAttribute('aria-busy', 'false');
    errorBox.hidden = true;
  } catch (e) {
    if (isAbort(e)) return;
    errorBox.textContent = errorMessage(e);
    errorBox.hidden = false;
  }
}

const refresh = throttle(render, 500);

/** Country and category choices come from the data itself. */
async function loadChoices(): Promise<void> {
  const [countries, categories] = await Promise.all([api.breakdown('country', {}), api.categories({})]);
  const fill = (name: string, all: string, values: string[]) => {
    const select = field<HTMLSelectElement>(name);
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '' }, all), ...values.map((v) => el('option', { value: v }, v)));
    select.value = values.includes(chosen) ? chosen : '';
  };
  fill('country', 'All countries', countries.rows.map((r) => String(r.country)).filter((c) => c !== 'null').sort());
  fill('category', 'All categories', categories.rows.map((r) => String(r.category)).filter((c) => c !== 'null').sort());
  syncForm();
}

form.addEventListener('change', () => {
  const value = (name: string) => field(name).value || null;
  const period = value('period') as DashboardState['period'];
  state = {
    ...state, period, channel: value('channel'), country: value('country'), category: value('category'),
    from: period === 'custom' ? value('from') : null, to: period === 'custom' ? value('to') : null,
  };
  location.hash = toHash(state);
});
form.addEventListener('submit', (e) => e.preventDefault());

window.addEventListener('hashchange', () => {
  const next = parseHash(location.hash);
  const moved = next.route !== state.route;
  state = next;
  syncForm();
  void render();
  // A new view takes the focus, so keyboard and screen-reader users land on its content.
  if (moved) byId<HTMLElement>('main').focus();
});

function connect(): void {
  const stream = new EventSource('/api/stream');
  stream.addEventListener('snapshot', (event) => {
    const snapshot = JSON.parse((event as MessageEvent<string>).data) as Snapshot;
    if (snapshot.from && snapshot.to) dataWindow = { from: snapshot.from, to: snapshot.to };
    renderHealth(healthList, snapshot.health);
    live.textContent = `Live · updated ${formatClock(new Date(snapshot.published_at))} · data as of ${formatTimestamp(snapshot.as_of)}`;
    live.classList.remove('offline');
    refresh.request();
  });
  stream.addEventListener('error', () => {
    live.textContent = 'Reconnecting to the live stream…';
    live.classList.add('offline');
  });
}

syncForm();
void render();
void loadChoices().catch(() => undefined);
connect();
// New countries and categories appear as data arrives.
setInterval(() => void loadChoices().catch(() => undefined), 30_000);
