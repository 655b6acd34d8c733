// Executive view: the headline KPIs as tiles, daily trends, and the channel split.
import { api } from '../api-client.js';
import type { BreakdownRow, KpiKey, Kpis } from '../api-types.js';
import { trendChart } from '../charts.js';
import { toEpochSeconds } from '../dates.js';
import { el, section, table } from '../dom.js';
import { formatKpi, formatWindow, humanize } from '../format.js';
import type { ViewDef } from './view.js';

const TILES: readonly [KpiKey, string][] = [
  ['net_revenue', 'Net revenue'], ['orders', 'Orders'], ['aov', 'Average order value'], ['conversion_rate', 'Conversion'],
  ['fulfilment_sla', 'Fulfilment SLA'], ['return_rate', 'Return rate'], ['csat', 'CSAT'], ['inventory_at_risk', 'Inventory at risk'],
];

/**
 * The tiles are a polite live region: when a refresh changes a figure, a screen reader reads that tile (label and
 * value, as each tile is atomic) once the user is idle, and nothing else.
 */
export function kpiTiles(kpis: Kpis): HTMLElement {
  return el('ul', { class: 'tiles', 'aria-label': 'Key figures', 'aria-live': 'polite', 'data-key': 'tiles' }, ...TILES.map(([key, label]) =>
    el('li', { class: 'tile', 'data-kpi': key, 'aria-atomic': 'true' },
      el('span', { class: 'label' }, label), ' ', el('span', { class: 'value' }, formatKpi(key, kpis[key])))));
}

/** Groups without a key and without orders (sessions with no channel, say) say nothing in an orders table. */
export const hasOrders = (key: 'channel' | 'country') => (r: BreakdownRow) => r[key] !== null || (r.orders ?? 0) > 0;

export const executiveView: ViewDef = {
  title: 'Executive',
  filters: ['period', 'channel', 'country', 'category'],
  async render({ query, signal }) {
    const [total, byDate, byChannel] = await Promise.all([
      api.kpis(query, signal), api.breakdown('date', query, signal), api.breakdown('channel', query, signal),
    ]);
    const days = byDate.rows.map((r) => toEpochSeconds(String(r.date)));
    const pick = (k: KpiKey) => byDate.rows.map((r) => r[k]);
    const trends = days.length
      ? el('div', { class: 'charts', 'data-key': 'charts' },
        trendChart('Revenue per day', days, [
          { label: 'Gross', values: pick('gross_revenue'), color: '#1f5fa8' },
          { label: 'Net', values: pick('net_revenue'), color: '#0b7a43' },
        ], (v) => formatKpi('net_revenue', v)),
        trendChart('Orders per day', days, [{ label: 'Orders', values: pick('orders'), color: '#7b2fd6' }], (v) => formatKpi('orders', v)))
      : el('p', { class: 'empty' }, 'No daily figures in this period.');
    return [
      el('p', { class: 'window' }, `${formatWindow(total.from, total.to)} · money in the base currency`),
      kpiTiles(total.kpis),
      trends,
      // The charts' figures as a table (for screen readers and exact values); closed by default to keep the page short.
      el('details', { class: 'daily', 'data-key': 'daily' }, el('summary', {}, 'Daily figures (table)'),
        table<BreakdownRow>('KPIs per day', [
          { label: 'Day', value: (r) => String(r.date) },
          { label: 'Orders', value: (r) => formatKpi('orders', r.orders), numeric: true },
          { label: 'Gross revenue', value: (r) => formatKpi('gross_revenue', r.gross_revenue), numeric: true },
          { label: 'Net revenue', value: (r) => formatKpi('net_revenue', r.net_revenue), numeric: true },
          { label: 'AOV', value: (r) => formatKpi('aov', r.aov), numeric: true },
        ], [...byDate.rows].reverse(), 'by-date')),
      section('By channel', table<BreakdownRow>('KPIs by sales channel', [
        { label: 'Channel', value: (r) => humanize(r.channel) },
        { label: 'Orders', value: (r) => formatKpi('orders', r.orders), numeric: true },
        { label: 'Net revenue', value: (r) => formatKpi('net_revenue', r.net_revenue), numeric: true },
        { label: 'AOV', value: (r) => formatKpi('aov', r.aov), numeric: true },
        { label: 'Conversion', value: (r) => formatKpi('conversion_rate', r.conversion_rate), numeric: true },
        { label: 'Return rate', value: (r) => formatKpi('return_rate', r.return_rate), numeric: true },
      ], byChannel.rows.filter(hasOrders('channel')), 'by-channel')),
    ];
  },
};
