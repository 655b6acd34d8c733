// Builds gold: each model in dependency order, whole on its first build (or when its SQL changed),
// otherwise only the partitions that this run's changes affect (delete + insert, dbt's incremental strategy), or,
// for a sum model, the signed sums of what changed added to its table (sum-model.ts).
import { createHash } from 'node:crypto';
import type { Model } from '../models/model-file.js';
import { render, type RenderContext } from '../models/render.js';
import { judge } from '../quality/model-tests.js';
import type { Warehouse } from '../warehouse/engine.js';
import { notBuiltApart } from './built-apart-names.js';
import { affectedTable, changesTable, ROW_ID, rowsAfterTable, rowsBeforeTable } from './build-tables.js';
import { rowsCovering, type RebuiltRows } from './rebuilt-rows.js';
import { buildSumIncrementally, sumBuiltScope } from './sum-model.js';

export type BuildMode = 'full' | 'incremental';

export interface ModelResult {
  model: string;
  mode: BuildMode | 'skipped';
  /** Affected partitions rebuilt (incremental builds). */
  partitions?: number;
  deleted: number;
  inserted: number;
  /** Rows whose sums changed (sum models). */
  updated?: number;
  ms: number;
}

export interface ModelPlan {
  /** Full or incremental, per model. */
  modes: Map<string, BuildMode>;
  /** Gold tables that no model defines any more (its file was removed or renamed): the run drops them. */
  retired: string[];
}

/** Decides full or incremental before anything runs, so upstream steps know whose changes to keep. */
export async function planModels(wh: Warehouse, models: readonly Model[], forceFull: boolean): Promise<ModelPlan> {
  const existing = await goldTables(wh);
  const tables = new Set(existing);
  const hashes = new Map((await wh.all<{ name: string; sql_hash: string }>('SELECT name, sql_hash FROM meta.models'))
    .map((r) => [r.name, r.sql_hash]));
  const modes = new Map<string, BuildMode>();
  for (const m of models) {
    const upstreamFull = m.dependsOn.some((d) => modes.get(d) === 'full');
    const full = forceFull || !tables.has(m.name) || hashes.get(m.name) !== m.hash || upstreamFull;
    modes.set(m.name, full ? 'full' : 'incremental');
  }
  const names = new Set(models.map((m) => m.name));
  return { modes, retired: existing.filter((t) => !names.has(t)) };
}

/** Drops retired models' tables and build records, inside the run's transaction. */
export async function dropRetired(wh: Warehouse, retired: readonly string[]): Promise<void> {
  for (const t of retired) {
    await wh.run(`DROP TABLE ${t}`);
    await wh.run('DELETE FROM meta.models WHERE name = $1', [t]);
  }
}

async function goldTables(wh: Warehouse): Promise<string[]> {
  return (await wh.all<{ t: string }>(
    `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema = 'gold' AND ${notBuiltApart()}`)).map((r) => r.t);
}

/** Tables whose change sets some incrementally built model will read. */
export function changeSetsNeeded(models: readonly Model[], plan: Map<string, BuildMode>): Set<string> {
  const needed = new Set<string>();
  for (const m of models) if (plan.get(m.name) === 'incremental') for (const up of Object.keys(m.affected)) needed.add(up);
  return needed;
}

export interface ModelRunContext {
  wh: Warehouse;
  runId: number;
  baseCurrency: string;
  plan: Map<string, BuildMode>;
  /** Tables changed so far in this run (silver entities and models). Models add themselves. */
  changed: Set<string>;
  needed: Set<string>;
  tempTables: string[];
  /** Temp views the run made (dropped before the temp tables they read). */
  tempViews: string[];
  /**
   * Models rebuilt incrementally so far in this run that kept their re-opened partitions' rows after: the temp
   * tables of those rows and of the partition values, for downstream models that read them ({{ rebuilt('…') }}).
   */
  rebuiltRows: Map<string, RebuiltRows>;
}

