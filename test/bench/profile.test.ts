// The statement profile (bench/profile.ts) times what the pipeline sends through the warehouse, under the step
// that sent it, and still hands the pipeline every answer and every error unchanged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stepTimer, summarise, timedWarehouse, type StatementTime } from '../../bench/profile.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';

describe('statement profile', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => { wh = await DuckDBWarehouse.open(':memory:'); });
  afterEach(async () => { await wh.close(); });

  it('times each run and all under the current step and passes their answers through', async () => {
    const times: StatementTime[] = [];
    let step = 'silver.orders';
    const timed = timedWarehouse(wh, () => step, times);
    expect(await timed.run('CREATE TABLE t AS SELECT * FROM range(5) r(i)')).toBe(5);
    step = 'gold.fact_order';
    expect(await timed.all('SELECT SUM(i) AS s FROM t WHERE i > $1', [1])).toEqual([{ s: 9 }]);
    expect(times.map((t) => [t.step, t.sql])).toEqual([
      ['silver.orders', 'CREATE TABLE t AS SELECT * FROM range(5) r(i)'],
      ['gold.fact_order', 'SELECT SUM(i) AS s FROM t WHERE i > $1'],
    ]);
    expect(times.every((t) => t.ms >= 0)).toBe(true);
    // Everything else is the warehouse's own, bound to it.
    expect(timed.kind).toBe('duckdb');
    expect(await timed.transaction(async () => timed.all('SELECT COUNT(*) AS n FROM t'))).toEqual([{ n: 5 }]);
  });

  it('times a statement that fails and passes its error on', async () => {
    const times: StatementTime[] = [];
    const timed = timedWarehouse(wh, () => 'gold.broken', times);
    await expect(timed.run('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
    expect(times).toHaveLength(1);
    expect(times[0].step).toBe('gold.broken');
  });

  it('sums each step and lists its slowest statements, slowest step first', () => {
    const t = (step: string, ms: number, sql = `q${ms}`): StatementTime => ({ step, sql, ms });
    const steps = summarise([t('a', 1), t('b', 5), t('a', 3), t('b', 2), t('a', 4)], 2);
    expect(steps).toEqual([
      { step: 'a', ms: 8, statements: 3, slowest: [t('a', 4), t('a', 3)] },
      { step: 'b', ms: 7, statements: 2, slowest: [t('b', 5), t('b', 2)] },
    ]);
  });

  it('puts each statement under the step whose progress line comes after it, and the rest after the last step', async () => {
    const timer = stepTimer(wh);
    await timer.wh.run('CREATE TABLE t AS SELECT 1 AS i');
    await timer.wh.all('SELECT * FROM t');
    timer.onProgress('silver.orders: 3 accepted');
    await timer.wh.all('SELECT 2');
    timer.onProgress('gold.fact_order: 10 of 10 tests passed');
    await timer.wh.all('SELECT 3');
    expect(timer.times().map((t) => [t.step, t.sql])).toEqual([
      ['silver.orders', 'CREATE TABLE t AS SELECT 1 AS i'],
      ['silver.orders', 'SELECT * FROM t'],
      ['gold.fact_order', 'SELECT 2'],
      ['(after the last step)', 'SELECT 3'],
    ]);
  });
});
