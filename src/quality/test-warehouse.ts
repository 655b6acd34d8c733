// `storepulse test`: every model's tests over its whole table, and the reconciliations over all history,
// on committed data (a running service keeps serving while this reads).
import { Errors } from '../errors/catalogue.js';
import type { Model } from '../models/model-file.js';
import { notBuiltApart } from '../pipeline/built-apart-names.js';
import type { Warehouse } from '../warehouse/engine.js';
import { runTests, sampleKey } from './model-tests.js';
import { reconcileAllRecords, reconcileRevenue } from './reconciliation.js';
import type { TestOutcome } from './test-outcome.js';

export async function testWarehouse(wh: Warehouse, models: readonly Model[], only?: string): Promise<TestOutcome[]> {
  const wanted = only ? models.filter((m) => m.name === only || m.name === `gold.${only}`) : models;
  if (only && wanted.length === 0) throw Errors.badOption('--model', only, `a model name such as ${models[0]?.name ?? 'gold.fact_order'}`);
  const built = new Set((await wh.read<{ t: string }>(
    `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema = 'gold' AND ${notBuiltApart()}`)).map((r) => r.t));
  if (!wanted.some((m) => built.has(m.name))) throw Errors.noData('Gold is not built yet');
  const query = <T>(sql: string) => wh.read<T>(sql);
  const outcomes: TestOutcome[] = [];
  for (const m of wanted) {
    if (!built.has(m.name)) continue;
    outcomes.push(...await runTests(query, { table: m.name, tests: m.tests, keyColumns: sampleKey(m.tests, m.partitionBy) }, undefined, wh.dialect));
  }
  if (!only) {
    outcomes.push(...await reconcileAllRecords(wh));
    if (built.has('gold.mart_daily_revenue') && built.has('gold.fact_order')) outcomes.push(...await reconcileRevenue(query, undefined, wh.dialect.type('exact')));
  }
  return outcomes;
}
