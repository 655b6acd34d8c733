// `Warehouse.run` answers the rows a statement wrote, on both engines: the pipeline reads a table's size from the
// CREATE TABLE … AS that made it instead of counting it again.
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/engine.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres/postgres-warehouse.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

async function expectRowCounts(wh: Warehouse): Promise<void> {
  const values = 'SELECT 1 AS id UNION ALL SELECT 2 UNION ALL SELECT 3';
  expect(await wh.run('CREATE SCHEMA counted')).toBe(0);
  expect(await wh.run(`CREATE TABLE counted.t AS ${values}`)).toBe(3);
  expect(await wh.run('CREATE TEMP TABLE copy_of_t AS SELECT * FROM counted.t WHERE id > 1')).toBe(2);
  expect(await wh.run('CREATE TEMP TABLE none_of_t AS SELECT * FROM counted.t WHERE id > 5')).toBe(0);
  expect(await wh.run('INSERT INTO counted.t SELECT id + 10 FROM counted.t')).toBe(3);
  expect(await wh.run('DELETE FROM counted.t WHERE id > 2')).toBe(4);
  expect(await wh.run('UPDATE counted.t SET id = id + 1')).toBe(2);
  const [{ n }] = await wh.all<{ n: number }>('SELECT COUNT(*) AS n FROM counted.t');
  expect(Number(n)).toBe(2);
}

describe('Warehouse.run row counts', () => {
  it('DuckDB: CREATE TABLE … AS gives its rows; INSERT, DELETE and UPDATE the rows they changed; DDL 0', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    try {
      await expectRowCounts(wh);
    } finally {
      await wh.close();
    }
  });

  it.skipIf(!postgresAvailable)('PostgreSQL: the same counts', async () => {
    const db = await createTestDatabase('rowcounts');
    const wh = await PostgresWarehouse.open(db.url);
    try {
      await expectRowCounts(wh);
    } finally {
      await wh.close();
      await db.drop();
    }
  });
});
