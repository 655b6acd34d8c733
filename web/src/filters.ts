// The filter form: shows the current state, turns edits into a new state (the caller puts it in the URL), and
// offers the countries and categories the data actually has.
import { api } from './api-client.js';
import type { DashboardState, Period } from './dashboard-state.js';
import { addDays } from './dates.js';
import { el } from './dom.js';
import { displayedWindow, resolvePeriod, type DateWindow } from './period.js';

export interface FilterForm {
  show(state: DashboardState): void;
  /** Reloads the country and category choices (new ones appear as data arrives). */
  loadChoices(): Promise<void>;
}

export function createFilterForm(
  form: HTMLFormElement, getState: () => DashboardState, getDataWindow: () => DateWindow | null, onChange: (next: DashboardState) => void,
): FilterForm {
  const field = <T extends HTMLInputElement | HTMLSelectElement>(name: string) => form.elements.namedItem(name) as T;
  const value = (name: string) => field(name).value || null;
  const dateTo = field<HTMLInputElement>('to');

  /** The state the form now asks for; null when its dates make no window. */
  function read(prev: DashboardState, changed: string | null): DashboardState | null {
    const period = value('period') as Period;
    let from = value('from');
    // People pick the last day they want to see; the API's `to` is the day after it.
    const last = value('to');
    let to = last ? addDays(last, 1) : null;
    if (period === 'custom' && changed === 'period') {
      // Switching to Custom starts from the days on screen, so the date fields are never blank.
      ({ from, to } = displayedWindow(resolvePeriod(prev, getDataWindow()), getDataWindow()));
    }
    if (period === 'custom' && from && to && to <= from) {
      dateTo.setCustomValidity('The last day must not be before the first day.');
      dateTo.reportValidity();
      return null;
    }
    dateTo.setCustomValidity('');
    return {
      ...prev, period, channel: value('channel'), country: value('country'), category: value('category'),
      from: period === 'custom' ? from : null, to: period === 'custom' ? to : null,
    };
  }

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', (event) => {
    const next = read(getState(), (event.target as Element).getAttribute('name'));
    if (next) onChange(next);
  });

  function show(state: DashboardState): void {
    field('period').value = state.period;
    field('from').value = state.from ?? '';
    field('to').value = state.to ? addDays(state.to, -1) : '';
    for (const name of ['channel', 'country', 'category'] as const) {
      const select = field<HTMLSelectElement>(name);
      const wanted = state[name] ?? '';
      // A bookmarked value the data does not (yet) have still shows as chosen, not as a blank select.
      if (![...select.options].some((o) => o.value === wanted)) select.append(el('option', { value: wanted }, wanted));
      select.value = wanted;
    }
    form.classList.toggle('show-custom', state.period === 'custom');
  }

  function fill(name: 'country' | 'category', allLabel: string, values: string[]): void {
    const select = field<HTMLSelectElement>(name);
    const chosen = getState()[name];
    const wanted = [...new Set([...values, ...(chosen ? [chosen] : [])])].sort();
    const current = [...select.options].slice(1).map((o) => o.value);
    // Rebuilding an unchanged list would close the select under the user's pointer.
    if (current.join('\n') === wanted.join('\n')) return;
    select.replaceChildren(el('option', { value: '' }, allLabel), ...wanted.map((v) => el('option', { value: v }, v)));
    select.value = chosen ?? '';
  }

  return {
    show,
    async loadChoices() {
      const [countries, categories] = await Promise.all([api.breakdown('country', {}), api.categories({})]);
      const present = (xs: (string | null | undefined)[]) => xs.filter((x): x is string => typeof x === 'string' && x !== '');
      fill('country', 'All countries', present(countries.rows.map((r) => r.country)));
      fill('category', 'All categories', present(categories.rows.map((r) => r.category)));
    },
  };
}
