// Tables a run builds whole, built before its transaction and swapped in by it (engines whose dialect sets
// `buildsApart`: DuckDB). DuckDB reads the rows its open transaction wrote at about half the speed of committed
// rows, and a run is one transaction: every gold model of a full build read silver and upstream gold that way.
// So where a run makes a table from nothing (a first load's silver: the entity's tables are empty and the load is
// clean; a full build's gold: the model reads only such tables or tables the run leaves alone), it builds it
// under another name (built-apart-names.ts), committed, reading what was built apart before it; the transaction
// then drops the old table and renames the new one in its place before doing the rest of the run. A failure or a
// crash leaves the warehouse as before: the tables built apart have names no reader takes for data; a failed run
// drops them on its way out, and a killed one leaves them for the next run that builds apart.
import { ENTITIES } from '../contracts/index.js';
import { Errors, StorePulseError } from '../errors/catalogue.js';
import type { Model } from '../models/model-file.js';
import type { Warehouse } from '../warehouse/engine.js';
import { builtApartName, isBuiltApart, renameTables } from './built-apart-names.js';
import { buildWhole, describeBuild, type BuildMode, type ModelResult } from './model-runner.js';
import type { StepEvent } from './run-observer.js';
import { conformStraightApart } from './silver-straight.js';
import { dependencyTables, describeSilverStep, silverTempTables, type EntityStats } from './silver-step.js';

export interface BuiltApart {
  /** Each table the transaction swaps in → the table built apart for it, in build order. */
  renames: Map<string, string>;
  /** Silver steps done, by entity: told to observers already. */
  entities: Map<string, EntityStats>;
  /** Models built, by name, with when each started: their tests and events are the transaction's. */
  models: Map<string, { result: ModelResult; at: string }>;
  /** Which entities have batches in the run, and records waiting: the transaction's too (neither changes before it). */
  landed: Set<string>;
  waiting: Set<string>;
}

export interface BuildApartInput {
  wh: Warehouse;
  runId: number;
  baseCurrency: string;
  models: readonly Model[];
  plan: ReadonlyMap<string, BuildMode>;
  /** Tables whose change sets the run keeps: built in the transaction, which records them. */
  needed: ReadonlySet<string>;
  progress: (message: string) => void;
  tellStep: (started: StepEvent, rows: number) => Promise<void>;
  /** The step under way, for the failure report. */
  where: { step?: string };
}

