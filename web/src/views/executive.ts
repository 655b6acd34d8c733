// Executive view: the headline KPIs as tiles, daily trends, and the channel split.
import { api } from '../api-client.js';
import type { BreakdownRow, KpiKey } from '../api-types.js';
import { trendChart } from '../charts.js';
import { toEpochSeconds } from '../dates.js';
import { el, section, table } from '../dom.js';
import { formatCount, formatKpi, formatMoney, humanize } from '../format.js';
import type { View } from './view.js';

const TILES: readonly [KpiKey, string][] = [
  ['net_revenue', 'Net revenue'], ['orders', 'Orders'], ['aov', 'Average order value'], ['conversion_rate', 'Conversion'],
  ['fulfilment_sla', 'Fulfilment SLA'], ['return_rate', 'Return rate'], ['csat', 'CSAT'], ['inventory_at_risk', 'Inventory at risk'],
];

export function kpiTiles(kpis: Record<KpiKey, number | null>): HTMLElement {
  return el('ul', { class: 'tiles', 'aria-label': 'Key figures' }, ...TILES.map(([key, label]) =>
    el('li', { class: 'tile', 'data-kpi': key }, el('span', { class: 'label' }, label), el('span', { class: 'value' }, formatKpi(key, kpis[key])))));
}

export const executiveView: View = async ({ query, signal }) => {
  const [total, byDate, byChannel] = await Promise.all([
    api.kpis(query, signal), api.breakdown('date', query, signal), api.breakdown('channel', query, signal),
  ]);
  const days = byDate.rows.map((r) => toEpochSeconds(String(r.date)));
  const pick = (k: KpiKey) => byDate.rows.map((r) => r[k]);
  return [
    el('p', { class: 'window' }, `${total.from} to ${total.to} (exclusive), money in the base currency`),
    kpiTiles(total.kpis),
    el('div', { class: 'charts' },
      trendChart('Revenue per day', days, [
        { label: 'Gross', values: pick('gross_revenue'), color: '#1f5fa8' },
        { label: 'Net', values: pick('net_revenue'), color: '#0b7a43' },
      ], (v) => formatMoney(v)),
      trendChart('Orders per day', days, [{ label: 'Orders', values: pick('orders'), color: '#8a3ffc' }], (v) => formatCount(v))),
    section('By channel', table<BreakdownRow>('KPIs by sales channel', [
      { label: 'Channel', value: (r) => humanize(r.channel) },
      { label: 'Orders', value: (r) => formatKpi('orders', r.orders), numeric: true },
      { label: 'Net revenue', value: (r) => formatKpi('net_revenue', r.net_revenue), numeric: true },
      { label: 'AOV', value: (r) => formatKpi('aov', r.aov), numeric: true },
      { label: 'Return rate', value: (r) => formatKpi('return_rate', r.return_rate), numeric: true },
    ], byChannel.rows, 'by-channel')),
  ];
};
