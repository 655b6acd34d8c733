// One admin grid on screen: a search form with the export buttons, a table whose column headers sort it, inline
// editing of a row's editable cells, and paging. Built from the API's answer; the caller owns the state.
import { el } from '../dom.js';
import { formatCount, formatMoney, formatTimestamp, MISSING } from '../format.js';
import type { GridAnswer, GridColumn } from './admin-api.js';

export type FieldValue = string | boolean | null;

export interface GridHandlers {
  search(q: string): void;
  sort(column: string): void;
  page(page: number): void;
  pageSize(size: number): void;
  edit(rowId: string | null): void;
  save(rowId: string, fields: Record<string, FieldValue>): void;
  export(format: 'csv' | 'xlsx'): void;
  /** Rejects only: open the correction form for a row. */
  correct?(row: Record<string, unknown>): void;
}

const PAGE_SIZES = [25, 50, 100, 200];
const MONEY = /price|cost|revenue/;

export const rowIdOf = (answer: GridAnswer, row: Record<string, unknown>) => answer.key.map((k) => String(row[k])).join('/');
const label = (name: string) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export function showValue(c: GridColumn, v: unknown): string {
  if (v === null || v === undefined || v === '') return MISSING;
  if (c.type === 'number') return typeof v === 'number' && MONEY.test(c.name) ? formatMoney(v) : typeof v === 'number' && Number.isInteger(v) ? formatCount(v) : String(v);
  if (c.type === 'boolean') return v ? 'yes' : 'no';
  if (c.type === 'time') return formatTimestamp(String(v));
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return c.type === 'json' && text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** The text an edit field starts from: what a feed would send for the value. */
const editText = (c: GridColumn, v: unknown) => (v === null || v === undefined ? '' : c.type === 'number' && MONEY.test(c.name) && typeof v === 'number' ? v.toFixed(2) : String(v));

function editField(c: GridColumn, v: unknown, rowId: string): HTMLElement {
  const name = `${label(c.name)} of ${rowId}`;
  if (c.type === 'boolean') {
    const current = v === null || v === undefined ? '' : String(v);
    return el('select', { name: c.name, 'aria-label': name, 'data-original': current },
      ...[['', MISSING], ['true', 'yes'], ['false', 'no']].map(([value, text]) =>
        el('option', { value, ...(value === current ? { selected: '' } : {}) }, text)));
  }
  const original = editText(c, v);
  const input = el('input', { name: c.name, 'aria-label': name, 'data-original': original, type: 'text',
    ...(c.type === 'number' ? { inputmode: 'decimal' } : {}) });
  input.value = original;
  return input;
}

/** The changed fields of the row being edited, as the API takes them (booleans as booleans, blanks as null). */
function changedFields(row: HTMLTableRowElement): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of row.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[name], select[name]')) {
    if (f.value === f.dataset.original) continue;
    if (f instanceof HTMLSelectElement) out[f.name] = f.value === '' ? null : f.value === 'true';
    else out[f.name] = f.value.trim() === '' ? null : f.value.trim();
  }
  return out;
}

