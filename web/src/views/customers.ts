// Customer analytics: lifetime-value segments and where customers buy from.
import { api } from '../api-client.js';
import type { BreakdownRow, SegmentRow } from '../api-types.js';
import { section, table } from '../dom.js';
import { formatCount, formatKpi, formatMoney } from '../format.js';
import type { View } from './view.js';

export const customersView: View = async ({ query, signal }) => {
  const [segments, byCountry] = await Promise.all([api.segments(signal), api.breakdown('country', query, signal)]);
  return [
    section('Segments by lifetime value', table<SegmentRow>('Customer segments (Platinum: top 5 %, Gold: next 15 %, Silver: next 30 %, Bronze: the rest)', [
      { label: 'Segment', value: (r) => r.segment },
      { label: 'Customers', value: (r) => formatCount(r.customers), numeric: true },
      { label: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
      { label: 'Lifetime value', value: (r) => formatMoney(r.lifetime_value), numeric: true },
      { label: 'Average LTV', value: (r) => formatMoney(r.avg_lifetime_value), numeric: true },
    ], segments.rows, 'segments')),
    section('By country', table<BreakdownRow>('KPIs by customer country', [
      { label: 'Country', value: (r) => r.country ?? '(unknown)' },
      { label: 'Customers', value: (r) => formatKpi('unique_customers', r.unique_customers), numeric: true },
      { label: 'Orders', value: (r) => formatKpi('orders', r.orders), numeric: true },
      { label: 'Net revenue', value: (r) => formatKpi('net_revenue', r.net_revenue), numeric: true },
      { label: 'AOV', value: (r) => formatKpi('aov', r.aov), numeric: true },
    ], byCountry.rows, 'by-country')),
  ];
};
