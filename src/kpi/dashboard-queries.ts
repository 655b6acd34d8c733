// The dashboard's views beyond the KPI tiles, each one SELECT over gold (no business logic here).
import type { Warehouse } from '../warehouse/engine.js';
import { resolveWindow } from './kpi-service.js';

interface Window { from?: string; to?: string }
type Rows = Record<string, unknown>[];

export async function topProducts(wh: Warehouse, w: Window & { limit?: number }) {
  const { from, to } = await resolveWindow(wh, w);
  const limit = Math.min(Math.max(Math.floor(w.limit ?? 10), 1), 100);
  const DOUBLE = wh.dialect.type('number');
  const rows = await wh.read<Rows[number]>(`
    WITH sales AS (
      SELECT l.product_id, COUNT(DISTINCT l.order_id) AS orders, SUM(l.quantity) AS units,
        SUM(l.gross_revenue) AS gross, SUM(l.discounts) AS discounts
      FROM gold.fact_order_line l
      WHERE l.is_counted AND l.order_date >= CAST($1 AS DATE) AND l.order_date < CAST($2 AS DATE)
      GROUP BY l.product_id
    ),
    refunds AS (
      SELECT r.product_id, SUM(r.refund) AS refunds
      FROM gold.fact_return r
      WHERE r.is_counted AND r.order_date >= CAST($1 AS DATE) AND r.order_date < CAST($2 AS DATE)
      GROUP BY r.product_id
    )
    SELECT s.product_id, p.name, p.category, CAST(p.unit_price AS ${DOUBLE}) AS list_price, p.currency AS price_currency, s.orders, s.units,
      CAST(ROUND(s.gross, 2) AS ${DOUBLE}) AS gross_revenue,
      CAST(ROUND(s.gross - s.discounts - COALESCE(r.refunds, 0), 2) AS ${DOUBLE}) AS net_revenue
    FROM sales s
    JOIN gold.dim_product p ON p.product_id = s.product_id AND p.is_current
    LEFT JOIN refunds r ON r.product_id = s.product_id
    ORDER BY net_revenue DESC, s.product_id
    LIMIT ${limit}`, [from, to]);
  return { from, to, rows };
}

export async function categories(wh: Warehouse, w: Window) {
  const { from, to } = await resolveWindow(wh, w);
  const DOUBLE = wh.dialect.type('number');
  const rows = await wh.read(`
    SELECT category, SUM(orders) AS orders, SUM(units) AS units,
      CAST(ROUND(SUM(gross_revenue), 2) AS ${DOUBLE}) AS gross_revenue,
      CAST(ROUND(SUM(discounts), 2) AS ${DOUBLE}) AS discounts,
      CAST(ROUND(SUM(refunds), 2) AS ${DOUBLE}) AS refunds,
      CAST(ROUND(SUM(gross_revenue - discounts - refunds), 2) AS ${DOUBLE}) AS net_revenue
    FROM gold.mart_category_daily
    WHERE order_date >= CAST($1 AS DATE) AND order_date < CAST($2 AS DATE)
    GROUP BY category
    ORDER BY net_revenue DESC, category`, [from, to]);
  return { from, to, rows };
}

/**
 * Customer segments (kpis.md): customers ranked by lifetime value, Platinum the top 5 %, Gold the next 15 %,
 * Silver the next 30 %, Bronze the rest (ties broken by customer id). Ranked here, over the lifetime mart.
 */
export async function customerSegments(wh: Warehouse) {
  const DOUBLE = wh.dialect.type('number');
  const rows = await wh.read(`
    WITH ranked AS (
      SELECT l.orders, l.lifetime_value,
        row_number() OVER (ORDER BY l.lifetime_value DESC, l.customer_id) AS value_rank,
        COUNT(*) OVER () AS customers
      FROM gold.mart_customer_ltv l
    ),
    segmented AS (
      SELECT r.*, CASE
        WHEN r.value_rank - 1 < 0.05 * r.customers THEN 'Platinum'
        WHEN r.value_rank - 1 < 0.20 * r.customers THEN 'Gold'
        WHEN r.value_rank - 1 < 0.50 * r.customers THEN 'Silver'
        ELSE 'Bronze'
      END AS segment
      FROM ranked r
    )
    SELECT segment, COUNT(*) AS customers, SUM(orders) AS orders,
      CAST(ROUND(SUM(lifetime_value), 2) AS ${DOUBLE}) AS lifetime_value,
      CAST(ROUND(AVG(lifetime_value), 2) AS ${DOUBLE}) AS avg_lifetime_value
    FROM segmented
    GROUP BY segment
    ORDER BY MIN(value_rank)`);
  return { rows };
}

export async function funnel(wh: Warehouse, w: Window & { channel?: string }) {
  const { from, to } = await resolveWindow(wh, w);
  const [row] = await wh.read<Record<string, number | null>>(`
    SELECT SUM(sessions) AS sessions, SUM(viewed_product) AS viewed_product, SUM(added_to_cart) AS added_to_cart,
      SUM(started_checkout) AS started_checkout, SUM(converted) AS converted
    FROM gold.mart_funnel_daily
    WHERE session_date >= CAST($1 AS DATE) AND session_date < CAST($2 AS DATE)
      AND (CAST($3 AS VARCHAR) IS NULL OR channel = $3)`, [from, to, w.channel ?? null]);
  const steps = ['sessions', 'viewed_product', 'added_to_cart', 'started_checkout', 'converted']
    .map((step) => ({ step, sessions: Number(row?.[step] ?? 0) }));
  return { from, to, steps };
}

export async function fulfilment(wh: Warehouse, w: Window) {
  const { from, to } = await resolveWindow(wh, w);
  const DOUBLE = wh.dialect.type('number');
  const rows = await wh.read(`
    SELECT carrier, COUNT(*) AS shipments,
      COUNT(*) FILTER (WHERE status = 'delivered') AS delivered,
      COUNT(*) FILTER (WHERE on_time) AS on_time,
      COUNT(*) FILTER (WHERE on_time = FALSE) AS late,
      COUNT(*) FILTER (WHERE status = 'lost') AS lost,
      CASE WHEN COUNT(on_time) > 0 THEN CAST(COUNT(*) FILTER (WHERE on_time) AS ${DOUBLE}) / COUNT(on_time) END AS on_time_rate,
      CAST(ROUND(CAST(AVG(transit_hours) AS NUMERIC), 1) AS ${DOUBLE}) AS avg_transit_hours
    FROM gold.fact_shipment
    WHERE is_counted AND order_date >= CAST($1 AS DATE) AND order_date < CAST($2 AS DATE)
    GROUP BY carrier
    ORDER BY shipments DESC, carrier`, [from, to]);
  return { from, to, rows };
}