/** Builds what the run makes whole, committed under other names. The run's `run_batches` must exist. */
export async function buildApart(input: BuildApartInput): Promise<BuiltApart> {
  const { wh } = input;
  // A killed run's leftovers would stand in the way of this run's names; a run that builds nothing apart (a
  // micro-batch) leaves them be, unread, and spares the catalogue query.
  let cleared = false;
  const clearLeftovers = async () => {
    if (!cleared) await dropBuiltApart(wh);
    cleared = true;
  };
  const { landed, waiting } = await entitiesWithWork(wh);
  const work: BuiltApart = { renames: new Map(), entities: new Map(), models: new Map(), landed, waiting };
  // Tables this run will not change: the untouched entities' silver. With those built apart, a model may be too.
  const settled = new Set<string>();
  for (const entity of ENTITIES) {
    const tables = [`silver.${entity.name}`, ...(entity.history ? [`silver.${entity.name}_history`] : [])];
    if (!landed.has(entity.name) && !waiting.has(entity.name)) {
      for (const t of tables) settled.add(t);
      continue;
    }
    const eligible = landed.has(entity.name) && !waiting.has(entity.name) && !input.needed.has(`silver.${entity.name}`)
      && dependencyTables(entity).every((t) => settled.has(t)) && await allEmpty(wh, tables);
    if (!eligible) continue;
    const at = new Date();
    input.where.step = `silver.${entity.name}`;
    await clearLeftovers();
    const renames = new Map([...work.renames, ...tables.map((t) => [t, builtApartName(t)] as const)]);
    const ctx = { wh, runId: input.runId, baseCurrency: input.baseCurrency, recordChanges: false };
    const stats = await conformStraightApart(ctx, entity, renames);
    // A step left to the transaction starts there afresh; what waited (nothing, here) is kept for the
    // reconciliation of the run's records.
    const kept = stats ? [`was_pending_${entity.name}`] : [];
    for (const t of silverTempTables(entity)) if (!kept.includes(t)) await wh.run(`DROP TABLE IF EXISTS ${t}`);
    if (!stats) continue;
    for (const t of tables) {
      work.renames.set(t, builtApartName(t));
      settled.add(t);
    }
    work.entities.set(entity.name, stats);
    await input.tellStep({ runId: input.runId, step: `silver.${entity.name}`, layer: 'silver', inputs: [`bronze.${entity.name}`, ...dependencyTables(entity)], at: at.toISOString() }, stats.accepted);
    const line = describeSilverStep(stats, Date.now() - at.getTime());
    if (line) input.progress(line);
  }
  const base = { dialect: wh.dialect, baseCurrency: input.baseCurrency };
  for (const m of input.models) {
    if (input.plan.get(m.name) !== 'full' || !m.dependsOn.every((t) => settled.has(t))) continue;
    input.where.step = m.name;
    const at = new Date();
    const built = builtApartName(m.name);
    await clearLeftovers();
    let inserted: number;
    try {
      inserted = await buildWhole(wh, m, base, built, (sql) => renameTables(sql, work.renames));
    } catch (e) {
      if (e instanceof StorePulseError) throw e;
      throw Errors.modelFailed(m.name, (e as Error).message.split('\n')[0]);
    }
    work.renames.set(m.name, built);
    settled.add(m.name);
    const result: ModelResult = { model: m.name, mode: 'full', deleted: 0, inserted, ms: Date.now() - at.getTime() };
    work.models.set(m.name, { result, at: at.toISOString() });
    input.progress(describeBuild(result));
  }
  input.where.step = undefined;
  return work;
}

/** The entities with batches claimed by the run (`run_batches`), and those with records waiting in silver. */
export async function entitiesWithWork(wh: Warehouse): Promise<{ landed: Set<string>; waiting: Set<string> }> {
  const entities = async (sql: string) => new Set((await wh.all<{ entity: string }>(sql)).map((r) => r.entity));
  return {
    landed: await entities('SELECT DISTINCT entity FROM run_batches'),
    waiting: await entities('SELECT DISTINCT entity FROM silver.pending'),
  };
}

async function allEmpty(wh: Warehouse, tables: readonly string[]): Promise<boolean> {
  const [row] = await wh.all<{ n: number }>(`SELECT ${tables.map((t) => `(SELECT COUNT(*) FROM (SELECT 1 FROM ${t} LIMIT 1) x)`).join(' + ')} AS n`);
  return Number(row.n) === 0;
}

/**
 * Inside the transaction, first: each table built apart takes its table's place. A silver table must still be
 * empty (nothing writes silver outside a run, and runs take turns; this says so if that ever changes).
 */
export async function swapIn(wh: Warehouse, work: BuiltApart): Promise<void> {
  for (const [table, built] of work.renames) {
    if (table.startsWith('silver.') && !await allEmpty(wh, [table])) {
      throw new Error(`${table} gained rows while the run built it apart; the run is rolled back, run it again`);
    }
    await wh.run(`DROP TABLE IF EXISTS ${table}`);
    await wh.run(`ALTER TABLE ${built} RENAME TO ${table.split('.')[1]}`);
  }
}

/** Drops every table built apart that no transaction swapped in (a failed run's, or a killed process's). */
export async function dropBuiltApart(wh: Warehouse): Promise<void> {
  const left = await wh.all<{ t: string }>(`SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
    WHERE table_schema IN ('silver', 'gold') AND ${isBuiltApart()}`);
  for (const { t } of left) await wh.run(`DROP TABLE IF EXISTS ${t}`);
}
