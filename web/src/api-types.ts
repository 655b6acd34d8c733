// The StorePulse HTTP API as the dashboard reads it (the server's contract; dates are YYYY-MM-DD, `to` exclusive).

export const KPI_KEYS = [
  'orders', 'units', 'gross_revenue', 'discounts', 'refunds', 'net_revenue', 'aov', 'unique_customers',
  'conversion_rate', 'fulfilment_sla', 'return_rate', 'csat', 'inventory_at_risk',
] as const;

export type KpiKey = (typeof KPI_KEYS)[number];
/** Money in the base currency (2 decimals), counts as integers, ratios as fractions 0..1; null when undefined. */
export type Kpis = Record<KpiKey, number | null>;

export interface Filters {
  channel: string | null;
  country: string | null;
  category: string | null;
}

export interface KpiTotal {
  from: string;
  to: string;
  filters: Filters;
  kpis: Kpis;
}

export type Breakdown = 'date' | 'channel' | 'country' | 'category';

/** One row per group; the group key (named after `by`) may be null. */
export type BreakdownRow = Kpis & Partial<Record<Breakdown, string | null>>;

export interface KpiBreakdown {
  from: string;
  to: string;
  by: Breakdown;
  rows: BreakdownRow[];
}

export interface TopProduct {
  product_id: string;
  name: string | null;
  category: string | null;
  /** The current catalogue price, in the product's own currency. */
  list_price: number | null;
  price_currency: string | null;
  orders: number;
  units: number;
  gross_revenue: number;
  net_revenue: number;
}

export interface CategoryRow {
  category: string | null;
  orders: number;
  units: number;
  gross_revenue: number;
  discounts: number;
  refunds: number;
  net_revenue: number;
}

export interface SegmentRow {
  segment: string;
  customers: number;
  orders: number;
  lifetime_value: number;
  avg_lifetime_value: number | null;
}

export interface FunnelStep {
  step: string;
  sessions: number;
}

export interface CarrierRow {
  carrier: string | null;
  shipments: number;
  delivered: number;
  on_time: number;
  late: number;
  lost: number;
  on_time_rate: number | null;
  avg_transit_hours: number | null;
}

export interface WindowRows<T> {
  from: string;
  to: string;
  rows: T[];
}

export interface Health {
  status: string;
  warehouse: string;
  as_of: string | null;
  last_run: { run_id: number; status: string; finished_at: string | null; ms: number | null; error?: string | null } | null;
  freshness: { batches: number; p50_ms: number | null; p95_ms: number | null };
  rejects: number;
  pending: number;
}

/** The `snapshot` event of /api/stream, published after each pipeline micro-batch. */
export interface Snapshot {
  run_id: number | null;
  as_of: string | null;
  published_at: string;
  /** The whole data window; null until the warehouse holds data. */
  from: string | null;
  to: string | null;
  kpis: Kpis | null;
  health: Health;
}

/** Data-quality dimensions of the scorecard (GET /api/quality). */
export type QualityDimension = 'completeness' | 'validity' | 'uniqueness' | 'referential_integrity';

/** Records checked and passed; pass_rate = passed ÷ checked (0..1), null when nothing was checked. */
export interface QualityScore {
  checked: number;
  passed: number;
  failed: number;
  pass_rate: number | null;
}

export interface Scorecard {
  /** Ingestion days [from, to). */
  from: string | null;
  to: string | null;
  entity: string | null;
  dimensions: (QualityScore & { dimension: QualityDimension })[];
  daily: (QualityScore & { day: string; dimension: QualityDimension })[];
  entities: (QualityScore & { entity: string; dimension: QualityDimension })[];
  days: (QualityScore & { day: string; entity: string; dimension: QualityDimension })[];
  rules: { entity: string; dimension: QualityDimension; rule: string; failed: number }[];
}
