// Correcting a reject: the record as it arrived, one field per column, re-submitted as a new batch.
import { el } from '../dom.js';

export function rejectForm(row: Record<string, unknown>, on: { submit(record: Record<string, string | null>): void; cancel(): void }): HTMLElement {
  let raw: Record<string, unknown> = {};
  try {
    raw = JSON.parse(String(row.raw)) as Record<string, unknown>;
  } catch {
    raw = {};
  }
  const fields = Object.entries(raw).map(([name, value]) => {
    const input = el('input', { type: 'text', name });
    input.value = value === null || value === undefined ? '' : String(value);
    return el('label', {}, name, ' ', input);
  });
  const form = el('form', { class: 'panel correction', 'aria-labelledby': 'correction-title' },
    el('h3', { id: 'correction-title' }, `Correct the ${String(row.entity)} record from batch ${String(row.batch_id)}, line ${String(row.line)}`),
    el('p', { class: 'note' }, `Rejected: ${String(row.reason)} (${String(row.rule)}). Fix the values and re-submit; the original reject stays on record.`),
    el('div', { class: 'fields' }, ...fields),
    el('button', { type: 'submit' }, 'Re-submit'), ' ',
    el('button', { type: 'button', 'data-action': 'cancel' }, 'Cancel'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const record: Record<string, string | null> = {};
    for (const input of form.querySelectorAll<HTMLInputElement>('input[name]')) record[input.name] = input.value.trim() === '' ? null : input.value.trim();
    on.submit(record);
  });
  form.querySelector('[data-action="cancel"]')!.addEventListener('click', () => on.cancel());
  return form;
}
