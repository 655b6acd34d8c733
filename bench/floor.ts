// The floor: the total KPIs that do not need sessions, shipments or stock (orders, units, gross revenue,
// discounts, refunds, net revenue, AOV, unique customers), as one hand-written DuckDB query straight over the
// Parquet files of a clean data set. Nothing is validated or kept: this is the least work any tool must do.
//
//   node --import tsx bench/floor.ts DIR      (prints the KPIs as JSON)
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const FLOOR_KPIS = ['orders', 'units', 'gross_revenue', 'discounts', 'refunds', 'net_revenue', 'aov', 'unique_customers'] as const;

export function floorSql(dir: string): string {
  const file = (entity: string) => `read_parquet('${join(dir, `${entity}.parquet`).replace(/'/g, "''")}')`;
  return `
WITH counted AS (
  SELECT order_id, customer_id, currency, CAST(CAST(order_ts AS TIMESTAMPTZ) AS DATE) AS order_date
  FROM ${file('orders')} WHERE status <> 'cancelled'
), fx AS (
  SELECT currency, CAST(rate_date AS DATE) AS rate_date, CAST(rate_to_base AS DECIMAL(18, 10)) AS rate FROM ${file('fx_rates')}
), priced AS (
  SELECT c.order_id, c.customer_id, fx.rate FROM counted c ASOF JOIN fx ON c.currency = fx.currency AND c.order_date >= fx.rate_date
), lines AS (
  SELECT p.order_id, SUM(CAST(i.quantity AS BIGINT)) AS units,
         SUM(CAST(i.quantity AS BIGINT) * CAST(i.unit_price AS DECIMAL(18, 2)) * p.rate) AS gross,
         SUM(CAST(COALESCE(i.discount_amount, '0') AS DECIMAL(18, 2)) * p.rate) AS discounts
  FROM ${file('order_items')} i JOIN priced p USING (order_id) GROUP BY p.order_id
), refunds AS (
  SELECT p.order_id, SUM(CAST(r.refund_amount AS DECIMAL(18, 2)) * p.rate) AS refunds
  FROM ${file('returns')} r JOIN priced p USING (order_id) GROUP BY p.order_id
)
SELECT COUNT(*) AS orders, SUM(l.units) AS units, ROUND(SUM(l.gross), 2) AS gross_revenue, ROUND(SUM(l.discounts), 2) AS discounts,
       ROUND(COALESCE(SUM(r.refunds), 0), 2) AS refunds,
       ROUND(SUM(l.gross) - SUM(l.discounts) - COALESCE(SUM(r.refunds), 0), 2) AS net_revenue,
       ROUND((SUM(l.gross) - SUM(l.discounts)) / COUNT(*), 2) AS aov,
       COUNT(DISTINCT p.customer_id) AS unique_customers
FROM priced p JOIN lines l USING (order_id) LEFT JOIN refunds r USING (order_id)`;
}

export async function floorKpis(dir: string): Promise<Record<string, number>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    const [row] = (await conn.runAndReadAll(floorSql(dir))).getRowObjectsJson() as Record<string, unknown>[];
    return Object.fromEntries(FLOOR_KPIS.map((k) => [k, Number(row[k])]));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

if (process.argv[1]?.endsWith('floor.ts')) {
  process.stdout.write(JSON.stringify(await floorKpis(process.argv[2])) + '\n');
}
