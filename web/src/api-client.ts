// Typed calls to the StorePulse API (same origin). Failures become ApiError with a sentence a person can act
// on, because the views print the message as is.
import type {
  Breakdown, CarrierRow, CategoryRow, FunnelStep, Health, KpiBreakdown, KpiTotal, Scorecard, SegmentRow, TopProduct, WindowRows,
} from './api-types.js';
import type { QueryWindow } from './period.js';

export class ApiError extends Error {
  constructor(message: string, readonly status: number | null, readonly code: string | null) {
    super(message);
    this.name = 'ApiError';
  }
}

type Params = Record<string, string | number | null | undefined>;

/** Window plus the filters the KPI endpoints take. */
export interface KpiQuery extends QueryWindow {
  channel?: string | null;
  country?: string | null;
  category?: string | null;
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

export function apiUrl(path: string, params: Params = {}): string {
  const search = new URLSearchParams();
  // Absent and empty values are left out: the server rejects empty filters and defaults missing dates.
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') search.set(k, String(v));
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

export async function getJson<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(apiUrl(path, params), { signal, headers: { accept: 'application/json' } }, path);
}

/** Any request whose answer is JSON; `label` names it in messages (the path without its query). */
export async function requestJson<T>(url: string, init: RequestInit, label = url): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError('The StorePulse server could not be reached. Check that it is running; the dashboard retries on the next update.', null, null);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    const detail = err?.message ?? (response.statusText || 'no details');
    throw new ApiError(`${label} failed (HTTP ${response.status}): ${detail}`, response.status, err?.code ?? null);
  }
  if (body === undefined) throw new ApiError(`${label} answered something that is not JSON.`, response.status, null);
  return body as T;
}

const kpiParams = (q: KpiQuery): Params => ({ from: q.from, to: q.to, channel: q.channel, country: q.country, category: q.category });
const windowParams = (w: QueryWindow): Params => ({ from: w.from, to: w.to });

export const api = {
  kpis: (q: KpiQuery, signal?: AbortSignal) => getJson<KpiTotal>('/api/kpis', kpiParams(q), signal),
  breakdown: (by: Breakdown, q: KpiQuery, signal?: AbortSignal) =>
    getJson<KpiBreakdown>('/api/kpis/breakdown', { by, ...kpiParams(q) }, signal),
  topProducts: (w: QueryWindow, limit: number, signal?: AbortSignal) =>
    getJson<WindowRows<TopProduct>>('/api/products/top', { ...windowParams(w), limit }, signal),
  categories: (w: QueryWindow, signal?: AbortSignal) => getJson<WindowRows<CategoryRow>>('/api/categories', windowParams(w), signal),
  segments: (signal?: AbortSignal) => getJson<{ rows: SegmentRow[] }>('/api/customers/segments', {}, signal),
  funnel: (w: QueryWindow, channel: string | null, signal?: AbortSignal) =>
    getJson<{ from: string; to: string; steps: FunnelStep[] }>('/api/funnel', { ...windowParams(w), channel }, signal),
  fulfilment: (w: QueryWindow, signal?: AbortSignal) => getJson<WindowRows<CarrierRow>>('/api/fulfilment', windowParams(w), signal),
  health: (signal?: AbortSignal) => getJson<Health>('/api/health', {}, signal),
  quality: (w: QueryWindow, signal?: AbortSignal) => getJson<Scorecard>('/api/quality', windowParams(w), signal),
};

/** The message to show for any failure. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return `Unexpected error: ${e.message}`;
  return 'Unexpected error.';
}
