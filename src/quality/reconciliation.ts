// Reconciliation: counts and money must agree across layers. A break is an error with the difference.
//   records:  bronze records read + records waiting before = accepted + rejected + waiting after (per entity)
//   orders:   counted orders in gold (mart_daily_revenue) = silver orders not cancelled
//   revenue:  gold gross revenue = silver lines' quantity × unit price for counted orders, at the order's rate
import type { Warehouse } from '../warehouse/engine.js';
import { accountFor } from './accounting.js';
import type { TestOutcome } from './test-outcome.js';

type Query = <T>(sql: string) => Promise<T[]>;

/** Smaller than any amount we report (two decimals), larger than nothing: exact decimals must agree exactly. */
const MONEY_TOLERANCE = 0.0001;

function outcome(test: string, model: string, expected: number, actual: number, what: string, tolerance = 0): TestOutcome {
  const difference = actual - expected;
  const broken = Math.abs(difference) > tolerance;
  return {
    model, test, kind: 'reconciliation', status: broken ? 'error' : 'pass',
    failures: broken ? Math.abs(difference) : 0, rows: expected, sample: [],
    ...(broken ? { message: `${model} ${test}: ${what}: expected ${expected}, found ${actual} (difference ${difference > 0 ? '+' : ''}${difference})` } : {}),
  };
}

export interface RunEntityCounts {
  entity: string;
  accepted: number;
}

/**
 * The records of this run, per entity that ran: nothing lost, nothing counted twice. Reads the run's temp
 * tables (run_batches, was_pending_<entity>), so it runs inside the run's transaction.
 */
export async function reconcileRunRecords(query: Query, runId: number, entities: readonly RunEntityCounts[]): Promise<TestOutcome[]> {
  if (entities.length === 0) return [];
  // One query for every entity of the run: each alone was a statement of its own, a round trip per entity.
  const rows = await query<{ entity: string; landed: number; waited: number; rejected: number; waiting: number }>(entities.map(({ entity: e }) => `SELECT
      '${e}' AS entity,
      (SELECT COUNT(*) FROM bronze.${e} b WHERE b._batch_id IN (SELECT batch_id FROM run_batches WHERE entity = '${e}')) AS landed,
      (SELECT COUNT(*) FROM was_pending_${e}) AS waited,
      (SELECT COUNT(*) FROM silver.rejects WHERE entity = '${e}' AND run_id = ${Number(runId)}) AS rejected,
      (SELECT COUNT(*) FROM silver.pending WHERE entity = '${e}') AS waiting`).join('\n    UNION ALL '));
  const byEntity = new Map(rows.map((r) => [r.entity, r]));
  return entities.map((s) => {
    const r = byEntity.get(s.entity)!;
    const into = Number(r.landed) + Number(r.waited);
    const accounted = s.accepted + Number(r.rejected) + Number(r.waiting);
    return outcome('reconcile(records)', `silver.${s.entity}`, into, accounted, 'bronze records read + waiting before ≠ accepted + rejected + waiting after');
  });
}

/** Every record ever landed is accepted, rejected, waiting or not yet processed. */
export async function reconcileAllRecords(wh: Warehouse): Promise<TestOutcome[]> {
  const accounts = await accountFor(wh);
  return accounts.entities.map((a) => outcome('reconcile(records)', `silver.${a.entity}`, a.records,
    a.accepted + a.rejected + a.pending + a.unprocessed, 'bronze records ≠ accepted + rejected + waiting + unprocessed'));
}

/**
 * What a run changed, for a revenue reconciliation of its rebuilt days: the one-column table of those days, and the
 * change sets (tables or views with an order_id column) that hold every order whose silver rows or `fact_order` row
 * the run changed.
 */
export interface RevenueScope {
  days: string;
  changedOrders?: readonly string[];
}

/**
 * Counted orders and gross revenue in gold against silver, over the order days of `scope` (absent: every day).
 *
 * With the run's changed orders, silver is read for those orders alone: every other order of those days kept both
 * its silver rows and its `fact_order` row, which agreed when the run that wrote them reconciled, so the fact stands
 * for it. Summing a whole day of silver again in every micro-batch grew with the day (400,000 orders: 0.67 s where
 * this takes 0.1 s; bench/findings.md, finding 61). Gold changed behind the pipeline's back is `storepulse test`'s
 * to find, which reconciles every day against silver.
 */
