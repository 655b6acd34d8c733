// The dashboard's state lives in the URL hash (`#/products?period=30d&channel=web`) so any view, with its
// filters, can be bookmarked or shared, and the browser's back button walks through filter changes.
import { isIsoDate } from './dates.js';

export const ROUTES = ['executive', 'products', 'customers', 'funnel'] as const;
export type Route = (typeof ROUTES)[number];

export const PERIODS = ['7d', '30d', '90d', 'all', 'custom'] as const;
export type Period = (typeof PERIODS)[number];

export interface DashboardState {
  route: Route;
  period: Period;
  /** Custom period only: first day (inclusive) and last day (exclusive), as the API takes them. */
  from: string | null;
  to: string | null;
  channel: string | null;
  country: string | null;
  category: string | null;
}

export const DEFAULT_STATE: DashboardState = {
  route: 'executive', period: 'all', from: null, to: null, channel: null, country: null, category: null,
};

const isRoute = (s: string): s is Route => (ROUTES as readonly string[]).includes(s);
const isPeriod = (s: string): s is Period => (PERIODS as readonly string[]).includes(s);

/** Reads a hash such as `#/funnel?period=custom&from=2026-01-01&to=2026-02-01`; anything unknown falls back to the defaults. */
export function parseHash(hash: string): DashboardState {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = (q === -1 ? body : body.slice(0, q)).replace(/\/+$/, '');
  const params = new URLSearchParams(q === -1 ? '' : body.slice(q + 1));

  const from = params.get('from');
  const to = params.get('to');
  const state: DashboardState = {
    ...DEFAULT_STATE,
    route: isRoute(path) ? path : DEFAULT_STATE.route,
    from: isIsoDate(from) ? from : null,
    to: isIsoDate(to) ? to : null,
    channel: params.get('channel') || null,
    country: params.get('country') || null,
    category: params.get('category') || null,
  };
  const period = params.get('period');
  // A link carrying dates but no period is a custom range; a custom period without dates means all data.
  if (period && isPeriod(period)) state.period = period;
  else if (state.from || state.to) state.period = 'custom';
  if (state.period === 'custom' && !state.from && !state.to) state.period = 'all';
  if (state.period !== 'custom') {
    state.from = null;
    state.to = null;
  }
  return state;
}

/** The canonical hash for a state: defaults are left out so the plain dashboard stays at `#/executive`. */
export function toHash(state: DashboardState): string {
  const params = new URLSearchParams();
  if (state.period !== 'all') params.set('period', state.period);
  if (state.period === 'custom') {
    if (state.from) params.set('from', state.from);
    if (state.to) params.set('to', state.to);
  }
  if (state.channel) params.set('channel', state.channel);
  if (state.country) params.set('country', state.country);
  if (state.category) params.set('category', state.category);
  const query = params.toString();
  return `#/${state.route}${query ? `?${query}` : ''}`;
}

/** True when two states ask the API for the same data (the route aside). */
export function sameFilters(a: DashboardState, b: DashboardState): boolean {
  return a.period === b.period && a.from === b.from && a.to === b.to && a.channel === b.channel && a.country === b.country
    && a.category === b.category;
}
