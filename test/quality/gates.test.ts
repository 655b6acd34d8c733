// Data tests and the quality gate: each kind of test finds what it should on both engines; a run whose data
// breaks an error-level test is rolled back (the previous gold stays), and fixing the data publishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src/contracts/index.js';
import { ingestRecords } from '../../src/ingest/record-ingest.js';
import { loadModels, parseModel } from '../../src/models/model-file.js';
import { judge, parseTests, parseThreshold, runTests, type TestSpec } from '../../src/quality/model-tests.js';
import { testWarehouse } from '../../src/quality/test-warehouse.js';
import { listRuns } from '../../src/pipeline/run-history.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';

describe('test declarations', () => {
  it('reads dbt-style tests and thresholds, and says what is wrong with a bad one', () => {
    const tests = parseTests('m.sql', [
      { unique: ['order_id', 'line_number'] },
      { not_null: ['a', 'b'], error_if: '> 0.5%' },
      { relationships: { column: 'product_id', to: 'gold.dim_product', field: 'product_id' } },
      { accepted_values: { column: 'channel', values: ['web', 'store'] }, severity: 'warn' },
      { expression: 'quantity > 0', warn_if: '> 10' },
    ]);
    expect(tests.map((t) => t.name)).toEqual([
      'unique(order_id, line_number)', 'not_null(a)', 'not_null(b)', 'relationships(product_id → gold.dim_product.product_id)',
      'accepted_values(channel)', 'expression(quantity > 0)',
    ]);
    expect(tests[1].errorIf).toMatchObject({ op: '>', value: 0.005, fraction: true });
    expect(parseThreshold('> 10', 't')).toMatchObject({ value: 10, fraction: false });
    expect(parseThreshold('>= 0.02', 't')).toMatchObject({ op: '>=', value: 0.02, fraction: true });
    expect(() => parseTests('m.sql', [{ unique: 'a', not_null: 'b' }])).toThrow(/exactly one of/);
    expect(() => parseTests('m.sql', [{ not_null: 'a', error_if: 'lots' }])).toThrow(/"lots" is not a threshold/);
    expect(() => parseTests('m.sql', [{ relationships: { column: 'a', to: 'dim_x' } }])).toThrow(/gold\.dim_product/);
    expect(() => parseTests('m.sql', [{ expression: 'a > 0; DROP TABLE x' }])).toThrow(/one SQL condition/);
  });

  it('judges failures against warn_if and error_if as dbt does', () => {
    const [share] = parseTests('m.sql', [{ not_null: 'a', warn_if: '> 0', error_if: '> 1%' }]);
    expect(judge(share, 0, 1000)).toBe('pass');
    expect(judge(share, 5, 1000)).toBe('warn');
    expect(judge(share, 11, 1000)).toBe('error');
    const [warnOnly] = parseTests('m.sql', [{ unique: 'a', severity: 'warn' }]);
    expect(judge(warnOnly, 100, 100)).toBe('warn');
  });

  it('every shipped model declares tests that parse', () => {
    const models = loadModels();
    expect(models.filter((m) => m.tests.length > 0).map((m) => m.name)).toEqual(
      expect.arrayContaining(['gold.fact_order', 'gold.fact_order_line', 'gold.dim_product', 'gold.mart_daily_revenue']));
  });
});

