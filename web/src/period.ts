// Turns the period filter into the `from`/`to` the API takes. Presets count back from the latest day with data,
// not from today: a warehouse loaded with last quarter's history should still show its last 7 days.
import type { DashboardState, Period } from './dashboard-state.js';
import { addDays } from './dates.js';

export interface DateWindow {
  from: string;
  /** Exclusive. */
  to: string;
}

/** Both ends optional: an absent end means "the data's own first / last day" to the server. */
export interface QueryWindow {
  from?: string;
  to?: string;
}

export const PRESET_DAYS: Partial<Record<Period, number>> = { '7d': 7, '30d': 30, '90d': 90 };

/** The window to query; `data` is the whole data window, unknown (null) until the first answer. */
export function resolvePeriod(state: DashboardState, data: DateWindow | null): QueryWindow {
  const days = PRESET_DAYS[state.period];
  if (days !== undefined) return data ? { from: addDays(data.to, -days), to: data.to } : {};
  if (state.period === 'custom') {
    const w: QueryWindow = {};
    if (state.from) w.from = state.from;
    if (state.to) w.to = state.to;
    return w;
  }
  return {};
}

/** The window the user is looking at, gaps filled from the data window: where a switch to Custom starts from. */
export function displayedWindow(query: QueryWindow, data: DateWindow | null): { from: string | null; to: string | null } {
  return { from: query.from ?? data?.from ?? null, to: query.to ?? data?.to ?? null };
}
