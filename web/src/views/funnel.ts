// Funnel: sessions at each step to purchase, and how carriers deliver what was bought.
import { api } from '../api-client.js';
import type { CarrierRow, FunnelStep } from '../api-types.js';
import { el, section, table } from '../dom.js';
import { formatCount, formatDecimal, formatRatio, formatWindow, humanize } from '../format.js';
import type { ViewDef } from './view.js';

const share = (part: number, whole: number | undefined) => (whole ? part / whole : null);

/** Bars as wide as each step's share of all sessions; the table below carries the same figures as text. */
function funnelBars(steps: readonly FunnelStep[]): HTMLElement {
  const first = steps[0]?.sessions;
  return el('ol', { class: 'funnel', 'aria-hidden': 'true', 'data-key': 'funnel-bars' }, ...steps.map((s) => {
    const bar = el('span', { class: 'bar' });
    bar.style.width = `${Math.max(0.5, (share(s.sessions, first) ?? 0) * 100)}%`;
    return el('li', {}, el('span', { class: 'step' }, humanize(s.step)), el('span', { class: 'track' }, bar),
      el('span', { class: 'figure' }, `${formatCount(s.sessions)} · ${formatRatio(share(s.sessions, first))}`));
  }));
}

export const funnelView: ViewDef = {
  title: 'Funnel and fulfilment',
  filters: ['period', 'channel'],
  async render({ query, signal }) {
    const [funnel, fulfilment] = await Promise.all([api.funnel(query, query.channel ?? null, signal), api.fulfilment(query, signal)]);
    const first = funnel.steps[0]?.sessions;
    return [
      el('p', { class: 'window' }, formatWindow(funnel.from, funnel.to)),
      section('Conversion funnel', funnelBars(funnel.steps), table<FunnelStep & { previous: number | undefined }>('Sessions reaching each step', [
        { label: 'Step', value: (r) => humanize(r.step) },
        { label: 'Sessions', value: (r) => formatCount(r.sessions), numeric: true },
        { label: 'Of all sessions', value: (r) => formatRatio(share(r.sessions, first)), numeric: true },
        { label: 'Of previous step', value: (r) => formatRatio(share(r.sessions, r.previous)), numeric: true },
      ], funnel.steps.map((s, i) => ({ ...s, previous: funnel.steps[i - 1]?.sessions })), 'funnel')),
      section('Fulfilment by carrier',
        el('p', { class: 'note' }, 'Shipments of orders placed in the period; the channel filter does not apply here.'),
        table<CarrierRow>('Shipments per carrier', [
          { label: 'Carrier', value: (r) => r.carrier ?? '(unknown)' },
          { label: 'Shipments', value: (r) => formatCount(r.shipments), numeric: true },
          { label: 'On time', value: (r) => formatRatio(r.on_time_rate), numeric: true },
          { label: 'Late', value: (r) => formatCount(r.late), numeric: true },
          { label: 'Lost', value: (r) => formatCount(r.lost), numeric: true },
          { label: 'Avg transit (h)', value: (r) => formatDecimal(r.avg_transit_hours), numeric: true },
        ], fulfilment.rows, 'fulfilment')),
    ];
  },
};