describe.each(ENGINES)('data tests on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeAll(async () => {
    home = await openTestHome(engine);
    await home.wh.run(`CREATE TABLE gold.widgets AS
      SELECT * FROM (VALUES (1, 'web', 'P1', 2, NULL), (2, 'web', 'P9', 0, NULL), (2, 'fax', NULL, 3, 'x'), (4, 'store', 'P1', 1, 'y'))
        AS v(id, channel, product_id, quantity, note)`);
    // A part without an id: a NOT IN over every id would find no orphan at all.
    await home.wh.run(`CREATE TABLE gold.parts AS SELECT * FROM (VALUES ('P1'), ('P2'), (NULL)) AS v(product_id)`);
  });
  afterAll(async () => { await home?.cleanup(); });

  // The SQL both engines share, and the engine's own where its dialect has some (Dialect.keyHash, antiJoinByNotIn).
  it.each([['shared', false], ['own', true]])('counts failing rows and names samples for each kind of test (%s SQL)', async (_, own) => {
    const dialect = own ? home.wh.dialect : {};
    const statements: string[] = [];
    const query = <T>(sql: string) => { statements.push(sql); return home.wh.all<T>(sql); };
    const tests: TestSpec[] = parseTests('widgets.sql', [
      { unique: 'id' },
      // Two rows without a note share one key, as SQL groups them; and no key twice.
      { unique: 'note' },
      { unique: ['id', 'channel'] },
      { not_null: 'product_id' },
      { relationships: { column: 'product_id', to: 'gold.parts', field: 'product_id' } },
      { accepted_values: { column: 'channel', values: ['web', 'store'] } },
      { expression: 'quantity > 0' },
      // A subquery keeps a test out of the shared scan: it runs on its own, with the same count.
      { expression: 'product_id IN (SELECT p.product_id FROM gold.parts p)' },
    ]);
    const outcomes = await runTests(query, { table: 'gold.widgets', tests, keyColumns: ['id', 'channel'] }, undefined, dialect);
    const by = Object.fromEntries(outcomes.map((o) => [o.test, o]));
    expect(by['unique(id)']).toMatchObject({ status: 'error', failures: 2, rows: 4, sample: ['2'] });
    expect(by['unique(note)']).toMatchObject({ status: 'error', failures: 2, rows: 4, sample: ['NULL'] });
    expect(by['unique(id, channel)']).toMatchObject({ status: 'pass', failures: 0, rows: 4 });
    expect(statements.some((sql) => /COUNT\(DISTINCT hash\(/.test(sql))).toBe(own && home.wh.dialect.keyHash !== undefined);
    expect(statements.some((sql) => /NOT IN \(SELECT p\.product_id/.test(sql))).toBe(own && home.wh.dialect.antiJoinByNotIn === true);
    expect(by['not_null(product_id)']).toMatchObject({ status: 'error', failures: 1, sample: ['2|fax'] });
    // A NULL reference is not_null's business, not a broken relationship.
    expect(by['relationships(product_id → gold.parts.product_id)']).toMatchObject({ failures: 1, sample: ['2|web'] });
    expect(by['accepted_values(channel)']).toMatchObject({ failures: 1, sample: ['2|fax'] });
    expect(by['expression(quantity > 0)']).toMatchObject({ failures: 1, sample: ['2|web'] });
    expect(by['expression(quantity > 0)'].message).toMatch(/gold\.widgets expression\(quantity > 0\): 1 of 4 rows fail/);
    // Unknown and missing products alike: the row without one and the row with a product not in parts.
    expect(by['expression(product_id IN (SELECT p.product_id FROM gold.parts p))']).toMatchObject({ failures: 2, rows: 4 });
    // Scoped to some rows, as a run scopes them to the partitions it rebuilt.
    statements.length = 0;
    const scoped = await runTests(query, { table: 'gold.widgets', tests, keyColumns: ['id'] }, 't.id IN (1, 4)', dialect);
    expect(scoped.every((o) => o.status === 'pass' && o.rows === 2)).toBe(true);
    // A run's few rows hash their own keys, not the parent's (NOT EXISTS), on every engine.
    expect(statements.some((sql) => /NOT IN \(SELECT p\.product_id/.test(sql))).toBe(false);
    expect(statements.some((sql) => /NOT EXISTS \(SELECT 1 FROM gold\.parts/.test(sql))).toBe(true);
  });
});

const returnsEntity = ENTITIES.find((e) => e.name === 'returns')!;
const post = (wh: TestHome['wh'], entity: string, records: Record<string, unknown>[]) =>
  ingestRecords(wh, ENTITIES.find((e) => e.name === entity)!, records, { source: 'test', baseCurrency: 'EUR', lockWaitMs: 0 });
const revenue = async (wh: TestHome['wh']) =>
  (await wh.read<{ refunds: string; orders: string }>('SELECT CAST(SUM(refunds) AS VARCHAR) AS refunds, CAST(SUM(orders) AS VARCHAR) AS orders FROM gold.mart_daily_revenue'))[0];

describe.each(ENGINES)('the quality gate on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeAll(async () => {
    home = await openTestHome(engine);
    await post(home.wh, 'orders', ['O1', 'O2'].map((id) => ({
      order_id: id, customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
    })));
    await post(home.wh, 'order_items', ['O1', 'O2'].map((id) => ({ order_id: id, line_number: 1, product_id: 'P1', quantity: 2, unit_price: '25.00' })));
    await runPipeline(home.wh, { baseCurrency: 'EUR' });
  });
  afterAll(async () => { await home?.cleanup(); });

  it('a refund above what was paid fails the run, keeps the previous gold, and says which test and which order', async () => {
    const before = await revenue(home.wh);
    // A typo in a returns feed: 10,000 refunded on a 50 order. Silver accepts it (refunds ≥ 0); gold's test does not.
    await ingestRecords(home.wh, returnsEntity, [{ return_id: 'R1', order_id: 'O1', product_id: 'P1', quantity: 1, refund_amount: '10000.00', requested_ts: '2026-03-05T10:00:00Z', updated_at: '2026-03-05T10:00:00Z' }],
      { source: 'test', baseCurrency: 'EUR', lockWaitMs: 0 });
    const failure = await runPipeline(home.wh, { baseCurrency: 'EUR' }).then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(failure?.code).toBe('SP_ERR_TEST_FAILED');
    expect(failure?.message).toMatch(/gold\.fact_order expression\(line_count = 0 OR refunds <= gross_revenue - discounts \+ shipping \+ tax\): 1 of \d+ rows fail.*e\.g\. O1/);
    expect(await revenue(home.wh)).toEqual(before);
    const [run] = await listRuns(home.wh, { limit: 1 });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/SP_ERR_TEST_FAILED|Data test failed/);
    expect(run.tests).toEqual([expect.objectContaining({ model: 'gold.fact_order', status: 'error', failures: 1, sample: ['O1'] })]);
    // The batch is still waiting: the next run tries it again.
    const [{ n }] = await home.wh.read<{ n: number }>("SELECT COUNT(*) AS n FROM meta.batches WHERE entity = 'returns' AND processed_run_id IS NULL");
    expect(Number(n)).toBe(1);
  });

  it('publishes once the data is fixed, with the tests and reconciliations in the run summary', async () => {
    await ingestRecords(home.wh, returnsEntity, [{ return_id: 'R1', order_id: 'O1', product_id: 'P1', quantity: 1, refund_amount: '10.00', requested_ts: '2026-03-05T10:00:00Z', updated_at: '2026-03-05T11:00:00Z' }],
      { source: 'test', baseCurrency: 'EUR', lockWaitMs: 0 });
    const summary = await runPipeline(home.wh, { baseCurrency: 'EUR' });
    expect(summary.status).toBe('succeeded');
    expect(Number((await revenue(home.wh)).refunds)).toBe(10);
    expect(summary.tests.filter((t) => t.status === 'error')).toEqual([]);
    expect(summary.tests.map((t) => t.test)).toEqual(expect.arrayContaining(['reconcile(records)', 'expression(line_count = 0 OR refunds <= gross_revenue - discounts + shipping + tax)']));
    // On demand, over the whole warehouse: everything passes, reconciliations included.
    const all = await testWarehouse(home.wh, loadModels());
    expect(all.filter((o) => o.status === 'error')).toEqual([]);
    expect(all.find((o) => o.test === 'reconcile(gross_revenue)')).toMatchObject({ status: 'pass', rows: 100 });
  });

  it('reports a reconciliation break with the difference', async () => {
    // Tamper with gold behind the pipeline's back: the on-demand check must notice.
    await home.wh.run("UPDATE gold.mart_daily_revenue SET gross_revenue = gross_revenue + 1 WHERE order_date = CAST('2026-03-02' AS DATE)");
    const all = await testWarehouse(home.wh, loadModels());
    expect(all.find((o) => o.test === 'reconcile(gross_revenue)')).toMatchObject({ status: 'error', failures: 1 });
    expect(all.find((o) => o.test === 'reconcile(gross_revenue)')?.message).toMatch(/expected 100, found 101 \(difference \+1\)/);
  });

  it('reconciles a rebuilt day from its first to its last instant, and no more', async () => {
    const ids = ['D0', 'D1', 'D2'];
    await post(home.wh, 'orders', [['D0', '2026-03-03T23:59:59Z'], ['D1', '2026-03-04T00:00:00Z'], ['D2', '2026-03-04T23:59:59.999Z']].map(([id, ts]) => ({
      order_id: id, customer_id: 'C1', order_ts: ts, channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
    })));
    await post(home.wh, 'order_items', ids.map((id) => ({ order_id: id, line_number: 1, product_id: 'P1', quantity: 1, unit_price: '10.00' })));
    const summary = await runPipeline(home.wh, { baseCurrency: 'EUR' });
    // The run rebuilt 3 and 4 March (not the 2nd, tampered with above): D0 on the 3rd, D1 and D2 on the 4th.
    const reconciled = summary.tests.filter((t) => t.kind === 'reconciliation' && t.model === 'gold.mart_daily_revenue');
    expect(reconciled.map((t) => [t.test, t.status, t.rows])).toEqual([['reconcile(orders)', 'pass', 3], ['reconcile(gross_revenue)', 'pass', 30]]);
  });
});

