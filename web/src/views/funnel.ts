// Funnel: sessions at each step to purchase, and how carriers deliver what was bought.
import { api } from '../api-client.js';
import type { CarrierRow, FunnelStep } from '../api-types.js';
import { el, section, table } from '../dom.js';
import { formatCount, formatRatio, humanize } from '../format.js';
import type { View } from './view.js';

function funnelBars(steps: readonly FunnelStep[]): HTMLElement {
  const first = steps[0]?.sessions ?? 0;
  return el('ol', { class: 'funnel', 'aria-label': 'Sessions at each step' }, ...steps.map((s) => {
    const share = first > 0 ? s.sessions / first : 0;
    const bar = el('span', { class: 'bar' });
    bar.style.width = `${Math.max(1, share * 100)}%`;
    return el('li', {}, el('span', { class: 'step' }, humanize(s.step)), bar,
      el('span', { class: 'figure' }, `${formatCount(s.sessions)} (${formatRatio(first > 0 ? share : null)})`));
  }));
}

export const funnelView: View = async ({ query, signal }) => {
  const [funnel, fulfilment] = await Promise.all([api.funnel(query, query.channel ?? null, signal), api.fulfilment(query, signal)]);
  return [
    section('Conversion funnel', funnelBars(funnel.steps), table<FunnelStep>('Sessions per funnel step', [
      { label: 'Step', value: (r) => humanize(r.step) },
      { label: 'Sessions', value: (r) => formatCount(r.sessions), numeric: true },
    ], funnel.steps, 'funnel')),
    section('Fulfilment by carrier', table<CarrierRow>('Shipments per carrier', [
      { label: 'Carrier', value: (r) => r.carrier ?? '(unknown)' },
      { label: 'Shipments', value: (r) => formatCount(r.shipments), numeric: true },
      { label: 'On time', value: (r) => formatRatio(r.on_time_rate), numeric: true },
      { label: 'Late', value: (r) => formatCount(r.late), numeric: true },
      { label: 'Lost', value: (r) => formatCount(r.lost), numeric: true },
      { label: 'Avg transit (h)', value: (r) => (r.avg_transit_hours === null ? '—' : String(r.avg_transit_hours)), numeric: true },
    ], fulfilment.rows, 'fulfilment')),
  ];
};
