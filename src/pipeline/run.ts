// One pipeline run: claim the batches that landed, build silver then gold, all in one transaction (on DuckDB the
// tables a run makes whole are built just before it and swapped in by it: built-apart.ts).
// A failure or a kill leaves the warehouse as it was; the next run picks up the same batches.
import { ENTITIES } from '../contracts/index.js';
import { Errors, StorePulseError } from '../errors/catalogue.js';
import { piiSecretFromEnv } from '../home/secrets.js';
import { loadModels, type Model } from '../models/model-file.js';
import { preparePiiTokens } from '../privacy/pii-tokens.js';
import type { Warehouse } from '../warehouse/engine.js';
import { runTests, sampleKey } from '../quality/model-tests.js';
import { reconcileRevenue, reconcileRunRecords } from '../quality/reconciliation.js';
import type { TestOutcome } from '../quality/test-outcome.js';
import { withRetry } from './retry.js';
import { notify, type RunObserver } from './run-observer.js';
import { affectedTable, changesTable } from './build-tables.js';
import { buildApart, dropBuiltApart, entitiesWithWork, swapIn, type BuiltApart } from './built-apart.js';
import { adoptBuilt, buildModel, builtRows, describeBuild, changeSetsNeeded, dropRetired, planModels, type ModelResult } from './model-runner.js';
import { dependencyTables, describeSilverStep, runSilverStep, silverTempTables, type EntityStats } from './silver-step.js';

export interface RunOptions {
  baseCurrency: string;
  fullRefresh?: boolean;
  /** How long to wait for another writer (PostgreSQL: another process; DuckDB: another task in this one). */
  lockWaitMs?: number;
  onProgress?: (message: string) => void;
  models?: Model[];
  /** Lineage, metrics and logs listen to the run's steps. */
  observers?: RunObserver[];
  /** An observer failed (the run goes on). */
  onObserverError?: (e: unknown) => void;
  /** The key gold tokenises personal data with (default: STOREPULSE_PII_SECRET); see privacy/pii-tokens.ts. */
  piiKey?: string;
}

export interface RunSummary {
  runId: number | null;
  status: 'succeeded' | 'nothing_to_do';
  batches: number;
  entities: EntityStats[];
  models: ModelResult[];
  /** Every data test and reconciliation of the run (warnings included; an error fails the run). */
  tests: TestOutcome[];
  ms: number;
}

/** A run, retried with back-off when it failed for a passing reason (each attempt is atomic). */
export async function runPipelineWithRetry(wh: Warehouse, options: RunOptions): Promise<RunSummary> {
  return withRetry(() => runPipeline(wh, options), {
    isTransient: (e) => wh.isTransient(e),
    onRetry: (attempt, delay, e) => options.onProgress?.(`run attempt ${attempt} failed (${(e as Error).message.split('\n')[0]}); retrying in ${delay} ms`),
  });
}

