// A model's header is checked when it is read: a sum model that could miss a change is refused with the reason,
// before any run builds it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModels, parseModel } from '../../src/models/model-file.js';
import { render } from '../../src/models/render.js';
import { duckdbDialect } from '../../src/warehouse/duckdb/duckdb-dialect.js';
import { postgresDialect } from '../../src/warehouse/postgres/postgres-dialect.js';

const sumModel = (header: string, sql = "SELECT l.product_id, CAST(SUM(l._sign) AS BIGINT) AS n FROM {{ signed('gold.fact_order_line') }} l GROUP BY l.product_id") =>
  `/* ---\ndescription: lines per product\n${header}\n--- */\n${sql}`;
const SUM_HEADER = `incremental_strategy: sum
partition_by: order_id
unique_key: [product_id]
sum: n
affected:
  gold.fact_order_line: SELECT order_id FROM {{ changes }}`;

type WriteModels = (...files: (readonly [string, string])[]) => void;

/** Runs `body` with a scratch models directory and a writer of model files into it; the directory goes after. */
function inModelsDir(body: (write: WriteModels, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sp-models-'));
  try {
    body((...files) => { for (const [f, text] of files) writeFileSync(join(dir, f), text); }, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('sum models', () => {
  it('reads the strategy, key and sums, and reads its input whole in a full build', () => {
    const m = parseModel('/m/mart_x.sql', sumModel(SUM_HEADER));
    expect(m).toMatchObject({ strategy: 'sum', sumOver: 'partitions', uniqueKey: ['product_id'], sums: ['n'], dependsOn: ['gold.fact_order_line'], summedInputs: ['gold.fact_order_line'] });
    expect(parseModel('/m/mart_x.sql', sumModel(`${SUM_HEADER}\nsum_over: changed_rows`)).sumOver).toBe('changed_rows');
    // Its key is what the merge joins on: tested as unique although the header names no test.
    expect(m.tests).toMatchObject([{ kind: 'unique', columns: ['product_id'] }]);
    const full = render(m.sql, { dialect: duckdbDialect, baseCurrency: 'EUR' });
    expect(full).toContain('(SELECT 1 AS _sign, s.* FROM gold.fact_order_line s) l');
    expect(render(m.sql, { dialect: duckdbDialect, baseCurrency: 'EUR', signed: new Map([['gold.fact_order_line', 'sgn_gold_mart_x']]) })).toContain('FROM sgn_gold_mart_x l');
    // Several inputs summed, and one read as it is now (its change rebuilds the model whole).
    const several = parseModel('/m/mart_x.sql', sumModel(`${SUM_HEADER}\n  gold.fact_order: SELECT order_id FROM {{ changes }}\n  gold.dim_product: SELECT order_id FROM gold.fact_order_line`,
      `SELECT p.category AS product_id, CAST(SUM(l._sign) AS BIGINT) AS n FROM {{ signed('gold.fact_order_line') }} l
       JOIN {{ signed('gold.fact_order') }} o ON o.order_id = l.order_id AND o._sign = l._sign JOIN gold.dim_product p USING (product_id) GROUP BY 1`));
    expect(several.summedInputs).toEqual(['gold.fact_order', 'gold.fact_order_line']);
    expect(several.dependsOn).toEqual(['gold.dim_product', 'gold.fact_order', 'gold.fact_order_line']);
    expect(() => render(several.sql, { dialect: duckdbDialect, baseCurrency: 'EUR', signed: new Map([['gold.fact_order_line', 'sgn_gold_mart_x']]) }))
      .toThrow(/no rows before and after for gold\.fact_order/);
    expect(parseModel('/m/mart_y.sql', sumModel('partition_by: order_id\naffected:\n  gold.fact_order_line: SELECT order_id FROM {{ changes }}',
      'SELECT * FROM gold.fact_order_line'))).toMatchObject({ strategy: 'delete+insert', uniqueKey: [], sums: [] });
  });

  it('refuses a sum model that could miss a change, saying why', () => {
    const refused = (text: string) => { try { parseModel('/m/mart_x.sql', text); return ''; } catch (e) { return (e as Error).message; } };
    expect(refused(sumModel(SUM_HEADER.replace('sum: n', '')))).toMatch(/needs unique_key and sum/);
    expect(refused(sumModel(`${SUM_HEADER}\n  gold.fact_order: SELECT order_id FROM {{ changes }}`,
      "SELECT l.product_id, COUNT(*) AS n FROM {{ signed('gold.fact_order_line') }} l GROUP BY 1")))
      .toMatch(/affected lists gold.fact_order, which it does not read/);
    expect(refused(sumModel(SUM_HEADER, "SELECT l.product_id, COUNT(*) AS n FROM {{ signed('gold.fact_order_line') }} l JOIN gold.dim_product p USING (product_id) GROUP BY 1")))
      .toMatch(/reads gold.dim_product, which its affected does not list/);
    expect(refused(sumModel(`${SUM_HEADER}\n  gold.fact_order: SELECT order_id FROM {{ changes }}\nsum_over: changed_rows`,
      "SELECT l.product_id, COUNT(*) AS n FROM {{ signed('gold.fact_order_line') }} l JOIN {{ signed('gold.fact_order') }} o USING (order_id) GROUP BY 1")))
      .toMatch(/sum_over: changed_rows reads the change set of one input/);
    expect(refused(sumModel(SUM_HEADER, 'SELECT l.product_id, COUNT(*) AS n FROM gold.fact_order_line l GROUP BY 1'))).toMatch(/as \{\{ signed/);
    expect(refused(sumModel(SUM_HEADER.replace('gold.fact_order_line:', 'silver.order_items:'),
      "SELECT i.product_id, COUNT(*) AS n FROM {{ signed('silver.order_items') }} i GROUP BY 1"))).toMatch(/affected by gold models alone, not silver.order_items/);
    expect(refused(sumModel('partition_by: order_id\naffected:\n  gold.fact_order_line: SELECT order_id FROM {{ changes }}')))
      .toMatch(/belongs to incremental_strategy: sum/);
    expect(refused(sumModel(SUM_HEADER.replace('incremental_strategy: sum', 'incremental_strategy: merge')))).toMatch(/delete\+insert or sum/);
    expect(refused(sumModel(`${SUM_HEADER}\nsum_over: rows`))).toMatch(/sum_over must be partitions or changed_rows/);
    expect(refused(sumModel('partition_by: order_id\nsum_over: changed_rows\naffected:\n  gold.fact_order_line: SELECT order_id FROM {{ changes }}',
      'SELECT * FROM gold.fact_order_line'))).toMatch(/sum_over belongs to incremental_strategy: sum/);
  });

  it('keeps no change set, so no model may be affected by one', () => {
    inModelsDir((write, dir) => {
      write(['fact_order_line.sql', `/* ---\ndescription: lines\npartition_by: order_id\naffected:
  silver.order_items: SELECT order_id FROM {{ changes }}\n--- */\nSELECT i.order_id, i.product_id FROM silver.order_items i`],
      ['mart_x.sql', sumModel(SUM_HEADER)]);
      expect(loadModels(dir).map((m) => m.name)).toEqual(['gold.fact_order_line', 'gold.mart_x']);
      // What it sums keeps its rows before and after by partition: by the sum model's partition column.
      write(['mart_y.sql', sumModel(SUM_HEADER.replace('partition_by: order_id', 'partition_by: product_id'))]);
      expect(() => loadModels(dir)).toThrow(/signed\('gold.fact_order_line'\) }} needs gold.fact_order_line partitioned as this model is \(by product_id, not order_id\)/);
      rmSync(join(dir, 'mart_y.sql'));
      write(['mart_z.sql', `/* ---\ndescription: reads the sums\npartition_by: product_id\naffected:
  gold.mart_x: SELECT product_id FROM {{ changes }}\n--- */\nSELECT x.product_id FROM gold.mart_x x`]);
      expect(() => loadModels(dir)).toThrow(/affected cannot name gold.mart_x: sum models keep no change set/);
    });
    expect(loadModels().filter((m) => m.strategy === 'sum').map((m) => m.name))
      .toEqual(['gold.mart_category_daily', 'gold.mart_product_affinity', 'gold.mart_product_experience']);
  });
});

describe('affected by a model read through another', () => {
  const model = (name: string, affected: string, sql: string) =>
    [`${name}.sql`, `/* ---\ndescription: ${name}\npartition_by: customer_id\naffected:\n  ${affected}\n--- */\n${sql}`] as const;

  it('is allowed when the SQL reads the table through the models it reads, and refused otherwise', () => {
    inModelsDir((write, dir) => {
      write(
        model('fact_a', 'silver.orders: SELECT customer_id FROM {{ changes }}', 'SELECT o.customer_id FROM silver.orders o'),
        model('mart_b', 'gold.fact_a: SELECT customer_id FROM {{ changes }}', 'SELECT a.customer_id FROM gold.fact_a a'),
        // Affected by fact_a, which it reads through mart_b: built after both.
        model('mart_c', 'gold.fact_a: SELECT customer_id FROM {{ changes }}', 'SELECT b.customer_id FROM gold.mart_b b'),
      );
      expect(loadModels(dir).map((m) => m.name)).toEqual(['gold.fact_a', 'gold.mart_b', 'gold.mart_c']);
      // fact_d is not read at all, directly or not: its change would come after this model was built.
      write(model('fact_d', 'silver.orders: SELECT customer_id FROM {{ changes }}', 'SELECT o.customer_id FROM silver.orders o'),
        model('mart_c', 'gold.fact_d: SELECT customer_id FROM {{ changes }}', 'SELECT b.customer_id FROM gold.mart_b b'));
      expect(() => loadModels(dir)).toThrow(/affected names gold.fact_d, which the SQL does not read, directly or through the models it reads/);
    });
  });
});

describe('an upstream read through {{ rebuilt(...) }}', () => {
  const model = (name: string, partitionBy: string, sql: string, header = '') =>
    [`${name}.sql`, `/* ---\ndescription: ${name}\npartition_by: ${partitionBy}\naffected:
  silver.orders: SELECT ${partitionBy} FROM {{ changes }}\n${header}--- */\n${sql}`] as const;

  it('is read from its rows just rebuilt only where they can stand for its table, and refused otherwise, saying why', () => {
    inModelsDir((write, dir) => {
      write(
        model('fact_a', 'order_id', 'SELECT o.order_id, o.customer_id FROM silver.orders o WHERE {{ partition_filter(\'o.order_id\') }}'),
        model('fact_b', 'order_id', "SELECT a.order_id FROM {{ rebuilt('gold.fact_a') }} a WHERE {{ partition_filter('a.order_id') }}"),
      );
      const b = loadModels(dir).find((m) => m.name === 'gold.fact_b')!;
      expect(b.readsRebuilt).toEqual(['gold.fact_a']);
      // It reads the table as any other: built after it, and in a full build from the table itself.
      expect(b.dependsOn).toEqual(['gold.fact_a']);
      expect(render(b.sql, { dialect: duckdbDialect, baseCurrency: 'EUR' })).toContain('FROM gold.fact_a a');
      expect(render(b.sql, { dialect: duckdbDialect, baseCurrency: 'EUR', affectedTable: 'aff', rebuilt: new Map([['gold.fact_a', 'new_a']]) }))
        .toContain('FROM new_a a');

      // Another partition column: its partitions' values are not the upstream's.
      write(model('fact_b', 'customer_id', "SELECT a.customer_id FROM {{ rebuilt('gold.fact_a') }} a WHERE {{ partition_filter('a.customer_id') }}"));
      expect(() => loadModels(dir)).toThrow(/rebuilt\('gold.fact_a'\) }} needs gold.fact_a partitioned as this model is \(by customer_id, not order_id\)/);
      // Silver keeps no rows after per partition.
      write(model('fact_b', 'order_id', "SELECT o.order_id FROM {{ rebuilt('silver.orders') }} o"));
      expect(() => loadModels(dir)).toThrow(/rebuilt\('silver.orders'\) }} needs a gold model rebuilt by partition/);
      // A model rebuilt whole (or a sum model) rebuilds no partitions that the rows could cover.
      write(model('fact_b', 'order_id', "SELECT a.order_id FROM {{ rebuilt('gold.fact_a') }} a", 'materialized: table\n'));
      expect(() => loadModels(dir)).toThrow(/rebuilt\('table'\) }} belongs to delete\+insert incremental models/);
    });
  });
});

