// Which models compare a rebuilt partition's rows before and after by a plain set difference (EXCEPT) rather than
// the multiset one (EXCEPT ALL): only those whose rows a run-failing uniqueness test keeps distinct. And where a
// model's data tests read the rows a run built.
import { describe, expect, it } from 'vitest';
import { loadModels, parseModel } from '../../src/models/model-file.js';
import { builtRows, rowsAreUnique, type ModelResult } from '../../src/pipeline/model-runner.js';

const model = (tests: string) => parseModel('/m/mart_x.sql',
  `/* ---\ndescription: orders per day\npartition_by: order_date\naffected:\n  gold.fact_order: SELECT order_date FROM {{ changes }}\n${tests}--- */\n` +
  'SELECT o.order_date, COUNT(*) AS orders FROM gold.fact_order o WHERE {{ partition_filter(\'o.order_date\') }} GROUP BY 1');

describe('rows known to be distinct', () => {
  it('are those of a model whose uniqueness test fails the run on any duplicate', () => {
    expect(rowsAreUnique(model('tests:\n  - unique: order_date\n'))).toBe(true);
    expect(rowsAreUnique(model('tests:\n  - unique: order_date\n    error_if: "> 0"\n'))).toBe(true);
    // A repeated row makes two failing rows, so a limit of one still stops it.
    expect(rowsAreUnique(model('tests:\n  - unique: order_date\n    error_if: "> 1"\n'))).toBe(true);
  });

  it('are not assumed without such a test: none, one that only warns, or one that lets some duplicates through', () => {
    expect(rowsAreUnique(model(''))).toBe(false);
    expect(rowsAreUnique(model('tests:\n  - not_null: order_date\n'))).toBe(false);
    expect(rowsAreUnique(model('tests:\n  - unique: order_date\n    severity: warn\n'))).toBe(false);
    expect(rowsAreUnique(model('tests:\n  - unique: order_date\n    error_if: "> 10"\n'))).toBe(false);
    expect(rowsAreUnique(model('tests:\n  - unique: order_date\n    error_if: "> 0.5%"\n'))).toBe(false);
  });

  it('hold for the order models whose change sets the day reads most', () => {
    const byName = new Map(loadModels().map((m) => [m.name, m]));
    for (const name of ['gold.fact_order', 'gold.fact_order_line', 'gold.fact_order_product', 'gold.mart_order_tracking']) {
      expect(rowsAreUnique(byName.get(name)!), name).toBe(true);
    }
    expect(rowsAreUnique(byName.get('gold.mart_returns_daily')!)).toBe(false);
  });
});

describe('the rows a model\'s tests read after a build', () => {
  const m = model('tests:\n  - unique: order_date\n');
  const result = (mode: ModelResult['mode']): ModelResult => ({ model: m.name, mode, deleted: 0, inserted: 1, ms: 1 });

  it('are the rebuilt partitions\' rows an incremental build kept apart', () => {
    expect(builtRows(m, result('incremental'))).toEqual({ from: 'new_chg_gold_mart_x', scope: 'TRUE' });
  });

  it('are the whole table after a full build', () => {
    expect(builtRows(m, result('full'))).toEqual({ scope: 'TRUE' });
  });
});