export async function runPipeline(wh: Warehouse, options: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const models = options.models ?? loadModels();
  // Before anything runs: a run that cannot tokenise must not build gold with empty tokens.
  const piiKey = options.piiKey ?? piiSecretFromEnv();
  const release = await wh.lock('run', options.lockWaitMs ?? 0);
  try {
    // One checkpoint at the run's end, not one at each of its many commits (DuckDB; see deferCheckpoints).
    return await wh.deferCheckpoints(async () => {
      const landed = await wh.all<{ batch_id: number; entity: string }>(
        'SELECT batch_id, entity FROM meta.batches WHERE processed_run_id IS NULL ORDER BY batch_id');
      const { modes: plan, retired } = await planModels(wh, models, options.fullRefresh ?? false);
      const modelsToBuild = [...plan.values()].some((m) => m === 'full');
      if (landed.length === 0 && !modelsToBuild && retired.length === 0) {
        return { runId: null, status: 'nothing_to_do', batches: 0, entities: [], models: [], tests: [], ms: Date.now() - started };
      }
      // Fresh planner statistics for what landed since the last run (bronze) and what it built (silver, gold).
      await wh.refreshStatistics();
      const [{ id }] = await wh.all<{ id: number }>("SELECT nextval('meta.run_seq') AS id");
      const runId = Number(id);
      const startedAt = new Date().toISOString();
      const tell = <K extends keyof RunObserver>(event: K, payload: Parameters<NonNullable<RunObserver[K]>>[0]) =>
        notify(options.observers, event, payload, options.onObserverError);
      await tell('runStarted', { runId, at: startedAt, fullRefresh: options.fullRefresh ?? false });
      const where: StepTracker = { tests: [] };
      // Set while tables built apart may exist that no transaction swapped in, and while temp tables made before
      // the transaction have no transaction to drop them.
      let builtApart = false;
      let tempTablesBefore = false;
      try {
        let apart: BuiltApart | undefined;
        if (wh.dialect.buildsApart) {
          tempTablesBefore = true;
          await claimBatches(wh);
          await preparePiiTokens(wh, piiKey, options.fullRefresh ?? false, false);
          builtApart = true;
          apart = await buildApart({
            wh, runId, baseCurrency: options.baseCurrency, models, plan, needed: changeSetsNeeded(models, plan), progress, where,
            tellStep: async (step, rows) => {
              await tell('stepStarted', step);
              await tell('stepFinished', { ...step, at: new Date().toISOString(), rows, tests: [] });
            },
          });
          builtApart = apart.renames.size > 0;
        }
        // Its end drops the temp tables; a rollback undoes that for those made before it.
        const summary = await wh.transaction(() => runInTransaction(wh, runId, models, plan, retired, { ...options, piiKey }, progress, where, tell, apart));
        builtApart = false;
        tempTablesBefore = false;
        // Committed: fresher statistics are a help for the next queries, never a reason to call the run failed.
        const analysed = await wh.refreshStatistics().catch(() => [] as string[]);
        if (analysed.length) progress(`statistics refreshed: ${analysed.join(', ')}`);
        const result: RunSummary = { runId, status: 'succeeded', ...summary, ms: Date.now() - started };
        await tell('runSucceeded', { runId, at: new Date().toISOString(), summary: result });
        return result;
      } catch (e) {
        await recordFailure(wh, runId, startedAt, e, where.tests);
        await tell('runFailed', { runId, at: new Date().toISOString(), error: e as Error, step: where.step, tests: where.tests });
        if (e instanceof StorePulseError || wh.isTransient(e)) throw e;
        throw Errors.modelFailed('run', (e as Error).message.split('\n')[0]);
      } finally {
        if (builtApart) await dropBuiltApart(wh).catch(() => undefined);
        if (tempTablesBefore) {
          await dropTempTables(wh, ['run_batches', ...ENTITIES.flatMap(silverTempTables)]);
        }
      }
    });
  } finally {
    await release();
  }
}

/** The silver tables whose rows make an order's revenue: its order and its lines. */
const REVENUE_INPUTS = ['silver.orders', 'silver.order_items'];

/**
 * The change sets that together hold every order whose revenue this run may have changed: silver's orders and
 * lines that changed, and `fact_order`'s rows that did. Undefined when the run changed one of them without keeping
 * its change set (silver built apart, say): the reconciliation then reads the rebuilt days' silver whole.
 */
function changedOrderSets(made: { tempTables: readonly string[]; tempViews: readonly string[] }, silverChangeSets: ReadonlySet<string>,
  silverUnrecorded: ReadonlySet<string>): string[] | undefined {
  const fact = changesTable('gold.fact_order');
  if (!made.tempTables.includes(fact) && !made.tempViews.includes(fact)) return undefined;
  if (REVENUE_INPUTS.some((t) => silverUnrecorded.has(t))) return undefined;
  // An entity that did not run changed nothing.
  return [fact, ...REVENUE_INPUTS.filter((t) => silverChangeSets.has(t)).map(changesTable)];
}

/** The batches this run claims; what lands while it works (landing does not wait for runs) is the next run's. */
async function claimBatches(wh: Warehouse): Promise<void> {
  await wh.run('CREATE TEMP TABLE run_batches AS SELECT batch_id, entity FROM meta.batches WHERE processed_run_id IS NULL');
}

/** Which step is running, and the tests run so far, for the failure report. */
interface StepTracker {
  step?: string;
  tests: TestOutcome[];
}

type Tell = <K extends keyof RunObserver>(event: K, payload: Parameters<NonNullable<RunObserver[K]>>[0]) => Promise<void>;

