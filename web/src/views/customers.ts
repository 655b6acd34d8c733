// Customer analytics: lifetime-value segments and where customers buy from.
import { api } from '../api-client.js';
import type { BreakdownRow, SegmentRow } from '../api-types.js';
import { el, section, table } from '../dom.js';
import { formatCount, formatKpi, formatMoney, formatRatio, formatWindow } from '../format.js';
import { hasOrders } from './executive.js';
import type { ViewDef } from './view.js';

export const customersView: ViewDef = {
  title: 'Customer analytics',
  filters: ['period', 'channel', 'country', 'category'],
  async render({ query, signal }) {
    const [segments, byCountry] = await Promise.all([api.segments(signal), api.breakdown('country', query, signal)]);
    const totalValue = segments.rows.reduce((sum, r) => sum + r.lifetime_value, 0);
    return [
      section('Segments by lifetime value',
        // Segments rank every customer over their whole history, so the filters above do not change them.
        el('p', { class: 'note' }, 'Customers ranked by lifetime value over their whole history: Platinum the top 5 %, '
          + 'Gold the next 15 %, Silver the next 30 %, Bronze the rest. The filters do not apply to segments.'),
        table<SegmentRow>('Customer segments', [
          { label: 'Segment', value: (r) => r.segment },
          { label: 'Customers', value: (r) => formatCount(r.customers), numeric: true },
          { label: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
          { label: 'Lifetime value', value: (r) => formatMoney(r.lifetime_value), numeric: true },
          { label: 'Share of value', value: (r) => formatRatio(totalValue > 0 ? r.lifetime_value / totalValue : null), numeric: true },
          { label: 'Average LTV', value: (r) => formatMoney(r.avg_lifetime_value), numeric: true },
        ], segments.rows, 'segments')),
      section('By country',
        el('p', { class: 'note' }, formatWindow(byCountry.from, byCountry.to)),
        table<BreakdownRow>('KPIs by customer country', [
          { label: 'Country', value: (r) => r.country ?? '(unknown)' },
          { label: 'Customers', value: (r) => formatKpi('unique_customers', r.unique_customers), numeric: true },
          { label: 'Orders', value: (r) => formatKpi('orders', r.orders), numeric: true },
          { label: 'Net revenue', value: (r) => formatKpi('net_revenue', r.net_revenue), numeric: true },
          { label: 'AOV', value: (r) => formatKpi('aov', r.aov), numeric: true },
          { label: 'Return rate', value: (r) => formatKpi('return_rate', r.return_rate), numeric: true },
        ], byCountry.rows.filter(hasOrders('country')), 'by-country')),
    ];
  },
};