export async function buildModel(ctx: ModelRunContext, m: Model): Promise<ModelResult> {
  const { wh } = ctx;
  const started = Date.now();
  const base = { dialect: wh.dialect, baseCurrency: ctx.baseCurrency };
  /** `changed`: whether its rows changed, where the change set tells; otherwise any row written counts. */
  const done = (r: Omit<ModelResult, 'model' | 'ms'>, changed?: boolean): ModelResult => {
    if (r.mode !== 'skipped' && (changed ?? (r.deleted > 0 || r.inserted > 0 || (r.updated ?? 0) > 0 || r.mode === 'full'))) ctx.changed.add(m.name);
    return { model: m.name, ...r, ms: Date.now() - started };
  };

  if (ctx.plan.get(m.name) === 'full') {
    await wh.run(`DROP TABLE IF EXISTS ${m.name}`);
    const inserted = await buildWhole(wh, m, base, m.name);
    if (wh.dialect.usesIndexes) {
      const all = indexedColumns(m);
      for (const cols of all) {
        await wh.run(`CREATE INDEX ${indexName(m.name, cols)} ON ${m.name} (${cols.join(', ')})`);
      }
      await wh.run(`ANALYZE ${m.name}`);
    }
    await recordBuilt(ctx, m);
    return done({ mode: 'full', deleted: 0, inserted });
  }

  if (m.materialized === 'table') {
    if (!m.dependsOn.some((d) => ctx.changed.has(d))) return done({ mode: 'skipped', deleted: 0, inserted: 0 });
    const deleted = await wh.run(`DELETE FROM ${m.name}`);
    const inserted = await wh.run(`INSERT INTO ${m.name} ${render(m.sql, base)}`);
    return done({ mode: 'full', deleted, inserted });
  }

  const sources = Object.entries(m.affected).filter(([up]) => ctx.changed.has(up));
  if (sources.length === 0) return done({ mode: 'skipped', deleted: 0, inserted: 0 });
  if (m.strategy === 'sum') return done({ mode: 'incremental', ...await buildSumIncrementally(ctx, m, base) });
  const aff = affectedTable(m.name);
  const union = sources.map(([up, q]) => `(${render(q, { ...base, changesTable: changesTable(up) })})`).join(' UNION ALL ');
  const partitions = await wh.run(`CREATE TEMP TABLE ${aff} AS SELECT DISTINCT * FROM (${union}) a`);
  ctx.tempTables.push(aff);
  // An upstream change that re-opens no partition (a new order for the support cases' days, a customer's new email
  // for the funnel) leaves nothing to build, delete, compare or test: the model's SQL over no partitions gives no rows.
  if (partitions === 0) return done({ mode: 'incremental', partitions, deleted: 0, inserted: 0 }, false);
  const inAffected = `${m.partitionBy} IN (SELECT * FROM ${aff})`;
  const built = render(m.sql, { ...base, affectedTable: aff, rebuilt: await rebuiltCovering(ctx, m, aff) });
  const after = rowsAfterTable(m.name);
  const keptAfter = () => ctx.rebuiltRows.set(m.name, { rows: after, partitions: aff, column: m.partitionBy!, analyzed: false });
  if (!ctx.needed.has(m.name)) {
    const deleted = await wh.run(`DELETE FROM ${m.name} WHERE ${inAffected}`);
    if (m.tests.length === 0) {
      const inserted = await wh.run(`INSERT INTO ${m.name} ${built}`);
      return done({ mode: 'incremental', partitions, deleted, inserted });
    }
    // Kept apart first for the model's tests (builtRows), which otherwise found them again in the whole model.
    await wh.run(`CREATE TEMP TABLE ${after} AS ${built}`);
    ctx.tempTables.push(after);
    keptAfter();
    const inserted = await wh.run(`INSERT INTO ${m.name} SELECT * FROM ${after}`);
    return done({ mode: 'incremental', partitions, deleted, inserted });
  }
  // A model whose change set is read downstream compares its rows before and after first, and writes only the
  // partitions whose rows differ: one rebuilt to the same rows (an old order re-opened by a parcel that changed
  // nothing in it) costs no delete, no insert and no log, and changes nothing downstream.
  const chg = changesTable(m.name);
  const before = rowsBeforeTable(m.name);
  // Each row before keeps its row id where the engine has one, so the delete below finds the changed partitions'
  // rows by it rather than by reading the partition column of the whole table again (Dialect.rowIds).
  const rowIds = wh.dialect.rowIds;
  const rowsBefore = await wh.run(`CREATE TEMP TABLE ${before} AS SELECT ${rowIds ? `${rowIds.column} AS ${ROW_ID}, ` : ''}* FROM ${m.name} WHERE ${inAffected}`);
  ctx.tempTables.push(before);
  const beforeRows = `SELECT ${rowIds ? rowIds.allBut(ROW_ID) : '*'} FROM ${before}`;
  const rowsAfter = await wh.run(`CREATE TEMP TABLE ${after} AS ${built}`);
  ctx.tempTables.push(after);
  // Whether or not a partition's rows differ, they are the rows after: those that differ are written below, the
  // others are in the table already.
  keptAfter();
  // Partitions that held no rows (new orders, a micro-batch's usual case) need no comparison and no delete: every
  // row is new, and with none after either (the returns of new orders), nothing changed.
  if (rowsBefore === 0) {
    if (rowsAfter === 0) return done({ mode: 'incremental', partitions, deleted: 0, inserted: 0 }, false);
    // Its change set is then the rows after, each marked new: a view of them, not a copy (copying a micro-batch's
    // 20,000 new orders into a table of their own took 56 ms, as long as writing them into fact_order).
    await wh.run(`CREATE TEMP VIEW ${chg} AS SELECT 'new' AS _change, n.* FROM ${after} n`);
    ctx.tempViews.push(chg);
    const inserted = await wh.run(`INSERT INTO ${m.name} SELECT * FROM ${after}`);
    return done({ mode: 'incremental', partitions, deleted: 0, inserted }, true);
  }
  // EXCEPT ALL numbers each row's duplicates first, which costs even when one side is empty; a model whose rows are
  // unique (rowsAreUnique) takes the plain set difference, the same rows at a fifth of the cost.
  const except = rowsAreUnique(m) ? 'EXCEPT' : 'EXCEPT ALL';
  const changes = await wh.run(`CREATE TEMP TABLE ${chg} AS
    SELECT 'old' AS _change, o.* FROM (${beforeRows} ${except} SELECT * FROM ${after}) o
    UNION ALL
    SELECT 'new' AS _change, n.* FROM (SELECT * FROM ${after} ${except} ${beforeRows}) n`);
  ctx.tempTables.push(chg);
  if (changes === 0) return done({ mode: 'incremental', partitions, deleted: 0, inserted: 0 }, false);
  const differing = `${m.partitionBy} IN (SELECT DISTINCT ${m.partitionBy} FROM ${chg})`;
  const deleted = await wh.run(rowIds
    ? `DELETE FROM ${m.name} WHERE ${rowIds.column} IN (SELECT ${ROW_ID} FROM ${before} WHERE ${differing})`
    : `DELETE FROM ${m.name} WHERE ${differing}`);
  const inserted = await wh.run(`INSERT INTO ${m.name} SELECT * FROM ${after} WHERE ${differing}`);
  return done({ mode: 'incremental', partitions, deleted, inserted }, true);
}

