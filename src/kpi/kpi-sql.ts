// The KPI definitions of kpis.md as one SQL query over gold, for the total or a breakdown.
// Additive measures are summed from the daily marts (a few thousand rows, whatever the size of the facts), those
// of a category from the category mart, CSAT from the case mart; distinct customers from the marts of customers
// per day, per category and per channel or country, and inventory at risk from the stock cover mart (per product
// and day). The facts are read only for what those marts do not hold: distinct customers over some days of a
// window, and units sold in a channel or country. Each filter is a plain predicate on a parameter, present only
// when asked for, so the planner sees the real values (a `$3 IS NULL OR channel = $3` hides them and, on
// PostgreSQL, made it choose nested loops over a million rows).
import type { Dialect } from '../warehouse/dialect.js';
import type { Breakdown, KpiFilters } from './kpi-keys.js';

export interface KpiQuery {
  sql: string;
  params: unknown[];
}

export interface KpiQueryRequest extends KpiFilters {
  from: string;
  to: string;
  by?: Breakdown;
  /** The window holds every day with data, so all-time marts answer what does not add up over days. */
  allData?: boolean;
  /** The last day of the stock cover mart (its last day with sales); later days read the units per day. */
  coverUntil?: string | null;
}

/** Numbered parameters, each value bound once however often the SQL refers to it. */
class Params {
  readonly values: unknown[] = [];
  private readonly refs = new Map<string, string>();

  ref(name: string, value: unknown, type: string): string {
    let ref = this.refs.get(name);
    if (!ref) {
      this.values.push(value);
      ref = `CAST($${this.values.length} AS ${type})`;
      this.refs.set(name, ref);
    }
    return ref;
  }
}

/** How a request reads: its window, its filters as SQL over a given alias, and its group expressions. */
class Request {
  readonly p = new Params();
  readonly from: string;
  readonly to: string;

  constructor(readonly q: KpiQueryRequest) {
    this.from = this.p.ref('from', q.from, 'DATE');
    this.to = this.p.ref('to', q.to, 'DATE');
  }

  get byCategory(): boolean {
    return this.q.by === 'category';
  }

  /** Orders are counted per category (an order in each category it bought from). */
  get lineGrain(): boolean {
    return this.byCategory || this.q.category !== undefined;
  }

  inWindow(column: string): string {
    return `${column} >= ${this.from} AND ${column} < ${this.to}`;
  }

  filter(kind: 'channel' | 'country' | 'category', expr: string): string {
    const value = this.q[kind];
    return value === undefined ? '' : ` AND ${expr} = ${this.p.ref(kind, value, 'VARCHAR')}`;
  }

