// Product performance: best sellers and how each category does.
import { api } from '../api-client.js';
import type { CategoryRow, TopProduct } from '../api-types.js';
import { el, section, table } from '../dom.js';
import { formatCount, formatMoney, formatRatio, formatWindow, humanize } from '../format.js';
import type { ViewDef } from './view.js';

const TOP = 20;

export const productsView: ViewDef = {
  title: 'Product performance',
  filters: ['period'],
  async render({ query, signal }) {
    const [top, categories] = await Promise.all([api.topProducts(query, TOP, signal), api.categories(query, signal)]);
    const totalNet = categories.rows.reduce((sum, r) => sum + r.net_revenue, 0);
    return [
      el('p', { class: 'window' }, `${formatWindow(top.from, top.to)} · money in the base currency`),
      section('Top products', table<TopProduct>(`Top ${TOP} products by net revenue`, [
        { label: 'Product', value: (r) => r.name ?? r.product_id },
        { label: 'Category', value: (r) => humanize(r.category) },
        // The catalogue's price now (an edit in the admin console shows here after the next run).
        { label: 'List price', value: (r) => (r.list_price === null ? formatMoney(null) : `${formatMoney(r.list_price)} ${r.price_currency ?? ''}`.trim()), numeric: true },
        { label: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
        { label: 'Units', value: (r) => formatCount(r.units), numeric: true },
        { label: 'Gross revenue', value: (r) => formatMoney(r.gross_revenue), numeric: true },
        { label: 'Net revenue', value: (r) => formatMoney(r.net_revenue), numeric: true },
      ], top.rows, 'top-products')),
      section('Categories',
        el('p', { class: 'note' }, 'An order that bought from two categories counts in both, so orders do not add up; money does.'),
        table<CategoryRow>('Category performance', [
          { label: 'Category', value: (r) => humanize(r.category) },
          { label: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
          { label: 'Units', value: (r) => formatCount(r.units), numeric: true },
          { label: 'Gross revenue', value: (r) => formatMoney(r.gross_revenue), numeric: true },
          { label: 'Discounts', value: (r) => formatMoney(r.discounts), numeric: true },
          { label: 'Refunds', value: (r) => formatMoney(r.refunds), numeric: true },
          { label: 'Net revenue', value: (r) => formatMoney(r.net_revenue), numeric: true },
          { label: 'Share of net', value: (r) => formatRatio(totalNet > 0 ? r.net_revenue / totalNet : null), numeric: true },
        ], categories.rows, 'categories')),
    ];
  },
};
