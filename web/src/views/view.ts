// What every view gets: the query of the current filters and a signal that aborts when a newer render starts.
import type { KpiQuery } from '../api-client.js';

export interface ViewContext {
  query: KpiQuery;
  signal: AbortSignal;
}

export type View = (ctx: ViewContext) => Promise<HTMLElement[]>;
