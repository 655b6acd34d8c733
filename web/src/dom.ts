// Tiny DOM helpers: elements built from data, text always set as text (never HTML), tables with real headers.

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string | undefined> = {}, ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

export interface Column<T> {
  label: string;
  value: (row: T) => string;
  /** Figures are right-aligned so digits line up. */
  numeric?: boolean;
}

/**
 * A table with a caption, column headers and the first column as row headers, so a screen reader names each
 * figure by its row and column. `testId` names it for the browser tests.
 */
export function table<T>(caption: string, columns: readonly Column<T>[], rows: readonly T[], testId: string): HTMLElement {
  const cls = (c: Column<T>) => (c.numeric ? 'num' : undefined);
  const head = el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', class: cls(c) }, c.label)));
  const body = rows.length
    ? rows.map((r) => el('tr', {}, ...columns.map((c, i) => (i === 0
      ? el('th', { scope: 'row' }, c.value(r))
      : el('td', { class: cls(c) }, c.value(r))))))
    : [el('tr', {}, el('td', { colspan: String(columns.length) }, 'No data in this period.'))];
  const t = el('table', { 'data-testid': testId }, el('caption', {}, caption), el('thead', {}, head), el('tbody', {}, ...body));
  // Wide tables scroll inside their own box on a phone instead of widening the page; the box takes the focus so
  // it can be scrolled with the keyboard.
  return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption, 'data-key': `table:${testId}` }, t);
}

/** A titled block of a view (h3: the view's own title is the h2). */
export function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', { class: 'panel', 'data-key': `section:${title}` }, el('h3', {}, title), ...children);
}
