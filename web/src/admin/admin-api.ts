// The admin API as the console calls it: every request carries the operator's token; a failure becomes an
// ApiError that carries the server's own sentence.
import { apiUrl, requestJson } from '../api-client.js';
import { session } from './session.js';

export interface GridColumn { name: string; type: 'text' | 'number' | 'boolean' | 'time' | 'json'; editable: boolean }

export interface GridAnswer {
  grid: string;
  title: string;
  personal_data: 'clear' | 'tokens';
  q: string | null;
  sort: string;
  page: number;
  pageSize: number;
  total: number;
  key: string[];
  columns: GridColumn[];
  edit_roles: string[];
  rows: Record<string, unknown>[];
}

export interface GridQuery { q?: string | null; sort?: string | null; page?: number; pageSize?: number }

type Body = Record<string, unknown>;

function call<T>(method: string, path: string, body?: Body, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return requestJson<T>(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal }, `${method} ${path.split('?')[0]}`);
}

export const adminApi = {
  grid: (name: string, q: GridQuery, signal?: AbortSignal) =>
    call<GridAnswer>('GET', apiUrl(`/api/admin/${name}`, { q: q.q, sort: q.sort, page: q.page, pageSize: q.pageSize }), undefined, signal),
  edit: (name: string, id: string, fields: Body) =>
    call<{ batch_id: number; note: string }>('PATCH', `/api/admin/${name}/${encodeURIComponent(id)}`, fields),
  resubmit: (batch: number, line: number, record: Body) =>
    call<{ resubmitted_batch_id: number; note: string }>('POST', `/api/admin/rejects/${batch}/${line}/resubmit`, { record }),
  /** A short-lived link the browser can download from (a link cannot carry the Authorization header). */
  exportLink: (name: string, format: 'csv' | 'xlsx', q: GridQuery) =>
    call<{ url: string }>('POST', `/api/admin/${name}/export-ticket`, { format, ...(q.q ? { q: q.q } : {}), ...(q.sort ? { sort: q.sort } : {}) }),
};
