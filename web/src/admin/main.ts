// The admin console (/admin): sign in with a token, then one grid at a time (state in the URL hash, e.g.
// `#/products?q=lamp&sort=-unit_price&page=2`), refreshed whenever the pipeline publishes new gold.
import '../style.css';
import { ApiError, errorMessage, isAbort } from '../api-client.js';
import { el } from '../dom.js';
import { adminApi, type GridAnswer, type GridQuery } from './admin-api.js';
import { gridContent, type FieldValue } from './grid-table.js';
import { rejectForm } from './reject-form.js';
import { session } from './session.js';

const GRIDS = ['products', 'customers', 'orders', 'rejects'] as const;
type GridName = (typeof GRIDS)[number];

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const signInForm = byId<HTMLFormElement>('sign-in');
const consoleBox = byId<HTMLElement>('console');
const gridBox = byId<HTMLElement>('grid');
const errorBox = byId<HTMLElement>('error');
const statusBox = byId<HTMLElement>('status');
const who = byId<HTMLElement>('who');
const signOutButton = byId<HTMLButtonElement>('sign-out');

interface State extends GridQuery { grid: GridName }

function parseHash(hash: string): State {
  const body = hash.replace(/^#\/?/, '');
  const [path, query = ''] = body.split('?');
  const params = new URLSearchParams(query);
  const grid = (GRIDS as readonly string[]).includes(path) ? (path as GridName) : 'products';
  const page = Number(params.get('page'));
  const pageSize = Number(params.get('pageSize'));
  return { grid, q: params.get('q'), sort: params.get('sort'), page: page >= 1 ? page : 1, pageSize: pageSize >= 1 ? pageSize : 50 };
}

function toHash(s: State): string {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  if (s.sort) params.set('sort', s.sort);
  if (s.page && s.page > 1) params.set('page', String(s.page));
  if (s.pageSize && s.pageSize !== 50) params.set('pageSize', String(s.pageSize));
  const q = params.toString();
  return `#/${s.grid}${q ? `?${q}` : ''}`;
}

let state = parseHash(location.hash);
let answer: GridAnswer | null = null;
let editing: string | null = null;
let correcting: Record<string, unknown> | null = null;
let inFlight: AbortController | undefined;

const showError = (message: string | null) => {
  errorBox.hidden = message === null;
  if (message !== null && errorBox.textContent !== message) errorBox.textContent = message;
};
const say = (message: string) => { statusBox.textContent = message; };

function showSignedIn(): boolean {
  const claims = session.claims();
  const signedIn = claims !== null && claims.exp * 1000 > Date.now();
  signInForm.hidden = signedIn;
  consoleBox.hidden = !signedIn;
  signOutButton.hidden = !signedIn;
  who.textContent = signedIn ? `Signed in as ${claims.sub} (${claims.role})` : 'Not signed in';
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
    if (a.dataset.grid === state.grid) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  return signedIn;
}

function render(): void {
  if (!answer) return;
  const role = session.claims()?.role ?? '';
  const canEdit = answer.edit_roles.includes(role);
  const nodes = gridContent(answer, { editing, canEdit }, {
    search: (q) => go({ ...state, q: q || null, page: 1 }),
    sort: (sort) => go({ ...state, sort, page: 1 }),
    page: (page) => go({ ...state, page }),
    pageSize: (pageSize) => go({ ...state, pageSize, page: 1 }),
    edit: (id) => { editing = id; render(); focusRow(id); },
    save: (id, fields) => void save(id, fields),
    export: (format) => void download(format),
    ...(answer.grid === 'rejects' && ['admin', 'editor', 'support'].includes(role) ? { correct: (row: Record<string, unknown>) => { correcting = row; render(); } } : {}),
  });
  if (correcting) {
    nodes.push(rejectForm(correcting, {
      submit: (record) => void resubmit(correcting!, record),
      cancel: () => { correcting = null; render(); },
    }));
  }
  gridBox.replaceChildren(...nodes);
  if (correcting) gridBox.querySelector<HTMLInputElement>('.correction input')?.focus();
}

function focusRow(id: string | null): void {
  if (id) gridBox.querySelector<HTMLElement>(`tr[data-row="${CSS.escape(id)}"] input, tr[data-row="${CSS.escape(id)}"] select`)?.focus();
}

async function load(): Promise<void> {
  if (!showSignedIn()) return;
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  try {
    const next = await adminApi.grid(state.grid, state, controller.signal);
    if (controller.signal.aborted) return;
    answer = next;
    render();
    showError(null);
  } catch (e) {
    if (isAbort(e)) return;
    if (e instanceof ApiError && e.status === 401) {
      session.signOut();
      showSignedIn();
      say('');
    }
    showError(errorMessage(e));
  }
}

function go(next: State): void {
  editing = null;
  correcting = null;
  location.hash = toHash(next);
}

async function save(id: string, fields: Record<string, FieldValue>): Promise<void> {
  if (!answer) return;
  if (Object.keys(fields).length === 0) {
    editing = null;
    render();
    say('Nothing changed.');
    return;
  }
  try {
    const result = await adminApi.edit(answer.grid, id, fields);
    editing = null;
    render();
    showError(null);
    say(`Saved ${id} as a new version (batch ${result.batch_id}); it shows here once the pipeline has run.`);
  } catch (e) {
    showError(errorMessage(e));
  }
}

async function resubmit(row: Record<string, unknown>, record: Record<string, string | null>): Promise<void> {
  try {
    const result = await adminApi.resubmit(Number(row.batch_id), Number(row.line), record);
    correcting = null;
    showError(null);
    say(`Re-submitted as batch ${result.resubmitted_batch_id}; it is checked and promoted by the next pipeline run.`);
    await load();
  } catch (e) {
    showError(errorMessage(e));
  }
}

async function download(format: 'csv' | 'xlsx'): Promise<void> {
  if (!answer) return;
  try {
    // The server streams the file; the browser saves it as it comes.
    const { url } = await adminApi.exportLink(answer.grid, format, state);
    el('a', { href: url, download: '' }).click();
    say(`Exporting ${answer.title.toLowerCase()} as ${format.toUpperCase()}…`);
  } catch (e) {
    showError(errorMessage(e));
  }
}

signInForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const input = signInForm.elements.namedItem('token') as HTMLInputElement;
  session.signIn(input.value.trim());
  input.value = '';
  if (!showSignedIn()) {
    session.signOut();
    showError('That is not a StorePulse access token (or it has expired). Ask an operator for a new one: storepulse token --role editor');
    return;
  }
  showError(null);
  void load().then(() => gridBox.querySelector<HTMLElement>('#grid-title')?.focus());
});

signOutButton.addEventListener('click', () => {
  session.signOut();
  answer = null;
  gridBox.replaceChildren();
  showSignedIn();
  say('');
});

window.addEventListener('hashchange', () => {
  state = parseHash(location.hash);
  void load();
});

// New gold, new figures: reload the grid after each micro-batch, unless a row is being edited or corrected.
const stream = new EventSource('/api/stream');
stream.addEventListener('snapshot', () => {
  if (!editing && !correcting && answer) void load();
});

if (!location.hash) history.replaceState(null, '', toHash(state));
void load();
