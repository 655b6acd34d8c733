// Tiny DOM helpers: elements built from data, text always set as text (never HTML), tables with real headers.

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string> = {}, ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

export interface Column<T> {
  label: string;
  value: (row: T) => string;
  /** Figures are right-aligned so digits line up. */
  numeric?: boolean;
}

export function table<T>(caption: string, columns: readonly Column<T>[], rows: readonly T[], testId?: string): HTMLElement {
  const head = el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : '' }, c.label)));
  const body = rows.length
    ? rows.map((r) => el('tr', {}, ...columns.map((c, i) => (i === 0
      ? el('th', { scope: 'row' }, c.value(r))
      : el('td', { class: c.numeric ? 'num' : '' }, c.value(r))))))
    : [el('tr', {}, el('td', { colspan: String(columns.length) }, 'No data in this period.'))];
  const t = el('table', testId ? { 'data-testid': testId } : {}, el('caption', {}, caption), el('thead', {}, head), el('tbody', {}, ...body));
  // Wide tables scroll inside their own box on a phone instead of widening the page.
  return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption }, t);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', { class: 'panel' }, el('h2', {}, title), ...children);
}