export function gridContent(answer: GridAnswer, options: { editing: string | null; canEdit: boolean }, on: GridHandlers): Node[] {
  const pages = Math.max(1, Math.ceil(answer.total / answer.pageSize));
  const sortColumn = answer.sort.replace(/^-/, '');
  const descending = answer.sort.startsWith('-');

  const search = el('form', { class: 'grid-tools', role: 'search', 'aria-label': `Search ${answer.title.toLowerCase()}` },
    el('label', {}, 'Search ', el('input', { type: 'search', name: 'q', value: answer.q ?? '' })),
    el('button', { type: 'submit' }, 'Search'),
    el('button', { type: 'button', 'data-export': 'csv' }, 'Export CSV'),
    el('button', { type: 'button', 'data-export': 'xlsx' }, 'Export XLSX'));
  search.addEventListener('submit', (e) => {
    e.preventDefault();
    on.search((search.elements.namedItem('q') as HTMLInputElement).value);
  });
  for (const b of search.querySelectorAll<HTMLButtonElement>('[data-export]')) b.addEventListener('click', () => on.export(b.dataset.export as 'csv' | 'xlsx'));

  const actions = options.canEdit || on.correct;
  const head = el('tr', {}, ...answer.columns.map((c) => {
    const sorted = c.name === sortColumn;
    const button = el('button', { type: 'button', class: 'sort' }, label(c.name), sorted ? (descending ? ' ▼' : ' ▲') : '');
    button.addEventListener('click', () => on.sort(sorted && !descending ? `-${c.name}` : c.name));
    return el('th', { scope: 'col', 'aria-sort': sorted ? (descending ? 'descending' : 'ascending') : 'none', class: c.type === 'number' ? 'num' : undefined }, button);
  }), actions ? el('th', { scope: 'col' }, 'Actions') : null);

  const body = answer.rows.map((row) => {
    const id = rowIdOf(answer, row);
    const editing = options.editing === id;
    const tr = el('tr', { 'data-row': id }, ...answer.columns.map((c) => el('td', { class: c.type === 'number' ? 'num' : undefined, title: c.type === 'json' ? String(row[c.name] ?? '') : undefined },
      editing && c.editable ? editField(c, row[c.name], id) : showValue(c, row[c.name]))));
    if (actions) {
      const cell = el('td', { class: 'row-actions' });
      if (editing) {
        const save = el('button', { type: 'button' }, 'Save');
        const cancel = el('button', { type: 'button' }, 'Cancel');
        save.addEventListener('click', () => on.save(id, changedFields(tr)));
        cancel.addEventListener('click', () => on.edit(null));
        cell.append(save, ' ', cancel);
      } else if (options.canEdit) {
        const edit = el('button', { type: 'button', 'aria-label': `Edit ${id}` }, 'Edit');
        edit.addEventListener('click', () => on.edit(id));
        cell.append(edit);
      } else if (on.correct) {
        const correct = el('button', { type: 'button', 'aria-label': `Correct the reject at batch ${String(row.batch_id)} line ${String(row.line)}` }, 'Correct');
        correct.addEventListener('click', () => on.correct!(row));
        cell.append(correct);
      }
      tr.append(cell);
    }
    return tr;
  });
  const table = el('table', { 'data-testid': `grid-${answer.grid}` },
    el('caption', {}, `${answer.title}: ${formatCount(answer.total)} row${answer.total === 1 ? '' : 's'}${answer.q ? ` matching "${answer.q}"` : ''}`),
    el('thead', {}, head),
    el('tbody', {}, ...(body.length ? body : [el('tr', {}, el('td', { colspan: String(answer.columns.length + (actions ? 1 : 0)) }, 'No rows.'))])));

  const previous = el('button', { type: 'button', ...(answer.page <= 1 ? { disabled: '' } : {}) }, 'Previous page');
  const next = el('button', { type: 'button', ...(answer.page >= pages ? { disabled: '' } : {}) }, 'Next page');
  previous.addEventListener('click', () => on.page(answer.page - 1));
  next.addEventListener('click', () => on.page(answer.page + 1));
  const size = el('select', { name: 'pageSize' }, ...PAGE_SIZES.map((n) => el('option', { value: String(n), ...(n === answer.pageSize ? { selected: '' } : {}) }, String(n))));
  size.addEventListener('change', () => on.pageSize(Number(size.value)));
  const pager = el('nav', { class: 'pager', 'aria-label': 'Pages' }, previous, el('span', {}, ` Page ${answer.page} of ${pages} `), next,
    el('label', {}, ' Rows per page ', size));

  return [
    el('h2', { id: 'grid-title', class: 'view-title', tabindex: '-1' }, answer.title),
    el('p', { class: 'note' }, answer.personal_data === 'clear'
      ? 'Emails and names are shown in clear for your role.'
      : 'Emails and names are shown as tokens for your role (the same value always gives the same token).'),
    search,
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `${answer.title} grid` }, table),
    pager,
  ];
}
