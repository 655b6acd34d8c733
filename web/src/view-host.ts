// Shows one view at a time. A new route starts from a blank "Loading" page; a refresh of the same route (live
// data, a filter change) patches the page in place (see morph.ts). Only the newest render may touch the page.
import { ApiError, errorMessage, isAbort, type KpiQuery } from './api-client.js';
import { sweepCharts } from './charts.js';
import type { Route } from './dashboard-state.js';
import { el } from './dom.js';
import { morphChildren } from './morph.js';
import { VIEWS } from './views/index.js';
import type { FilterName } from './views/view.js';

const FILTER_LABELS: Record<FilterName, string> = { period: 'period', channel: 'channel', country: 'country', category: 'category' };
const ALL_FILTERS = Object.keys(FILTER_LABELS) as FilterName[];

/** "Country and category filters do not apply here." or null when every filter applies. */
function ignoredFilters(used: readonly FilterName[]): string | null {
  const ignored = ALL_FILTERS.filter((f) => !used.includes(f)).map((f) => FILTER_LABELS[f]);
  if (!ignored.length) return null;
  const list = ignored.length === 1 ? ignored[0] : `${ignored.slice(0, -1).join(', ')} and ${ignored[ignored.length - 1]}`;
  return `The ${list} filter${ignored.length > 1 ? 's do' : ' does'} not apply to this view.`;
}

/** The view's heading; it takes the focus when the view changes (tabindex -1: focusable from script only). */
const title = (text: string) => el('h2', { class: 'view-title', id: 'view-heading', tabindex: '-1' }, text);

export interface ViewHost {
  /** Switches the page to a route at once (its title and "Loading…"); render() fills it. */
  enter(route: Route): void;
  render(route: Route, query: KpiQuery): Promise<void>;
  /** Drops the render in flight, if any; the page keeps what it shows. */
  cancel(): void;
}

export function createViewHost(box: HTMLElement, errorBox: HTMLElement): ViewHost {
  let inFlight: AbortController | undefined;
  let shown: Route | null = null;

  const showError = (message: string | null) => {
    // Rewriting the same text would make the alert speak again on every failed refresh.
    if (message === null) errorBox.hidden = true;
    else {
      if (errorBox.textContent !== message) errorBox.textContent = message;
      errorBox.hidden = false;
    }
  };

  function enter(route: Route): void {
    if (shown === route) return;
    shown = route;
    inFlight?.abort();
    box.replaceChildren(title(VIEWS[route].title), el('p', { class: 'loading' }, 'Loading…'));
    box.setAttribute('aria-busy', 'true');
    sweepCharts();
  }

  return {
    enter,
    cancel() {
      // A view still loading keeps loading: a blank page is not a figure worth freezing.
      if (!box.querySelector('.loading')) inFlight?.abort();
    },
    async render(route, query) {
      enter(route);
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      const view = VIEWS[route];
      try {
        const nodes = await view.render({ query, signal: controller.signal });
        if (controller.signal.aborted) return;
        const ignored = ignoredFilters(view.filters);
        const note = ignored ? [el('p', { class: 'note', 'data-key': 'ignored' }, ignored)] : [];
        morphChildren(box, [title(view.title), ...note, ...nodes]);
        box.setAttribute('aria-busy', 'false');
        sweepCharts();
        showError(null);
      } catch (e) {
        if (isAbort(e)) return;
        box.setAttribute('aria-busy', 'false');
        if (e instanceof ApiError && e.code === 'SP_ERR_NO_DATA') {
          // An empty warehouse is a state, not a failure: say how data gets in; the first batch fills the view.
          morphChildren(box, [title(view.title), el('p', { class: 'empty', 'data-key': 'no-data' }, 'No data yet. Post records to '
            + '/api/ingest/<entity> or drop files in the inbox; the figures appear here once the pipeline has processed them.')]);
          sweepCharts();
          showError(null);
          return;
        }
        const loading = box.querySelector('.loading');
        if (loading) loading.textContent = 'Not loaded; the dashboard tries again on the next update.';
        showError(loading ? errorMessage(e) : `${errorMessage(e)} The figures below are from the last successful refresh.`);
      }
    },
  };
}
