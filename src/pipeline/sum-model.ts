// The incremental build of a sum model (incremental_strategy: sum): instead of rebuilding every affected key
// from its whole history, a run computes the model's SQL over the affected partitions of its inputs twice over,
// as they were (sign -1) and as they are (+1), and adds the difference to the table. Pair counts of a
// product, say: a day's new orders add their pairs, and an older order that changed takes its old pairs away and
// adds its new ones, where delete+insert recounted every order of every product the day touched. A model whose
// every input row adds to its sums on its own (sum_over: changed_rows) reads the input's change set alone.
import type { Model } from '../models/model-file.js';
import { render, type RenderContext } from '../models/render.js';
import { affectedTable, changesTable, deltaTable, ROW_ID, rowsBeforeTable } from './build-tables.js';
import type { ModelRunContext } from './model-runner.js';

export interface SumBuild {
  partitions: number;
  inserted: number;
  updated: number;
  deleted: number;
}

export async function buildSumIncrementally(ctx: ModelRunContext, m: Model, base: RenderContext): Promise<SumBuild> {
  const { wh } = ctx;
  const affectedBy = (inputs: [string, string][]) =>
    inputs.map(([up, q]) => `(${render(q, { ...base, changesTable: changesTable(up) })})`).join(' UNION ALL ');
  const changed = Object.entries(m.affected).filter(([up]) => ctx.changed.has(up));
  // A table read as it is now (a product's category, say) keeps no sums before its change: one that re-opens a
  // partition has the model rebuilt whole.
  const readAsIs = changed.filter(([up]) => !m.summedInputs.includes(up));
  if (readAsIs.length > 0) {
    const [{ n }] = await wh.all<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT DISTINCT * FROM (${affectedBy(readAsIs)}) a) d`);
    if (Number(n) > 0) return rebuildWhole(ctx, m, base, Number(n));
  }
  const summed = changed.filter(([up]) => m.summedInputs.includes(up));
  const aff = affectedTable(m.name);
  const partitions = summed.length === 0 ? 0 : await wh.run(`CREATE TEMP TABLE ${aff} AS SELECT DISTINCT * FROM (${affectedBy(summed)}) a`);
  if (summed.length > 0) ctx.tempTables.push(aff);
  // A change that re-opens no partition (a parcel, for the pairs of products an order holds) adds nothing: no sums,
  // no merge, and (run.ts) no tests.
  if (partitions === 0) return { partitions: 0, inserted: 0, updated: 0, deleted: 0 };

  const inAffected = `${m.partitionBy} IN (SELECT * FROM ${aff})`;
  const signed = new Map<string, string>();
  for (const input of m.summedInputs) {
    signed.set(input, m.sumOver === 'changed_rows'
      // The change set holds exactly the rows that differ: a partition's other rows would add and take away the same.
      ? `(SELECT CASE WHEN c._change = 'new' THEN 1 ELSE -1 END AS _sign, c.* FROM ${changesTable(input)} c WHERE ${inAffected})`
      : !ctx.changed.has(input) ? `(${bothWays(input, `x.${inAffected}`)})`
      : await keptRows(ctx, input, m.partitionBy!, aff));
  }

  const keys = m.uniqueKey;
  const dlt = deltaTable(m.name);
  await wh.run(`CREATE TEMP TABLE ${dlt} AS
    SELECT ${keys.map((k) => `d.${k}`).join(', ')}, ${m.sums.map((s) => `SUM(d.${s}) AS ${s}`).join(', ')}
    FROM (${render(m.sql, { ...base, signed })}) d
    GROUP BY ${keys.map((k) => `d.${k}`).join(', ')}
    HAVING ${m.sums.map((s) => `SUM(d.${s}) <> 0`).join(' OR ')}`);
  ctx.tempTables.push(dlt);
  await analyze(ctx, dlt);

  const sameKey = (a: string, b: string) => keys.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');
  const updated = await wh.run(`UPDATE ${m.name} AS t SET ${m.sums.map((s) => `${s} = t.${s} + d.${s}`).join(', ')}
    FROM ${dlt} d WHERE ${sameKey('t', 'd')}`);
  const written = [...keys, ...m.sums];
  const inserted = await wh.run(`INSERT INTO ${m.name} (${written.join(', ')})
    SELECT ${written.map((c) => `d.${c}`).join(', ')} FROM ${dlt} d
    WHERE NOT EXISTS (SELECT 1 FROM ${m.name} t WHERE ${sameKey('t', 'd')})`);
  const deleted = await wh.run(`DELETE FROM ${m.name} AS t
    WHERE ${m.sums.map((s) => `t.${s} = 0`).join(' AND ')} AND EXISTS (SELECT 1 FROM ${dlt} d WHERE ${sameKey('t', 'd')})`);
  return { partitions: Number(partitions), inserted, updated: updated - deleted, deleted };
}

/**
 * An input's rows, the same before and after (where this run left them as they were): counted once each way, for
 * the rows of the inputs that did change to meet. `where` picks them (`x` is the input).
 */
const bothWays = (input: string, where: string) =>
  `SELECT g._sign, x.* FROM ${input} x CROSS JOIN (SELECT 1 AS _sign UNION ALL SELECT -1) g WHERE ${where}`;

/**
 * An input's affected rows before and after, from the rows it kept of the partitions it rebuilt in this run (a
 * delete+insert model whose change set is read keeps both, and a sum model's inputs are partitioned as it is,
 * model-file.ts checks), and from its table for the other affected partitions, which it left as they were: in a
 * micro-batch of new orders, no read of the input's table at all, where reading the affected partitions' rows now
 * and taking the change set out of them again hashed every row twice (bench/findings.md, finding 62).
 */
async function keptRows(ctx: ModelRunContext, input: string, column: string, aff: string): Promise<string> {
  const kept = ctx.rebuiltRows.get(input);
  const before = rowsBeforeTable(input);
  if (!kept || kept.column !== column || !ctx.tempTables.includes(before)) {
    throw new Error(`${input} changed in this run without keeping its rows before and after by ${column}`);
  }
  if (!kept.analyzed) {
    await analyze(ctx, kept.rows);
    kept.analyzed = true;
  }
  await analyze(ctx, before);
  const rowIds = ctx.wh.dialect.rowIds;
  const inAffected = (alias: string) => `${alias}.${column} IN (SELECT * FROM ${aff})`;
  return `(SELECT 1 AS _sign, a.* FROM ${kept.rows} a WHERE ${inAffected('a')}
    UNION ALL SELECT -1 AS _sign, b.* FROM (SELECT ${rowIds ? rowIds.allBut(ROW_ID) : '*'} FROM ${before}) b WHERE ${inAffected('b')}
    UNION ALL ${bothWays(input, `${inAffected('x')} AND x.${column} NOT IN (SELECT * FROM ${kept.partitions})`)})`;
}

/** The model built again from all its inputs as they are now; its tests (sumBuiltScope) then read every key. */
async function rebuildWhole(ctx: ModelRunContext, m: Model, base: RenderContext, partitions: number): Promise<SumBuild> {
  const { wh } = ctx;
  const deleted = await wh.run(`DELETE FROM ${m.name}`);
  const inserted = await wh.run(`INSERT INTO ${m.name} ${render(m.sql, base)}`);
  const dlt = deltaTable(m.name);
  await wh.run(`CREATE TEMP TABLE ${dlt} AS SELECT ${m.uniqueKey.join(', ')} FROM ${m.name}`);
  ctx.tempTables.push(dlt);
  return { partitions, inserted, updated: 0, deleted };
}

/** PostgreSQL never analyses a temp table by itself, and plans the merge's joins as if each held a few rows. */
async function analyze(ctx: ModelRunContext, table: string): Promise<void> {
  if (ctx.wh.dialect.analyze) await ctx.wh.run(ctx.wh.dialect.analyze(table));
}

/** The rows a sum model's incremental build wrote, for its data tests. */
export const sumBuiltScope = (m: Model) =>
  `EXISTS (SELECT 1 FROM ${deltaTable(m.name)} d WHERE ${m.uniqueKey.map((k) => `d.${k} = t.${k}`).join(' AND ')})`;