  /** The group of a row, as text; `exprs` names the row's date, channel and country columns. */
  group(exprs: { date: string; channel: string; country: string; category?: string }): string {
    switch (this.q.by) {
      case undefined: return "CAST('all' AS VARCHAR)";
      case 'date': return `CAST(${exprs.date} AS VARCHAR)`;
      case 'channel': return `CAST(${exprs.channel} AS VARCHAR)`;
      case 'country': return `CAST(${exprs.country} AS VARCHAR)`;
      // Session and support KPIs ignore category: their one value stands in every category's row.
      case 'category': return exprs.category ? `CAST(${exprs.category} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
    }
  }
}

/**
 * Orders, money and order flags of counted orders; one row per group. With a category (a filter or the
 * breakdown) they come from the category mart, where an order counts once in each category it bought from.
 */
function orderMeasures(r: Request): string {
  const mart = r.lineGrain ? 'gold.mart_category_daily' : 'gold.mart_daily_revenue';
  const grp = r.group({ date: 'm.order_date', channel: 'm.channel', country: 'm.country', category: 'm.category' });
  const where = `${r.inWindow('m.order_date')}${r.filter('channel', 'm.channel')}${r.filter('country', 'm.country')}${r.filter('category', 'm.category')}`;
  return `
order_totals AS (
  SELECT ${grp} AS grp, SUM(m.orders) AS orders, SUM(m.units) AS units, SUM(m.gross_revenue) AS gross,
    SUM(m.discounts) AS discounts, SUM(m.refunds) AS refunds, SUM(m.sla_orders) AS sla_orders, SUM(m.sla_met) AS sla_met,
    SUM(m.shipped_orders) AS shipped_orders, SUM(m.returned_orders) AS returned_orders
  FROM ${mart} m
  WHERE ${where}
  GROUP BY 1
),
${customerMeasures(r)}`;
}

/**
 * Distinct customers do not add up over days or groups. Over all data with no filter they are the customers of
 * the lifetime-value mart (one row per customer with a counted order), per category those of the category
 * customers mart, and per channel or country those of the group customers mart; per day, those of the daily
 * customers mart. Otherwise, with a category, the customers of the category's order lines (each line carries its
 * order's customer, so no order is looked up), and without one those of the orders.
 */
function customerMeasures(r: Request): string {
  const allData = r.q.allData && r.q.channel === undefined && r.q.country === undefined;
  if (allData && !r.q.by && r.q.category === undefined) {
    return `
customer_totals AS (
  SELECT CAST('all' AS VARCHAR) AS grp, COUNT(*) AS unique_customers FROM gold.mart_customer_ltv
),`;
  }
  if (allData && (r.q.by === undefined || r.byCategory)) {
    return `
customer_totals AS (
  SELECT ${r.group({ date: '', channel: '', country: '', category: 'c.category' })} AS grp, COUNT(*) AS unique_customers
  FROM gold.mart_category_customers c
  WHERE TRUE${r.filter('category', 'c.category')}
  GROUP BY 1
),`;
  }
  const byChannel = r.q.by === 'channel' || r.q.channel !== undefined;
  const byCountry = r.q.by === 'country' || r.q.country !== undefined;
  if (r.q.allData && !r.lineGrain && r.q.by !== 'date' && (byChannel || byCountry)) {
    return `
customer_totals AS (
  SELECT ${r.group({ date: '', channel: 'c.channel', country: 'c.country' })} AS grp, COUNT(*) AS unique_customers
  FROM gold.mart_group_customers c
  WHERE ${byChannel ? 'NOT ' : ''}c.all_channels AND ${byCountry ? 'NOT ' : ''}c.all_countries${r.filter('channel', 'c.channel')}${r.filter('country', 'c.country')}
  GROUP BY 1
),`;
  }
  if (r.q.by === 'date' && !r.lineGrain) {
    // Which of the mart's groupings: over all channels unless a channel is asked for, likewise countries.
    const channel = r.q.channel === undefined ? 'c.all_channels' : `NOT c.all_channels${r.filter('channel', 'c.channel')}`;
    const country = r.q.country === undefined ? 'c.all_countries' : `NOT c.all_countries${r.filter('country', 'c.country')}`;
    return `
customer_totals AS (
  SELECT CAST(c.order_date AS VARCHAR) AS grp, c.customers AS unique_customers
  FROM gold.mart_daily_customers c
  WHERE ${r.inWindow('c.order_date')} AND ${channel} AND ${country}
),`;
  }
  const a = r.lineGrain ? 'l' : 'o';
  const grp = r.group({ date: `${a}.order_date`, channel: `${a}.channel`, country: `${a}.country`, category: 'pr.category' });
  const where = `${a}.is_counted AND ${r.inWindow(`${a}.order_date`)}${r.filter('channel', `${a}.channel`)}${r.filter('country', `${a}.country`)}`;
  const source = r.lineGrain
    ? `gold.fact_order_line l JOIN products pr ON pr.product_id = l.product_id WHERE ${where}${r.filter('category', 'pr.category')}`
    : `gold.fact_order o WHERE ${where}`;
  return `
customer_totals AS (
  SELECT c.grp, COUNT(*) AS unique_customers
  FROM (SELECT DISTINCT ${grp} AS grp, ${a}.customer_id FROM ${source}) c
  GROUP BY c.grp
),`;
}

/** Sessions and conversions from the funnel mart (its country is the customer's). */
function sessionMeasures(r: Request): string {
  return `
session_totals AS (
  SELECT ${r.group({ date: 's.session_date', channel: 's.channel', country: 's.country' })} AS grp,
    SUM(s.sessions) AS sessions, SUM(s.converted) AS converted
  FROM gold.mart_funnel_daily s
  WHERE ${r.inWindow('s.session_date')}${r.filter('channel', 's.channel')}${r.filter('country', 's.country')}
  GROUP BY 1
),`;
}

/** CSAT of cases opened in the window, from the case mart (a case's channel is its order's; its country its
 * customer's, else its order's). */
function caseMeasures(r: Request): string {
  return `
case_totals AS (
  SELECT ${r.group({ date: 'k.opened_date', channel: 'k.channel', country: 'k.country' })} AS grp,
    SUM(k.scored) AS scored, SUM(k.satisfied) AS satisfied
  FROM gold.mart_case_daily k
  WHERE ${r.inWindow('k.opened_date')}${r.filter('channel', 'k.channel')}${r.filter('country', 'k.country')}
  GROUP BY 1
),`;
}

/** Inventory at risk as of the window's end `to`: stock then, against the units sold over the 28 days before. */
function riskMeasures(r: Request): string {
  if (!needsLines(r) && coverReaches(r)) return coverRiskMeasures(r);
  if (r.q.by === 'date') return dailyRiskMeasures(r);
  return `
stock AS (
  SELECT s.product_id, SUM(s.on_hand) AS on_hand
  FROM gold.fact_inventory_snapshot s
  WHERE s.snapshot_ts < ${r.to} AND (s.next_snapshot_ts IS NULL OR s.next_snapshot_ts >= ${r.to})
  GROUP BY s.product_id
),
sold AS (
  SELECT ${r.group({ date: '', channel: 'l.channel', country: 'l.country', category: 'pr.category' })} AS grp, l.product_id, SUM(${units(r)}) AS units
  FROM ${unitsSource(r)}
  WHERE pr.is_active AND l.order_date >= ${r.to} - 28 AND l.order_date < ${r.to}${lineFilters(r)}
  GROUP BY 1, 2
),
risk_totals AS (
  SELECT so.grp, COUNT(*) FILTER (WHERE COALESCE(st.on_hand, 0) * 28 < 7 * so.units) AS at_risk
  FROM sold so
  LEFT JOIN stock st ON st.product_id = so.product_id
  WHERE so.units > 0
  GROUP BY so.grp
),`;
}

/**
 * Inventory at risk from the stock cover mart: as of `to`, the cover at the end of day `to - 1`; by date, as of
 * each day's end. A product without a row on a day sold nothing in its 28 days, so it is not at risk. Past the
 * mart's last day (a window reaching beyond the data), and in a channel or country, the query below computes it
 * from the units per day.
 */
function coverRiskMeasures(r: Request): string {
  const days = r.q.by === 'date' ? r.inWindow('c.day') : `c.day = ${r.to} - 1`;
  const grp = r.group({ date: 'c.day', channel: '', country: '', category: 'pr.category' });
  return `
risk_totals AS (
  SELECT ${grp} AS grp, COUNT(*) FILTER (WHERE c.on_hand * 28 < 7 * c.units_28d) AS at_risk
  FROM gold.mart_stock_cover_daily c
  JOIN products pr ON pr.product_id = c.product_id AND pr.is_active
  WHERE ${days}${r.filter('category', 'pr.category')}
  GROUP BY 1
),`;
}

/** Only the order lines carry a channel and a country. */
const needsLines = (r: Request) =>
  r.q.channel !== undefined || r.q.country !== undefined || r.q.by === 'channel' || r.q.by === 'country';

/** The window ends on or before the day after the stock cover mart's last day (ISO dates compare as text). */
function coverReaches(r: Request): boolean {
  if (!r.q.coverUntil) return false;
  const next = new Date(`${r.q.coverUntil}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return r.q.to <= next.toISOString().slice(0, 10);
}

/** Units sold as `l`, with their product as `pr`: counted order lines, or the product mart's days. */
const unitsSource = (r: Request) => needsLines(r)
  ? 'gold.fact_order_line l JOIN products pr ON pr.product_id = l.product_id AND l.is_counted'
  : 'gold.mart_product_daily l JOIN products pr ON pr.product_id = l.product_id';
const units = (r: Request) => (needsLines(r) ? 'l.quantity' : 'l.units');

const lineFilters = (r: Request) => `${r.filter('channel', 'l.channel')}${r.filter('country', 'l.country')}${r.filter('category', 'pr.category')}`;

/**
 * Inventory at risk as of each day's end. Rather than joining every day to 28 days of lines and to the snapshots
 * valid then (a range join that grows with days × rows), one dense row per product and day carries a rolling
 * 28-day sum of units and a running sum of stock moves (a snapshot moves its product's stock by the difference
 * to its warehouse's previous one), both window functions over a few thousand rows per day.
 */
function dailyRiskMeasures(r: Request): string {
  const first = `${r.from} - 27`;
  return `
risk_days AS (
  SELECT CAST(t.day AS DATE) AS day
  FROM generate_series(CAST(${first} AS TIMESTAMP), CAST(${r.to} - 1 AS TIMESTAMP), INTERVAL '1 day') AS t(day)
),
daily_units AS (
  SELECT l.product_id, l.order_date AS day, SUM(${units(r)}) AS units
  FROM ${unitsSource(r)}
  WHERE pr.is_active AND l.order_date >= ${first} AND l.order_date < ${r.to}${lineFilters(r)}
  GROUP BY 1, 2
),
sold_products AS (SELECT DISTINCT product_id FROM daily_units),
stock_moves AS (
  SELECT m.product_id, CASE WHEN m.snapshot_date < ${first} THEN ${first} ELSE m.snapshot_date END AS day, SUM(m.delta) AS delta
  FROM (
    SELECT s.product_id, s.snapshot_date,
      s.on_hand - COALESCE(LAG(s.on_hand) OVER (PARTITION BY s.product_id, s.warehouse ORDER BY s.snapshot_ts), 0) AS delta
    FROM gold.fact_inventory_snapshot s
    JOIN sold_products sp ON sp.product_id = s.product_id
    WHERE s.snapshot_date < ${r.to}
  ) m
  GROUP BY 1, 2
),
risk_daily AS (
  SELECT p.product_id, d.day,
    SUM(COALESCE(u.units, 0)) OVER (PARTITION BY p.product_id ORDER BY d.day ROWS BETWEEN 27 PRECEDING AND CURRENT ROW) AS units_28d,
    SUM(COALESCE(m.delta, 0)) OVER (PARTITION BY p.product_id ORDER BY d.day ROWS UNBOUNDED PRECEDING) AS on_hand
  FROM sold_products p
  CROSS JOIN risk_days d
  LEFT JOIN daily_units u ON u.product_id = p.product_id AND u.day = d.day
  LEFT JOIN stock_moves m ON m.product_id = p.product_id AND m.day = d.day
),
risk_totals AS (
  SELECT CAST(rd.day AS VARCHAR) AS grp, COUNT(*) FILTER (WHERE rd.on_hand * 28 < 7 * rd.units_28d) AS at_risk
  FROM risk_daily rd
  WHERE rd.day >= ${r.from} AND rd.units_28d > 0
  GROUP BY rd.day
),`;
}

export function kpiQuery(q: KpiQueryRequest, dialect: Dialect): KpiQuery {
  const DOUBLE = dialect.type('number');
  const r = new Request(q);
  const groupJoin = (alias: string) => (r.byCategory ? 'TRUE' : `${alias}.grp IS NOT DISTINCT FROM g.grp`);
  const sql = `
WITH products AS (
  SELECT product_id, category, is_active FROM gold.dim_product WHERE is_current
),${orderMeasures(r)}${sessionMeasures(r)}${caseMeasures(r)}${riskMeasures(r)}
groups AS (
  SELECT grp FROM order_totals
  ${r.byCategory ? '' : 'UNION SELECT grp FROM session_totals UNION SELECT grp FROM case_totals'}
  UNION SELECT grp FROM risk_totals
  ${q.by ? '' : "UNION SELECT 'all'"}
)
SELECT
  g.grp AS grp,
  COALESCE(ot.orders, 0) AS orders,
  COALESCE(ot.units, 0) AS units,
  CAST(ROUND(COALESCE(ot.gross, 0), 2) AS ${DOUBLE}) AS gross_revenue,
  CAST(ROUND(COALESCE(ot.discounts, 0), 2) AS ${DOUBLE}) AS discounts,
  CAST(ROUND(COALESCE(ot.refunds, 0), 2) AS ${DOUBLE}) AS refunds,
  CAST(ROUND(COALESCE(ot.gross, 0) - COALESCE(ot.discounts, 0) - COALESCE(ot.refunds, 0), 2) AS ${DOUBLE}) AS net_revenue,
  CASE WHEN ot.orders > 0 THEN CAST(ROUND((COALESCE(ot.gross, 0) - COALESCE(ot.discounts, 0)) / ot.orders, 2) AS ${DOUBLE}) END AS aov,
  COALESCE(ct.unique_customers, 0) AS unique_customers,
  CASE WHEN st.sessions > 0 THEN CAST(st.converted AS ${DOUBLE}) / st.sessions END AS conversion_rate,
  CASE WHEN ot.sla_orders > 0 THEN CAST(ot.sla_met AS ${DOUBLE}) / ot.sla_orders END AS fulfilment_sla,
  CASE WHEN ot.shipped_orders > 0 THEN CAST(ot.returned_orders AS ${DOUBLE}) / ot.shipped_orders END AS return_rate,
  CASE WHEN kt.scored > 0 THEN CAST(kt.satisfied AS ${DOUBLE}) / kt.scored END AS csat,
  COALESCE(rk.at_risk, 0) AS inventory_at_risk
FROM groups g
LEFT JOIN order_totals ot ON ot.grp IS NOT DISTINCT FROM g.grp
LEFT JOIN customer_totals ct ON ct.grp IS NOT DISTINCT FROM g.grp
LEFT JOIN session_totals st ON ${groupJoin('st')}
LEFT JOIN case_totals kt ON ${groupJoin('kt')}
LEFT JOIN risk_totals rk ON rk.grp IS NOT DISTINCT FROM g.grp
ORDER BY g.grp`;
  return { sql, params: r.p.values };
}