describe.each(ENGINES)('the tests of a model no other model reads, on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  // Orders per day, allowed at most two: the third order of a day must fail the incremental run that rebuilds it.
  const models = [...loadModels(), parseModel('/gold/mart_busy_days.sql', `/* ---
description: orders per day, at most two
partition_by: order_date
affected:
  gold.fact_order: SELECT order_date FROM {{ changes }}
tests:
  - unique: order_date
  - expression: orders <= 2
--- */
SELECT o.order_date, COUNT(*) AS orders FROM gold.fact_order o WHERE {{ partition_filter('o.order_date') }} GROUP BY o.order_date`)];
  const orders = (ids: string[]) => post(home.wh, 'orders', ids.map((id) => ({
    order_id: id, customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid',
  })));
  beforeAll(async () => {
    home = await openTestHome(engine);
    await orders(['B1', 'B2']);
    await runPipeline(home.wh, { baseCurrency: 'EUR', models });
  });
  afterAll(async () => { await home?.cleanup(); });

  it('read the rows an incremental run rebuilt, and fail it on them', async () => {
    await orders(['B3']);
    const failure = await runPipeline(home.wh, { baseCurrency: 'EUR', models }).then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(failure?.code).toBe('SP_ERR_TEST_FAILED');
    expect(failure?.message).toMatch(/gold\.mart_busy_days expression\(orders <= 2\): 1 of 1 rows fail.*e\.g\. 2026-03-02/);
    const [{ n }] = await home.wh.read<{ n: number }>('SELECT orders AS n FROM gold.mart_busy_days');
    expect(Number(n)).toBe(2);
  });
});
