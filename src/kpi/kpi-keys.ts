// The KPI keys of kpis.md, in catalogue order; every surface prints exactly these.
export const KPI_KEYS = [
  'orders', 'units', 'gross_revenue', 'discounts', 'refunds', 'net_revenue', 'aov', 'unique_customers',
  'conversion_rate', 'fulfilment_sla', 'return_rate', 'csat', 'inventory_at_risk',
] as const;

export type KpiKey = (typeof KPI_KEYS)[number];
export type Kpis = Record<KpiKey, number | null>;

export const BREAKDOWNS = ['date', 'channel', 'country', 'category'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export interface KpiFilters {
  channel?: string;
  country?: string;
  category?: string;
}

export interface KpiRequest extends KpiFilters {
  /** Inclusive first day (YYYY-MM-DD); default: the first day with data. */
  from?: string;
  /** Exclusive last day (YYYY-MM-DD); default: the day after the last day with data. */
  to?: string;
  by?: Breakdown;
  /** Add the gold tables and source batches the answer read. */
  lineage?: boolean;
}
