// Which tables the lake holds and how each is laid out: silver's entities (current versions and SCD2 history) and
// every gold table, Hive-partitioned by day where the table has one, so engines that prune partitions read
// only the days a query asks for.
import { getEntity } from '../contracts/index.js';
import { notBuiltApart } from '../pipeline/built-apart-names.js';
import type { Warehouse } from '../warehouse/engine.js';

export interface LakeTable {
  /** schema.table in the warehouse, e.g. gold.fact_order. */
  name: string;
  layer: 'silver' | 'gold';
  /** Folder below the lake root, e.g. gold/fact_order. */
  path: string;
  /** The SELECT (warehouse dialect) whose rows the lake holds. */
  sql: string;
  partitionBy?: string;
}

/** Silver entities partitioned by the UTC day of their event time: the day column is added (order_date ← order_ts). */
const SILVER_DAYS: Record<string, { day: string; from: string }> = {
  orders: { day: 'order_date', from: 'order_ts' },
  events: { day: 'event_date', from: 'event_ts' },
  returns: { day: 'requested_date', from: 'requested_ts' },
  support_cases: { day: 'opened_date', from: 'opened_ts' },
  inventory: { day: 'snapshot_date', from: 'snapshot_ts' },
};

/** Gold tables are partitioned by the first of these DATE columns they have (the day the KPIs filter on). */
const GOLD_DAYS = ['order_date', 'session_date', 'opened_date', 'snapshot_date'];

/** Silver's bookkeeping, not data to analyse. */
const NOT_IN_LAKE = new Set(['silver.pending', 'silver.rejects']);

export async function lakeTables(wh: Warehouse): Promise<LakeTable[]> {
  const tables = await wh.read<{ s: string; t: string }>(`SELECT table_schema AS s, table_name AS t FROM information_schema.tables
    WHERE table_schema IN ('silver', 'gold') AND table_type = 'BASE TABLE' AND ${notBuiltApart()} ORDER BY table_schema DESC, table_name`);
  const dates = await wh.read<{ s: string; t: string; c: string }>(`SELECT table_schema AS s, table_name AS t, column_name AS c FROM information_schema.columns
    WHERE table_schema = 'gold' AND lower(data_type) = 'date'`);
  const out: LakeTable[] = [];
  for (const { s, t } of tables) {
    const name = `${s}.${t}`;
    if (NOT_IN_LAKE.has(name)) continue;
    const layer = s as LakeTable['layer'];
    const base = { name, layer, path: `${s}/${t}` };
    if (layer === 'silver') {
      const derived = getEntity(t) ? SILVER_DAYS[t] : undefined;
      out.push(derived
        ? { ...base, sql: `SELECT *, CAST(${derived.from} AS DATE) AS ${derived.day} FROM ${name}`, partitionBy: derived.day }
        : { ...base, sql: `SELECT * FROM ${name}` });
    } else {
      const own = new Set(dates.filter((d) => d.s === s && d.t === t).map((d) => d.c));
      out.push({ ...base, sql: `SELECT * FROM ${name}`, partitionBy: GOLD_DAYS.find((c) => own.has(c)) });
    }
  }
  return out;
}