/** The upstream models `m` reads through {{ rebuilt('…') }} that cover every partition it re-opens (listed in `aff`). */
async function rebuiltCovering(ctx: ModelRunContext, m: Model, aff: string): Promise<Map<string, string>> {
  const covering = new Map<string, string>();
  for (const up of m.readsRebuilt) {
    const rows = await rowsCovering(ctx.wh, ctx.rebuiltRows, up, m.partitionBy!, aff);
    if (rows) covering.set(up, rows);
  }
  return covering;
}


/**
 * Whether no two rows of the model's table can be equal: a uniqueness test that fails the run on any duplicate
 * holds for every run that committed, so the rows before a rebuild are distinct, and a set difference (EXCEPT) is
 * the multiset difference. (Rows the model's SQL would now emit twice, into a partition otherwise unchanged, would
 * not be written, where EXCEPT ALL would write them and fail the test; the stored rows stay right either way.)
 */
export function rowsAreUnique(m: Model): boolean {
  // One repeated row is two failing rows of a uniqueness test, among any number: the test's own judgement says
  // whether that fails the run.
  return m.tests.some((t) => t.kind === 'unique' && judge(t, 2, Number.MAX_SAFE_INTEGER) === 'error');
}

/**
 * A full build of `m` into a new `table`: one CREATE TABLE … AS, or, for a model built in parts on an engine that
 * builds in parts (Dialect.hashPart), that over the first part and an INSERT of each other part. `rewrite` maps
 * the rendered SQL (the tables built apart).
 */