async function runInTransaction(
  wh: Warehouse, runId: number, models: Model[], plan: Map<string, 'full' | 'incremental'>, retired: readonly string[],
  options: RunOptions & { piiKey: string }, progress: (m: string) => void, where: StepTracker, tell: Tell, apart?: BuiltApart,
): Promise<Pick<RunSummary, 'batches' | 'entities' | 'models' | 'tests'>> {
  const startedAt = new Date().toISOString();
  await wh.run("INSERT INTO meta.runs (run_id, started_at, status) VALUES ($1, CAST($2 AS TIMESTAMPTZ), 'running')", [runId, startedAt]);
  await preparePiiTokens(wh, options.piiKey, options.fullRefresh ?? false);
  // A model whose file is gone leaves no table behind to be served or exported as if it were current.
  await dropRetired(wh, retired);
  if (retired.length) progress(`dropped ${retired.join(', ')}: no model defines ${retired.length === 1 ? 'it' : 'them'} any more`);
  const tempTables: string[] = ['run_batches'];
  const tempViews: string[] = [];
  // Claimed before the tables built apart were (they read it), or now.
  if (!apart) await claimBatches(wh);
  else await swapIn(wh, apart);
  const needed = changeSetsNeeded(models, plan);
  const changed = new Set<string>();
  const entities: EntityStats[] = [];
  /** Silver tables this run changed and kept a change set of (`chg_silver_<entity>`), and those it kept none of. */
  const silverChangeSets = new Set<string>();
  const silverUnrecorded = new Set<string>();
  try {
    const { landed: batchesPerEntity, waiting: pendingPerEntity } = apart ?? await entitiesWithWork(wh);
    for (const entity of ENTITIES) {
      const builtBefore = apart?.entities.get(entity.name);
      if (builtBefore) {
        tempTables.push(...silverTempTables(entity));
        silverUnrecorded.add(`silver.${entity.name}`);
        if (builtBefore.changed > 0) changed.add(`silver.${entity.name}`);
        entities.push(builtBefore);
        continue;
      }
      // Nothing new, and nothing waiting on a table this run changed: the entity has no work.
      const waitsOnChange = pendingPerEntity.has(entity.name) && dependencyTables(entity).some((t) => changed.has(t));
      if (!batchesPerEntity.has(entity.name) && !waitsOnChange) continue;
      const t = Date.now();
      const step = { runId, step: `silver.${entity.name}`, layer: 'silver' as const, inputs: [`bronze.${entity.name}`, ...dependencyTables(entity)] };
      where.step = step.step;
      await tell('stepStarted', { ...step, at: new Date(t).toISOString() });
      const stats = await runSilverStep({ wh, runId, baseCurrency: options.baseCurrency, recordChanges: needed.has(`silver.${entity.name}`) }, entity);
      await tell('stepFinished', { ...step, at: new Date().toISOString(), rows: stats.accepted, tests: [] });
      tempTables.push(...silverTempTables(entity));
      (needed.has(`silver.${entity.name}`) ? silverChangeSets : silverUnrecorded).add(`silver.${entity.name}`);
      if (stats.changed > 0) changed.add(`silver.${entity.name}`);
      entities.push(stats);
      const line = describeSilverStep(stats, Date.now() - t);
      if (line) progress(line);
    }
    const results: ModelResult[] = [];
    const ctx = { wh, runId, baseCurrency: options.baseCurrency, plan, changed, needed, tempTables, tempViews, rebuiltRows: new Map() };
    for (const m of models) {
      const step = { runId, step: m.name, layer: 'gold' as const, inputs: m.dependsOn };
      where.step = m.name;
      try {
        // A skipped model is not a step of this run: it is announced only once it is known to have built.
        const builtBefore = apart?.models.get(m.name);
        const at = builtBefore?.at ?? new Date().toISOString();
        if (builtBefore) await adoptBuilt(ctx, m);
        const r = builtBefore?.result ?? await buildModel(ctx, m);
        results.push(r);
        if (r.mode !== 'skipped') {
          const tests = await testModel(wh, m, r);
          where.tests.push(...tests);
          await tell('stepStarted', { ...step, at });
          await tell('stepFinished', { ...step, at: new Date().toISOString(), rows: r.inserted, result: r, tests });
          gate(tests);
          if (tests.length) progress(`${m.name}: ${describeTests(tests)}`);
        }
        if (r.mode !== 'skipped' && !builtBefore) progress(describeBuild(r));
      } catch (e) {
        if (e instanceof StorePulseError || wh.isTransient(e)) throw e;
        throw Errors.modelFailed(m.name, (e as Error).message.split('\n')[0]);
      }
    }
    where.step = 'reconciliation';
    const revenue = results.find((r) => r.model === 'gold.mart_daily_revenue');
    const reconciled = [
      ...await reconcileRunRecords((sql) => wh.all(sql), runId, entities),
      // Revenue over the order days this run rebuilt (all of them after a full build).
      ...(!revenue || revenue.mode === 'skipped' ? [] : await reconcileRevenue((sql) => wh.all(sql),
        revenue.mode === 'incremental' ? {
          days: affectedTable(revenue.model),
          changedOrders: changedOrderSets({ tempTables, tempViews }, silverChangeSets, silverUnrecorded),
        } : undefined, wh.dialect.type('exact'))),
    ];
    where.tests.push(...reconciled);
    gate(reconciled);
    progress(`reconciliation: ${describeTests(reconciled)}`);
    where.step = undefined;
    const batches = await wh.run('UPDATE meta.batches SET processed_run_id = $1 WHERE batch_id IN (SELECT batch_id FROM run_batches)', [runId]);
    // One statement for every entity of the run (each alone was a round trip of its own).
    if (entities.length) {
      const values = entities.map((_, i) => `(${Array.from({ length: 8 }, (__, j) => `$${i * 8 + j + 1}`).join(', ')})`).join(', ');
      await wh.run(`INSERT INTO meta.entity_stats (run_id, entity, read, rejected, accepted, promoted, pending, changed) VALUES ${values}`,
        entities.flatMap((s) => [runId, s.entity, s.read, s.rejected, s.accepted, s.promoted, s.pending, s.changed]));
    }
    await recordTests(wh, runId, where.tests);
    const summary = { entities, models: results, tests: where.tests };
    // Not CURRENT_TIMESTAMP: inside a transaction both engines give the time the transaction began.
    await wh.run("UPDATE meta.runs SET status = 'succeeded', finished_at = CAST($3 AS TIMESTAMPTZ), summary = $2 WHERE run_id = $1",
      [runId, JSON.stringify(summary), new Date().toISOString()]);
    return { batches, ...summary };
  } finally {
    await dropTempTables(wh, tempTables, tempViews);
  }
}

