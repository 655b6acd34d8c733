// What a view is: a title, the filters its data follows, and a function that fetches and builds its content.
import type { KpiQuery } from '../api-client.js';

export interface ViewContext {
  query: KpiQuery;
  /** Aborts when a newer render starts, so a slow answer never overwrites a newer one. */
  signal: AbortSignal;
}

export type FilterName = 'period' | 'channel' | 'country' | 'category';

export interface ViewDef {
  title: string;
  /** The filters the API applies to this view's data; the page says which others it ignores. */
  filters: readonly FilterName[];
  render: (ctx: ViewContext) => Promise<Node[]>;
}