export async function reconcileRevenue(query: Query, scope?: RevenueScope, exact = 'DECIMAL(38, 6)'): Promise<TestOutcome[]> {
  const days = scope?.days;
  const gold = days ? `m.order_date IN (SELECT * FROM ${days})` : 'TRUE';
  // The bounds on order_ts say nothing the day list does not (times are UTC), but let the engine skip the blocks of
  // silver orders outside them, where the cast day alone read every order (10M order lines: 1.1 -> 0.75 s for a day
  // that re-opened 25).
  const silverDay = days ? `CAST(s.order_ts AS DATE) IN (SELECT * FROM ${days})
    AND s.order_ts >= (SELECT MIN(d.order_day) FROM ${days} AS d(order_day)) AND s.order_ts < (SELECT MAX(d.order_day) FROM ${days} AS d(order_day)) + 1` : 'TRUE';
  const [g] = await query<{ orders: number; gross: number }>(
    `SELECT COALESCE(SUM(m.orders), 0) AS orders, COALESCE(SUM(m.gross_revenue), 0) AS gross FROM gold.mart_daily_revenue m WHERE ${gold}`);
  const changed = days && scope?.changedOrders?.length ? scope.changedOrders : undefined;
  // The rate is the one gold used (its choice is a model's, tested apart); the lines and the counting are silver's.
  // A micro-batch rebuilds a few days: the orders of those days are found first, once, and only their lines are
  // summed (left to the planner, the day filter came last, after every silver order had met gold's).
  const silverOrders = changed
    ? `SELECT s.order_id FROM silver.orders s WHERE s.order_id IN (SELECT order_id FROM changed_orders) AND s.status <> 'cancelled' AND ${silverDay}`
    : `SELECT s.order_id FROM silver.orders s WHERE s.status <> 'cancelled' AND ${silverDay}`;
  const silver = `SELECT COUNT(*) AS orders, COALESCE(SUM(CAST(COALESCE(l.gross, 0) * o.fx_rate AS ${exact})), 0) AS gross
     FROM scope s
     LEFT JOIN gold.fact_order o ON o.order_id = s.order_id
     LEFT JOIN (SELECT i.order_id, SUM(i.quantity * i.unit_price) AS gross FROM silver.order_items i
       ${days ? 'WHERE i.order_id IN (SELECT order_id FROM scope)' : ''} GROUP BY i.order_id) l ON l.order_id = s.order_id`;
  const [s] = await query<{ orders: number; gross: number }>(changed
    ? `WITH changed_orders AS MATERIALIZED (${changed.map((t) => `SELECT order_id FROM ${t}`).join(' UNION ')}),
       scope AS MATERIALIZED (${silverOrders}),
       by_silver AS (${silver}),
       -- The days' other orders, as gold holds them.
       by_fact AS (SELECT COUNT(*) AS orders, COALESCE(SUM(f.gross_revenue), 0) AS gross FROM gold.fact_order f
         WHERE f.is_counted AND f.order_date IN (SELECT * FROM ${days})
           AND NOT EXISTS (SELECT 1 FROM changed_orders c WHERE c.order_id = f.order_id))
       SELECT a.orders + b.orders AS orders, a.gross + b.gross AS gross FROM by_silver a CROSS JOIN by_fact b`
    : `WITH scope AS ${days ? 'MATERIALIZED ' : ''}(${silverOrders}) ${silver}`);
  return [
    outcome('reconcile(orders)', 'gold.mart_daily_revenue', Number(s.orders), Number(g.orders), 'counted orders in gold ≠ silver orders not cancelled'),
    outcome('reconcile(gross_revenue)', 'gold.mart_daily_revenue', round(Number(s.gross)), round(Number(g.gross)),
      'gross revenue in gold ≠ silver lines of counted orders at their rate', MONEY_TOLERANCE),
  ];
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