/**
 * Drops a run's temp views, then its temp tables (PostgreSQL refuses to drop a table a view reads), in one call: a
 * run makes about 150, and each statement sent alone cost its own round trip (a DuckDB DROP 0.2-0.4 ms alone, 0.05
 * ms among many). Where that fails (a transaction already broken by an error), each is tried alone, so one failure
 * does not keep the others.
 */
async function dropTempTables(wh: Warehouse, tables: readonly string[], views: readonly string[] = []): Promise<void> {
  const drops = [...views.map((v) => `DROP VIEW IF EXISTS ${v}`), ...tables.map((t) => `DROP TABLE IF EXISTS ${t}`)];
  if (drops.length === 0) return;
  try {
    await wh.run(drops.map((d) => `${d};`).join('\n'));
  } catch {
    for (const d of drops) await wh.run(d).catch(() => undefined);
  }
}

/**
 * A model's tests over the rows this run built: the affected partitions, or the whole table after a full build.
 * An incremental build that re-opened no partition built nothing to test.
 */
async function testModel(wh: Warehouse, m: Model, r: ModelResult): Promise<TestOutcome[]> {
  if (m.tests.length === 0 || (r.mode === 'incremental' && r.partitions === 0)) return [];
  const { from, scope } = builtRows(m, r);
  return runTests((sql) => wh.all(sql), { table: m.name, from, tests: m.tests, keyColumns: sampleKey(m.tests, m.partitionBy) }, scope, wh.dialect);
}

/** An error-level test stops the run here: the transaction rolls back and the previous gold stays served. */
function gate(tests: readonly TestOutcome[]): void {
  const errors = tests.filter((t) => t.status === 'error');
  if (errors.length) throw Errors.testsFailed(errors.map((t) => t.message ?? `${t.model} ${t.test}`));
}

function describeTests(tests: readonly TestOutcome[]): string {
  const count = (s: TestOutcome['status']) => tests.filter((t) => t.status === s).length;
  const warned = tests.filter((t) => t.status === 'warn').map((t) => t.message).join('; ');
  return `${count('pass')} of ${tests.length} tests passed${count('warn') ? `, ${count('warn')} warned (${warned})` : ''}`;
}

/** Warnings and errors are kept per run (passes are in the run's summary): what to look into, without a row per test per micro-batch. */
async function recordTests(wh: Warehouse, runId: number, tests: readonly TestOutcome[]): Promise<void> {
  const kept = tests.filter((t) => t.status !== 'pass');
  if (kept.length === 0) return;
  const params = kept.flatMap((t) => [runId, t.model, t.test, t.kind, t.status, t.failures, t.rows, JSON.stringify(t.sample), t.message ?? null]);
  const rows = kept.map((_, i) => `(${Array.from({ length: 9 }, (__, j) => `$${i * 9 + j + 1}`).join(', ')})`).join(', ');
  await wh.run(`INSERT INTO meta.test_results (run_id, model, test, kind, status, failures, rows_tested, sample, message) VALUES ${rows}`, params);
}

async function recordFailure(wh: Warehouse, runId: number, startedAt: string, e: unknown, tests: readonly TestOutcome[]): Promise<void> {
  const message = (e as Error).message ?? String(e);
  // One transaction: a reader never sees the failed run without the tests that say why it failed
  // (they are kept although the run's data was rolled back).
  await wh.transaction(async () => {
    await wh.run("INSERT INTO meta.runs (run_id, started_at, finished_at, status, error) VALUES ($1, CAST($2 AS TIMESTAMPTZ), CAST($4 AS TIMESTAMPTZ), 'failed', $3)",
      [runId, startedAt, message, new Date().toISOString()]);
    await recordTests(wh, runId, tests);
  }).catch(() => undefined);
}
