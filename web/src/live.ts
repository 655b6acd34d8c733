// The live connection. The server pushes a KPI snapshot after each pipeline micro-batch and the dashboard
// refreshes from it. Updates can be paused (WCAG 2.2.2: content that updates by itself must be pausable), and
// the status line says whether the figures are live, paused or reconnecting.
import type { Snapshot } from './api-types.js';
import { formatClock, formatCount, formatTimestamp } from './format.js';

export interface LiveElements {
  /** Live, Paused or Reconnecting: a polite status region, so only those changes are announced. */
  state: HTMLElement;
  /** When the shown data was published; changes with every batch, so it is deliberately not announced. */
  detail: HTMLElement;
  pause: HTMLButtonElement;
}

export interface LiveHandlers {
  snapshot(s: Snapshot): void;
  /** Pausing must also stop a refresh already on its way, or figures would move after the click. */
  paused(paused: boolean): void;
}

export function connectLive(ui: LiveElements, on: LiveHandlers): void {
  let paused = false;
  let connected = false;
  let waiting: Snapshot | null = null;
  let missed = 0;
  let shown: Snapshot | null = null;

  const setText = (node: HTMLElement, text: string) => { if (node.textContent !== text) node.textContent = text; };

  function showStatus(): void {
    const mode = !connected ? 'offline' : paused ? 'paused' : 'live';
    ui.state.dataset.mode = mode;
    setText(ui.state, mode === 'offline' ? 'Reconnecting to the live stream…' : mode === 'paused' ? 'Paused' : 'Live');
    if (mode === 'offline') setText(ui.detail, '');
    else if (mode === 'paused') setText(ui.detail, ` · ${formatCount(missed)} update${missed === 1 ? '' : 's'} waiting`);
    else if (shown) setText(ui.detail, ` · updated ${formatClock(new Date(shown.published_at))} · data as of ${formatTimestamp(shown.as_of)}`);
    else setText(ui.detail, ' · waiting for the first data');
  }

  function apply(s: Snapshot): void {
    shown = s;
    on.snapshot(s);
  }

  const stream = new EventSource('/api/stream');
  stream.addEventListener('open', () => {
    connected = true;
    showStatus();
  });
  stream.addEventListener('snapshot', (event) => {
    const s = JSON.parse((event as MessageEvent<string>).data) as Snapshot;
    connected = true;
    if (paused) {
      waiting = s;
      missed += 1;
    } else apply(s);
    showStatus();
  });
  // EventSource reconnects by itself; the server sends its current snapshot again on reconnection.
  stream.addEventListener('error', () => {
    connected = false;
    showStatus();
  });

  ui.pause.addEventListener('click', () => {
    paused = !paused;
    ui.pause.setAttribute('aria-pressed', String(paused));
    on.paused(paused);
    if (!paused && waiting) apply(waiting);
    waiting = null;
    missed = 0;
    showStatus();
  });
  showStatus();
}