export async function buildWhole(wh: Warehouse, m: Model, base: RenderContext, table: string, rewrite = (sql: string) => sql): Promise<number> {
  const parts = wh.dialect.hashPart ? m.fullBuildParts : 1;
  const part = (index: number) => rewrite(render(m.sql, parts > 1 ? { ...base, part: { index, of: parts } } : base));
  let rows = await wh.run(`CREATE TABLE ${table} AS ${part(0)}`);
  for (let index = 1; index < parts; index++) rows += await wh.run(`INSERT INTO ${table} ${part(index)}`);
  return rows;
}

/** A build's progress line. */
export function describeBuild(r: ModelResult): string {
  return `${r.model}: ${r.mode}${r.partitions !== undefined ? ` (${r.partitions} partitions)` : ''}, -${r.deleted} +${r.inserted}${r.updated !== undefined ? ` ~${r.updated}` : ''} rows (${r.ms} ms)`;
}

/** A full build done before the transaction (built-apart.ts) and swapped in by it: recorded as one done here. */
export async function adoptBuilt(ctx: ModelRunContext, m: Model): Promise<void> {
  ctx.changed.add(m.name);
  await recordBuilt(ctx, m);
}

/**
 * Where a tested model's data tests read what this run built (`t` is the model): the whole table after a full
 * build; the keys a sum model added to; and the affected partitions' rows an incremental build kept apart, a small
 * table, rather than the same rows picked out of the whole model (a scan of it per run: 20–56 ms of each big fact at
 * 1M order lines, 0.1–0.3 s at 10M). They are the rows the partitions hold, except that a row the SQL emitted twice
 * into a partition that did not otherwise change is counted twice here: the uniqueness test fails as it would after
 * a full build.
 */
export function builtRows(m: Model, r: ModelResult): { from?: string; scope: string } {
  if (r.mode !== 'incremental') return { scope: 'TRUE' };
  if (m.strategy === 'sum') return { scope: sumBuiltScope(m) };
  return { from: rowsAfterTable(m.name), scope: 'TRUE' };
}

/** The partition column (rebuilt by it) or, for a sum model, its key (added to by it), then the declared indexes. */
function indexedColumns(m: Model): string[][] {
  // A sum model's partition column is its input's: its own table has no such column.
  if (m.strategy === 'sum') return [m.uniqueKey, ...m.indexes];
  const pb = m.partitionBy;
  return pb && !m.indexes.some((i) => i.length === 1 && i[0] === pb) ? [[pb], ...m.indexes] : m.indexes;
}

/** table_col1_col2_idx, or a short hash of the columns where that passes PostgreSQL's 63-character limit. */
function indexName(table: string, cols: readonly string[]): string {
  const name = `${table.split('.')[1]}_${cols.join('_')}_idx`;
  return name.length <= 63 ? name : `${table.split('.')[1]}_${createHash('sha256').update(cols.join(',')).digest('hex').slice(0, 8)}_idx`;
}

async function recordBuilt(ctx: ModelRunContext, m: Model): Promise<void> {
  await ctx.wh.run('DELETE FROM meta.models WHERE name = $1', [m.name]);
  await ctx.wh.run('INSERT INTO meta.models (name, sql_hash, built_run_id) VALUES ($1, $2, $3)', [m.name, m.hash, ctx.runId]);
}
