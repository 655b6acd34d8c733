// Product performance: best sellers and how each category does.
import { api } from '../api-client.js';
import type { CategoryRow, TopProduct } from '../api-types.js';
import { section, table } from '../dom.js';
import { formatCount, formatMoney, humanize } from '../format.js';
import type { View } from './view.js';

export const productsView: View = async ({ query, signal }) => {
  const [top, categories] = await Promise.all([api.topProducts(query, 20, signal), api.categories(query, signal)]);
  return [
    section('Top products', table<TopProduct>('Top 20 products by net revenue', [
      { label: 'Product', value: (r) => r.name ?? r.product_id },
      { label: 'Category', value: (r) => humanize(r.category) },
      { label: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
      { label: 'Units', value: (r) => formatCount(r.units), numeric: true },
      { label: 'Net revenue', value: (r) => formatMoney(r.net_revenue), numeric: true },
    ], top.rows, 'top-products')),
    section('Categories', table<CategoryRow>('Category performance', [
      { label: 'Category', value: (r) => humanize(r.category) },
      { label: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
      { label: 'Units', value: (r) => formatCount(r.units), numeric: true },
      { label: 'Gross revenue', value: (r) => formatMoney(r.gross_revenue), numeric: true },
      { label: 'Refunds', value: (r) => formatMoney(r.refunds), numeric: true },
      { label: 'Net revenue', value: (r) => formatMoney(r.net_revenue), numeric: true },
    ], categories.rows, 'categories')),
  ];
};
