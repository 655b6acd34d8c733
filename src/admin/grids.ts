// The admin console's grids: what each one shows (a SELECT over gold; rejects over the rejects table), which of
// its columns search looks in, and which fields an edit may change and who may make it. Personal identifiers
// come in clear only for roles that may see them (support, admin), joined from silver, the one place the clear
// values live; everyone else sees gold's tokens.
import { getEntity, personalColumns, type EntityContract } from '../contracts/index.js';
import type { Role } from '../auth/roles.js';
import type { Dialect } from '../warehouse/dialect.js';
import { quoteLiteral } from '../warehouse/dialect.js';

export type ColumnType = 'text' | 'number' | 'boolean' | 'time' | 'json';

export interface GridColumn {
  name: string;
  /** SQL for the value, over the grid's FROM. */
  sql: string;
  type: ColumnType;
  /** Free-text search looks in this column. */
  search?: boolean;
}

export interface GridView {
  dialect: Dialect;
  /** Clear personal identifiers (support, admin) or their tokens. */
  personal: boolean;
}

export interface GridDef {
  name: string;
  title: string;
  /** Columns that identify a row (and order ties). */
  key: readonly string[];
  columns(view: GridView): GridColumn[];
  from(view: GridView): string;
  defaultSort: string;
  /** An edit becomes a new version of this entity's record; absent: the grid is not edited by PATCH. */
  edit?: { entity: EntityContract; fields: readonly string[]; roles: readonly Role[] };
}

const READERS: readonly Role[] = ['admin', 'editor', 'analyst', 'support'];
export const GRID_READERS = READERS;

const col = (name: string, sql: string, type: ColumnType, search = false): GridColumn => ({ name, sql, type, search });

const products: GridDef = {
  name: 'products', title: 'Products', key: ['product_id'], defaultSort: 'product_id',
  columns: ({ dialect: d }) => [
    col('product_id', 'p.product_id', 'text', true),
    col('name', 'p.name', 'text', true),
    col('category', 'p.category', 'text', true),
    col('subcategory', 'p.subcategory', 'text', true),
    col('brand', 'p.brand', 'text', true),
    col('unit_price', `CAST(p.unit_price AS ${d.type('number')})`, 'number'),
    col('currency', 'p.currency', 'text'),
    col('unit_cost', `CAST(p.unit_cost AS ${d.type('number')})`, 'number'),
    col('supplier', 'p.supplier', 'text', true),
    col('sustainability_score', 'p.sustainability_score', 'number'),
    col('is_active', 'p.is_active', 'boolean'),
    col('is_inferred', 'p.is_inferred', 'boolean'),
    col('version_from', 'p.valid_from', 'time'),
  ],
  from: () => 'gold.dim_product p WHERE p.is_current',
  edit: {
    entity: getEntity('products')!,
    fields: ['name', 'category', 'subcategory', 'brand', 'unit_price', 'unit_cost', 'currency', 'supplier', 'sustainability_score', 'is_active'],
    roles: ['admin', 'editor'],
  },
};

const customers: GridDef = {
  name: 'customers', title: 'Customers', key: ['customer_id'], defaultSort: 'customer_id',
  columns: ({ personal }) => [
    col('customer_id', 'd.customer_id', 'text', true),
    ...personalColumns(getEntity('customers')!, 'identifier')
      .map((c) => col(c, personal ? `s.${c}` : `d.${c}_token`, 'text', true)),
    col('country', 'd.country', 'text', true),
    col('region', 'd.region', 'text', true),
    col('city', 'd.city', 'text', true),
    col('signup_at', 'd.signup_at', 'time'),
    col('marketing_consent', 'd.marketing_consent', 'boolean'),
    col('is_inferred', 'd.is_inferred', 'boolean'),
    col('version_from', 'd.valid_from', 'time'),
  ],
  from: ({ personal }) => `gold.dim_customer d${personal ? ' LEFT JOIN silver.customers s ON s.customer_id = d.customer_id' : ''} WHERE d.is_current`,
  edit: {
    entity: getEntity('customers')!,
    fields: ['email', 'first_name', 'last_name', 'country', 'region', 'city', 'marketing_consent'],
    // Editing a customer means seeing who it is: the roles that see personal data.
    roles: ['admin', 'support'],
  },
};

const orders: GridDef = {
  name: 'orders', title: 'Orders', key: ['order_id'], defaultSort: '-order_ts',
  columns: ({ dialect: d }) => [
    col('order_id', 'o.order_id', 'text', true),
    col('customer_id', 'o.customer_id', 'text', true),
    col('order_ts', 'o.order_ts', 'time'),
    col('status', 'o.status', 'text', true),
    col('channel', 'o.channel', 'text', true),
    col('country', 'o.country', 'text', true),
    col('currency', 'o.currency', 'text'),
    col('gross_revenue', `CAST(ROUND(o.gross_revenue, 2) AS ${d.type('number')})`, 'number'),
    col('items', 'o.line_count', 'number'),
    col('units', 'o.units', 'number'),
    col('promised_delivery_ts', 'o.promised_delivery_ts', 'time'),
    col('delivered_ts', 'o.last_delivered_ts', 'time'),
    col('delivery_status', 't.delivery_status', 'text', true),
  ],
  from: () => 'gold.fact_order o LEFT JOIN gold.mart_order_tracking t ON t.order_id = o.order_id',
  edit: { entity: getEntity('orders')!, fields: ['status', 'promised_delivery_ts'], roles: ['admin', 'editor', 'support'] },
};

/** The raw record of a rejected customer, with its identifiers hidden from roles that do not see personal data. */
function maskedRaw(d: Dialect): string {
  const customer = getEntity('customers')!;
  const hidden = new Set(personalColumns(customer, 'identifier'));
  const pairs: [string, string][] = Object.keys(customer.columns).map((c) => [c, hidden.has(c)
    ? `CASE WHEN ${d.jsonText('r.raw', c)} IS NULL THEN NULL ELSE ${quoteLiteral('(hidden)')} END`
    : d.jsonText('r.raw', c)]);
  return `CASE WHEN r.entity = 'customers' THEN ${d.jsonObject(pairs)} ELSE r.raw END`;
}

const rejects: GridDef = {
  name: 'rejects', title: 'Rejects', key: ['batch_id', 'line'], defaultSort: '-batch_id',
  columns: ({ dialect, personal }) => [
    col('batch_id', 'r.batch_id', 'number'),
    col('line', 'r.line', 'number'),
    col('entity', 'r.entity', 'text', true),
    col('record_key', 'r.record_key', 'text', true),
    col('rule', 'r.rule', 'text', true),
    col('reason', 'r.reason', 'text', true),
    col('source', 'r.source', 'text', true),
    col('rejected_at', 'r.rejected_at', 'time'),
    col('raw', personal ? 'r.raw' : maskedRaw(dialect), 'json'),
    col('resubmitted_batch_id', 'x.resubmitted_batch_id', 'number'),
    col('resubmission_accepted', 'x.accepted', 'boolean'),
  ],
  from: () => 'silver.rejects r LEFT JOIN app.reject_resubmissions x ON x.batch_id = r.batch_id AND x.line = r.line',
};

export const GRIDS: Record<string, GridDef> = { products, customers, orders, rejects };
export const GRID_NAMES = Object.keys(GRIDS);
