// Answers KPI requests from gold: the same function serves the CLI, the API and the dashboard.
import { Errors } from '../errors/catalogue.js';
import type { Warehouse } from '../warehouse/engine.js';
import { BREAKDOWNS, KPI_KEYS, type Breakdown, type KpiFilters, type KpiRequest, type Kpis } from './kpi-keys.js';
import { kpiLineage, type KpiLineage } from './kpi-lineage.js';
import { kpiQuery } from './kpi-sql.js';

export interface KpiTotal {
  from: string;
  to: string;
  filters: KpiFilters;
  kpis: Kpis;
  lineage?: KpiLineage;
}

export interface KpiBreakdown {
  from: string;
  to: string;
  by: Breakdown;
  filters?: KpiFilters;
  rows: (Record<string, string | null> & Kpis)[];
  lineage?: KpiLineage;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw Errors.badOption(option, value, 'a date YYYY-MM-DD');
  return value;
}

/**
 * The window of all data: first day with orders, sessions or cases, to the day after the last; and the last day
 * of the stock cover mart, which inventory at risk reads up to. One query, since every KPI request asks it.
 */
async function dataWindow(wh: Warehouse): Promise<{ from: string; to: string; coverUntil: string | null }> {
  const exists = await wh.read<{ n: number }>("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'gold' AND table_name = 'dim_date'");
  if (Number(exists[0].n) === 0) throw Errors.noData('No gold tables yet');
  const [row] = await wh.read<{ first_day: string | null; last_day: string | null; cover_until: string | null }>(
    `SELECT CAST(MIN(date) AS VARCHAR) AS first_day, CAST(MAX(date) + 1 AS VARCHAR) AS last_day,
       (SELECT CAST(MAX(day) AS VARCHAR) FROM gold.mart_stock_cover_daily) AS cover_until
     FROM gold.dim_date`);
  if (!row.first_day || !row.last_day) throw Errors.noData('No orders, sessions or support cases in gold yet');
  return { from: row.first_day, to: row.last_day, coverUntil: row.cover_until };
}

function toKpis(row: Record<string, unknown>): Kpis {
  const out = {} as Kpis;
  for (const k of KPI_KEYS) out[k] = row[k] === null || row[k] === undefined ? null : Number(row[k]);
  return out;
}

/** The requested window, defaulting each end to the data's. */
export async function resolveWindow(wh: Warehouse, request: { from?: string; to?: string }): Promise<{ from: string; to: string }> {
  const from = validDate('--from', request.from);
  const to = validDate('--to', request.to);
  if (from && to) return { from, to };
  const all = await dataWindow(wh);
  return { from: from ?? all.from, to: to ?? all.to };
}

/**
 * The requested window, whether it holds every day with data (ISO dates compare as text), and the stock cover
 * mart's last day. The data's window is read once; a window given whole is answered even before there is data.
 */
async function resolveKpiWindow(wh: Warehouse, request: { from?: string; to?: string }): Promise<{ from: string; to: string; allData: boolean; coverUntil: string | null }> {
  const from = validDate('--from', request.from);
  const to = validDate('--to', request.to);
  const all = from && to ? await dataWindow(wh).catch(() => undefined) : await dataWindow(wh);
  const window = { from: from ?? all!.from, to: to ?? all!.to };
  const allData = (!from && !to) || (all !== undefined && window.from <= all.from && window.to >= all.to);
  return { ...window, allData, coverUntil: all?.coverUntil ?? null };
}

export async function queryKpis(wh: Warehouse, request: KpiRequest): Promise<KpiTotal | KpiBreakdown> {
  if (request.by !== undefined && !BREAKDOWNS.includes(request.by)) throw Errors.badOption('--by', request.by, BREAKDOWNS.join(', '));
  const { from, to, allData, coverUntil } = await resolveKpiWindow(wh, request);
  const filters: KpiFilters = {};
  for (const k of ['channel', 'country', 'category'] as const) if (request[k] !== undefined) filters[k] = request[k];
  const { sql, params } = kpiQuery({ from, to, by: request.by, allData, coverUntil, ...filters }, wh.dialect);
  const rows = await wh.read<Record<string, unknown>>(sql, params);
  const lineage = request.lineage ? { lineage: await kpiLineage(wh, sql) } : {};
  if (!request.by) return { from, to, filters: { channel: null, country: null, category: null, ...filters } as KpiFilters, kpis: toKpis(rows[0]), ...lineage };
  const by = request.by;
  const result: KpiBreakdown = {
    from, to, by,
    rows: rows.map((r) => ({ [by]: r.grp === null ? null : String(r.grp), ...toKpis(r) }) as KpiBreakdown['rows'][number]),
  };
  if (Object.keys(filters).length > 0) result.filters = filters;
  return { ...result, ...lineage };
}
