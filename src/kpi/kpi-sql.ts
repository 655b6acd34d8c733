// The KPI definitions of kpis.md as one SQL query over gold, for the total or a breakdown.
// Parameters: $1 from, $2 to (half-open dates), $3 channel, $4 country, $5 category (NULL = no filter).
import type { Dialect } from '../warehouse/dialect.js';
import type { Breakdown } from './kpi-keys.js';

interface GroupExprs {
  /** Group of a counted order (or, by category, of an order-category pair). */
  order: string;
  session: string;
  supportCase: string;
}

const GROUPS: Record<Breakdown | 'total', GroupExprs> = {
  total: { order: "'all'", session: "'all'", supportCase: "'all'" },
  date: { order: 'o.order_date', session: 's.session_date', supportCase: 'k.opened_date' },
  channel: { order: 'o.channel', session: 's.channel', supportCase: 'ko.channel' },
  country: { order: 'o.country', session: 'sc.country', supportCase: 'COALESCE(kc.country, ko.country)' },
  // Session and support KPIs ignore category: their one value stands in every category's row.
  category: { order: 'l.category', session: 'NULL', supportCase: 'NULL' },
};

export function kpiSql(by: Breakdown | undefined, dialect: Dialect): string {
  const DOUBLE = dialect.type('number');
  const g = GROUPS[by ?? 'total'];
  const byCategory = by === 'category';
  // Inventory at risk is judged as of `to`: the window's end, or for a daily breakdown each day's end.
  const horizon = by === 'date'
    ? `SELECT CAST(d.date AS DATE) AS grp, CAST(d.date AS DATE) + 1 AS to_date FROM gold.dim_date d, params p WHERE d.date >= p.from_date AND d.date < p.to_date`
    : `SELECT CAST(NULL AS VARCHAR) AS grp, p.to_date FROM params p`;
  const soldGroup = by === 'date' ? 'h.grp' : by === 'channel' ? 'l.channel' : by === 'country' ? 'l.country' : by === 'category' ? 'pr.category' : "'all'";
  return `
WITH params AS (
  SELECT CAST($1 AS DATE) AS from_date, CAST($2 AS DATE) AS to_date,
    CAST($3 AS VARCHAR) AS channel, CAST($4 AS VARCHAR) AS country, CAST($5 AS VARCHAR) AS category
),
products AS (
  SELECT product_id, category, is_active FROM gold.dim_product WHERE is_current
),
window_orders AS (
  SELECT o.* FROM gold.fact_order o, params p
  WHERE o.is_counted AND o.order_date >= p.from_date AND o.order_date < p.to_date
    AND (p.channel IS NULL OR o.channel = p.channel) AND (p.country IS NULL OR o.country = p.country)
),
category_lines AS (
  SELECT l.order_id, l.quantity, l.gross_revenue, l.discounts, pr.category
  FROM gold.fact_order_line l
  JOIN window_orders wo ON wo.order_id = l.order_id
  JOIN products pr ON pr.product_id = l.product_id, params p
  WHERE p.category IS NULL OR pr.category = p.category
),
-- Counted orders with their group; with a category, only orders that bought from it (once per category).
order_groups AS (
  ${byCategory
    ? 'SELECT DISTINCT l.order_id, CAST(l.category AS VARCHAR) AS grp FROM category_lines l'
    : `SELECT o.order_id, CAST(${g.order} AS VARCHAR) AS grp FROM window_orders o, params p
  WHERE p.category IS NULL OR EXISTS (SELECT 1 FROM category_lines l WHERE l.order_id = o.order_id)`}
),
line_totals AS (
  SELECT og.grp, SUM(l.quantity) AS units, SUM(l.gross_revenue) AS gross, SUM(l.discounts) AS discounts
  FROM category_lines l JOIN order_groups og ON og.order_id = l.order_id${byCategory ? ' AND og.grp = l.category' : ''}
  GROUP BY og.grp
),
refund_totals AS (
  SELECT og.grp, SUM(r.refund) AS refunds
  FROM gold.fact_return r
  JOIN order_groups og ON og.order_id = r.order_id
  LEFT JOIN products pr ON pr.product_id = r.product_id, params p
  WHERE ${byCategory ? 'pr.category = og.grp' : '(p.category IS NULL OR pr.category = p.category)'}
  GROUP BY og.grp
),
order_totals AS (
  SELECT og.grp,
    COUNT(*) AS orders,
    COUNT(DISTINCT o.customer_id) AS unique_customers,
    COUNT(o.delivered_on_time) AS sla_orders,
    COUNT(*) FILTER (WHERE o.delivered_on_time) AS sla_met,
    COUNT(*) FILTER (WHERE o.has_shipment) AS shipped_orders,
    COUNT(*) FILTER (WHERE o.has_shipment AND o.has_return) AS returned_orders
  FROM order_groups og JOIN window_orders o ON o.order_id = og.order_id
  GROUP BY og.grp
),
session_totals AS (
  SELECT CAST(${g.session} AS VARCHAR) AS grp, COUNT(*) AS sessions, COUNT(*) FILTER (WHERE s.converted) AS converted
  FROM gold.fact_session s
  LEFT JOIN gold.dim_customer sc ON sc.customer_id = s.customer_id AND sc.is_current, params p
  WHERE s.session_date >= p.from_date AND s.session_date < p.to_date
    AND (p.channel IS NULL OR s.channel = p.channel) AND (p.country IS NULL OR sc.country = p.country)
  GROUP BY 1
),
case_totals AS (
  SELECT CAST(${g.supportCase} AS VARCHAR) AS grp, COUNT(k.csat_score) AS scored, COUNT(*) FILTER (WHERE k.satisfied) AS satisfied
  FROM gold.fact_support_case k
  LEFT JOIN gold.fact_order ko ON ko.order_id = k.order_id
  LEFT JOIN gold.dim_customer kc ON kc.customer_id = k.customer_id AND kc.is_current, params p
  WHERE k.opened_date >= p.from_date AND k.opened_date < p.to_date
    AND (p.channel IS NULL OR ko.channel = p.channel) AND (p.country IS NULL OR COALESCE(kc.country, ko.country) = p.country)
  GROUP BY 1
),
horizon AS (${horizon}),
stock AS (
  SELECT h.to_date, s.product_id, SUM(s.on_hand) AS on_hand
  FROM horizon h JOIN gold.fact_inventory_snapshot s
    ON s.snapshot_ts < h.to_date AND (s.next_snapshot_ts IS NULL OR s.next_snapshot_ts >= h.to_date)
  GROUP BY h.to_date, s.product_id
),
sold AS (
  SELECT CAST(${soldGroup} AS VARCHAR) AS grp, h.to_date, l.product_id, SUM(l.quantity) AS units
  FROM horizon h
  JOIN gold.fact_order_line l ON l.order_date >= h.to_date - 28 AND l.order_date < h.to_date
  JOIN products pr ON pr.product_id = l.product_id, params p
  WHERE l.is_counted AND pr.is_active
    AND (p.channel IS NULL OR l.channel = p.channel) AND (p.country IS NULL OR l.country = p.country)
    AND (p.category IS NULL OR pr.category = p.category)
  GROUP BY 1, 2, 3
),
risk_totals AS (
  SELECT so.grp, COUNT(*) FILTER (WHERE COALESCE(st.on_hand, 0) * 28 < 7 * so.units) AS at_risk
  FROM sold so
  LEFT JOIN stock st ON st.product_id = so.product_id AND st.to_date = so.to_date
  WHERE so.units > 0
  GROUP BY so.grp
),
groups AS (
  SELECT grp FROM order_totals
  ${byCategory ? '' : 'UNION SELECT grp FROM session_totals UNION SELECT grp FROM case_totals'}
  UNION SELECT grp FROM risk_totals
  ${by ? '' : "UNION SELECT 'all'"}
)
SELECT
  g.grp AS grp,
  COALESCE(ot.orders, 0) AS orders,
  COALESCE(lt.units, 0) AS units,
  CAST(ROUND(COALESCE(lt.gross, 0), 2) AS ${DOUBLE}) AS gross_revenue,
  CAST(ROUND(COALESCE(lt.discounts, 0), 2) AS ${DOUBLE}) AS discounts,
  CAST(ROUND(COALESCE(rt.refunds, 0), 2) AS ${DOUBLE}) AS refunds,
  CAST(ROUND(COALESCE(lt.gross, 0) - COALESCE(lt.discounts, 0) - COALESCE(rt.refunds, 0), 2) AS ${DOUBLE}) AS net_revenue,
  CASE WHEN ot.orders > 0 THEN CAST(ROUND((COALESCE(lt.gross, 0) - COALESCE(lt.discounts, 0)) / ot.orders, 2) AS ${DOUBLE}) END AS aov,
  COALESCE(ot.unique_customers, 0) AS unique_customers,
  CASE WHEN st.sessions > 0 THEN CAST(st.converted AS ${DOUBLE}) / st.sessions END AS conversion_rate,
  CASE WHEN ot.sla_orders > 0 THEN CAST(ot.sla_met AS ${DOUBLE}) / ot.sla_orders END AS fulfilment_sla,
  CASE WHEN ot.shipped_orders > 0 THEN CAST(ot.returned_orders AS ${DOUBLE}) / ot.shipped_orders END AS return_rate,
  CASE WHEN ct.scored > 0 THEN CAST(ct.satisfied AS ${DOUBLE}) / ct.scored END AS csat,
  COALESCE(rk.at_risk, 0) AS inventory_at_risk
FROM groups g
LEFT JOIN order_totals ot ON ot.grp IS NOT DISTINCT FROM g.grp
LEFT JOIN line_totals lt ON lt.grp IS NOT DISTINCT FROM g.grp
LEFT JOIN refund_totals rt ON rt.grp IS NOT DISTINCT FROM g.grp
LEFT JOIN session_totals st ON ${byCategory ? 'TRUE' : 'st.grp IS NOT DISTINCT FROM g.grp'}
LEFT JOIN case_totals ct ON ${byCategory ? 'TRUE' : 'ct.grp IS NOT DISTINCT FROM g.grp'}
LEFT JOIN risk_totals rk ON rk.grp IS NOT DISTINCT FROM g.grp
ORDER BY g.grp`;
}
