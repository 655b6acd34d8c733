// How every figure is written on screen. One fixed locale (en-US grouping) so tiles read the same on every
// machine and browser tests can compare text exactly.
import type { KpiKey } from './api-types.js';
import { addDays, daysBetween } from './dates.js';

export type Unit = 'money' | 'count' | 'ratio';

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Shown for a null (undefined ratio, no data): an em dash, never "0" or "NaN". */
export const MISSING = '—';

const usable = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function formatMoney(v: number | null | undefined): string {
  return usable(v) ? money.format(v) : MISSING;
}

export function formatCount(v: number | null | undefined): string {
  return usable(v) ? count.format(v) : MISSING;
}

/** A fraction 0..1 as a percentage with one decimal: 0.3125 → "31.3%". */
export function formatRatio(v: number | null | undefined): string {
  return usable(v) ? `${decimal1.format(v * 100)}%` : MISSING;
}

/** One decimal, for averages such as transit hours: 50 → "50.0". */
export function formatDecimal(v: number | null | undefined): string {
  return usable(v) ? decimal1.format(v) : MISSING;
}

export function formatValue(v: number | null | undefined, unit: Unit): string {
  if (unit === 'money') return formatMoney(v);
  if (unit === 'ratio') return formatRatio(v);
  return formatCount(v);
}

export const KPI_UNITS: Record<KpiKey, Unit> = {
  orders: 'count', units: 'count', unique_customers: 'count', inventory_at_risk: 'count',
  gross_revenue: 'money', discounts: 'money', refunds: 'money', net_revenue: 'money', aov: 'money',
  conversion_rate: 'ratio', fulfilment_sla: 'ratio', return_rate: 'ratio', csat: 'ratio',
};

export function formatKpi(key: KpiKey, v: number | null | undefined): string {
  return formatValue(v, KPI_UNITS[key]);
}

/** Milliseconds as "85 ms" or "1.2 s": freshness is sub-second, so small values keep their precision. */
export function formatDuration(ms: number | null | undefined): string {
  if (!usable(ms)) return MISSING;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${decimal1.format(ms / 1000)} s`;
  return `${decimal1.format(ms / 60_000)} min`;
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago" from an ISO time. */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return MISSING;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return MISSING;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time HH:MM:SS (24 h), for "updated at" stamps. */
export function formatClock(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** An ISO instant as local "YYYY-MM-DD HH:MM:SS"; unambiguous and sortable. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return MISSING;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return MISSING;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(d)}`;
}

/**
 * A query window [from, to) as the days it shows, both inclusive: the API's `to` is exclusive, which reads as
 * one day too many.
 */
export function formatWindow(from: string, to: string): string {
  const days = daysBetween(from, to);
  if (days <= 0) return 'no days';
  if (days === 1) return from;
  return `${from} to ${addDays(to, -1)} (${count.format(days)} days)`;
}

/** Labels for group keys and funnel steps the API sends in snake_case or as null. */
export function humanize(key: string | null | undefined): string {
  if (key === null || key === undefined || key === '') return '(unknown)';
  const spaced = key.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