describe('models built in parts', () => {
  const partsModel = (parts: string, sql = 'SELECT e.session_id, COUNT(*) AS n FROM silver.events e WHERE {{ partition_filter(\'e.session_id\') }} GROUP BY 1', more = '') =>
    `/* ---\ndescription: sessions\npartition_by: session_id\n${more}full_build_parts: ${parts}\naffected:\n  silver.events: SELECT session_id FROM {{ changes }}\n--- */\n${sql}`;
  const refused = (text: string) => { try { parseModel('/m/fact_x.sql', text); return ''; } catch (e) { return (e as Error).message; } };

  it('renders each part of a full build as a hash filter on DuckDB, and a build of changes as before', () => {
    const m = parseModel('/m/fact_x.sql', partsModel('4'));
    expect(m.fullBuildParts).toBe(4);
    expect(parseModel('/m/fact_x.sql', partsModel('1')).fullBuildParts).toBe(1);
    const base = { dialect: duckdbDialect, baseCurrency: 'EUR' };
    expect(render(m.sql, { ...base, part: { index: 2, of: 4 } })).toContain('WHERE ((hash(e.session_id) % 4) = 2)');
    expect(render(m.sql, base)).toContain('WHERE TRUE');
    expect(render(m.sql, { ...base, part: { index: 2, of: 4 }, affectedTable: 'aff_x' })).toContain('WHERE (e.session_id IN (SELECT * FROM aff_x))');
    // PostgreSQL builds whole (its sorts spill), so a part asked of it is a mistake, not a silent full build.
    expect(() => render(m.sql, { ...base, dialect: postgresDialect, part: { index: 0, of: 4 } })).toThrow(/builds models whole/);
  });

  it('refuses parts that could lose or repeat rows, saying why', () => {
    expect(refused(partsModel('0'))).toMatch(/whole number of at least 1/);
    expect(refused(partsModel('2.5'))).toMatch(/whole number of at least 1/);
    expect(refused(partsModel("'4'"))).toMatch(/whole number of at least 1/);
    expect(refused(partsModel('4', 'SELECT e.session_id, COUNT(*) AS n FROM silver.events e GROUP BY 1'))).toMatch(/rows all pass its \{\{ partition_filter/);
    expect(refused(partsModel('4', undefined, 'materialized: table\n'))).toMatch(/delete\+insert incremental model/);
  });
});

describe('loading the model files', () => {
  it('parses a file again only when its text changed, so an edited model is seen by the next run', () => {
    const model = (sql: string) => `/* ---\ndescription: lines\npartition_by: order_id\naffected:
  silver.order_items: SELECT order_id FROM {{ changes }}\n--- */\n${sql}`;
    inModelsDir((write, dir) => {
      write(['fact_x.sql', model('SELECT i.order_id FROM silver.order_items i')]);
      const [first] = loadModels(dir);
      expect(loadModels(dir)[0]).toBe(first);
      write(['fact_x.sql', model('SELECT i.order_id, i.product_id FROM silver.order_items i')]);
      const [edited] = loadModels(dir);
      expect(edited).not.toBe(first);
      expect(edited.sql).toContain('i.product_id');
      expect(edited.hash).not.toBe(first.hash);
    });
  });
});
