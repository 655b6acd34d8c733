// One grid request as SQL: free-text search (case-insensitive, in the grid's search columns), a sort on any of
// its columns (ties broken by the key, so pages never overlap), and a page; or the same rows, unpaged, for export.
import { Errors } from '../errors/catalogue.js';
import type { Warehouse } from '../warehouse/engine.js';
import { GRID_NAMES, GRIDS, type GridDef, type GridView } from './grids.js';

export interface GridRequest {
  q?: string;
  sort?: string;
  page?: number;
  pageSize?: number;
}

export const MAX_PAGE_SIZE = 500;

export function gridDef(name: string): GridDef {
  const grid = GRIDS[name];
  if (!grid) throw Errors.notFound(`Grid "${name}"`, `The admin grids are ${GRID_NAMES.join(', ')}.`);
  return grid;
}

/** LIKE pattern for "contains q", with the pattern's own wildcards taken literally. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface Built { sql: string; params: unknown[]; orderBy: string }

function build(grid: GridDef, view: GridView, request: GridRequest): Built {
  const columns = grid.columns(view);
  const names = new Set(columns.map((c) => c.name));
  const sort = request.sort || grid.defaultSort;
  const desc = sort.startsWith('-');
  const sortColumn = desc ? sort.slice(1) : sort;
  if (!names.has(sortColumn)) throw Errors.badOption('sort', sort, `a column of ${grid.name} (${[...names].join(', ')}), with - before it for descending`);
  const inner = `SELECT ${columns.map((c) => `${c.sql} AS ${c.name}`).join(', ')} FROM ${grid.from(view)}`;
  const q = request.q?.trim();
  const params: unknown[] = [];
  let where = '';
  if (q) {
    params.push(containsPattern(q));
    where = `WHERE ${columns.filter((c) => c.search).map((c) => `CAST(g.${c.name} AS VARCHAR) ILIKE $1 ESCAPE '\\'`).join(' OR ')}`;
  }
  const ties = grid.key.filter((k) => k !== sortColumn).map((k) => `g.${k}`);
  const orderBy = [`g.${sortColumn} ${desc ? 'DESC' : 'ASC'} NULLS LAST`, ...ties].join(', ');
  return { sql: `SELECT * FROM (${inner}) g ${where}`, params, orderBy };
}

export async function gridPage(wh: Warehouse, grid: GridDef, view: GridView, request: GridRequest) {
  const page = request.page ?? 1;
  const pageSize = request.pageSize ?? 50;
  const { sql, params, orderBy } = build(grid, view, request);
  const [{ n }] = await wh.read<{ n: number }>(`SELECT COUNT(*) AS n FROM (${sql}) c`, params);
  const rows = await wh.read(`${sql} ORDER BY ${orderBy} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`, params);
  const editable = new Set(grid.edit?.fields ?? []);
  return {
    grid: grid.name, title: grid.title, personal_data: view.personal ? 'clear' : 'tokens',
    q: request.q ?? null, sort: request.sort || grid.defaultSort, page, pageSize, total: Number(n),
    key: grid.key,
    columns: grid.columns(view).map((c) => ({ name: c.name, type: c.type, editable: editable.has(c.name) })),
    edit_roles: grid.edit?.roles ?? [],
    rows,
  };
}

/** Every matching row in order, a batch at a time, for an export of any size. */
export function gridRows(wh: Warehouse, grid: GridDef, view: GridView, request: GridRequest): { columns: string[]; batches: AsyncGenerator<Record<string, unknown>[]> } {
  const { sql, params, orderBy } = build(grid, view, request);
  return { columns: grid.columns(view).map((c) => c.name), batches: wh.stream(`${sql} ORDER BY ${orderBy}`, params) };
}
