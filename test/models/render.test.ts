// The placeholders an affected query uses to re-open only what a change touched, run on a real change set.
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/models/render.js';
import { duckdbDialect } from '../../src/warehouse/duckdb/duckdb-dialect.js';

const ctx = { dialect: duckdbDialect, baseCurrency: 'EUR', changesTable: 'chg' };

describe('changes_of', () => {
  it('keeps the rows of the columns named whose old and new versions differ, and drops those that agree', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      // O1's parcel changed only its flag; O2 moved to another country; O3 is new; O4 is gone.
      await conn.run(`CREATE TABLE chg AS SELECT * FROM (VALUES
        ('old', 'O1', 'C1', 'DE', FALSE), ('new', 'O1', 'C1', 'DE', TRUE),
        ('old', 'O2', 'C2', 'DE', FALSE), ('new', 'O2', 'C2', 'FR', FALSE),
        ('new', 'O3', 'C3', 'DE', FALSE),
        ('old', 'O4', 'C4', 'DE', FALSE)) AS t(_change, order_id, customer_id, country, has_shipment)`);
      const sql = render("SELECT DISTINCT customer_id FROM {{ changes_of('customer_id, country') }} c ORDER BY 1", ctx);
      const rows = (await conn.runAndReadAll(sql)).getRows().map((r) => r[0]);
      expect(rows).toEqual(['C2', 'C3', 'C4']);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it('needs its columns, in an affected query', () => {
    expect(() => render("SELECT * FROM {{ changes_of('') }}", ctx)).toThrow(/changes_of needs 'column, …'/);
    expect(() => render("SELECT * FROM {{ changes_of('order_id') }}", { ...ctx, changesTable: undefined })).toThrow(/in an affected query/);
  });
});
