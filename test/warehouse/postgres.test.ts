import { describe, expect, it } from 'vitest';
import { PostgresWarehouse } from '../../src/warehouse/postgres/postgres-warehouse.js';
import { createTestDatabase, PG_ADMIN_URL, postgresAvailable } from '../helpers/postgres.js';

describe.skipIf(!postgresAvailable)('PostgreSQL engine', () => {
  it('explains an unreachable server, wrong credentials and a missing database without a stack trace', async () => {
    const url = new URL(PG_ADMIN_URL);
    const cases: [string, RegExp][] = [
      [`postgres://postgres@127.0.0.1:1/x`, /refused the connection/],
      [`postgres://no_such_role:secret@${url.host}/postgres`, /rejected the credentials/],
      [`postgres://${url.username}@${url.host}/no_such_db_here`, /does not exist; create it first/],
    ];
    for (const [target, reason] of cases) {
      const error = await PostgresWarehouse.open(target).then(() => undefined, (e: Error & { code?: string }) => e);
      expect(error?.code, target).toBe('SP_ERR_WAREHOUSE_UNAVAILABLE');
      expect(error?.message, target).toMatch(reason);
      expect(error?.message, target).not.toContain('secret');
    }
  });

  it('lets one writer hold the warehouse; another fails naming the holder, or waits for it', async () => {
    const db = await createTestDatabase('lock');
    const a = await PostgresWarehouse.open(db.url);
    const b = await PostgresWarehouse.open(db.url);
    try {
      const release = await a.lock('run', 0);
      const refused = await b.lock('run', 0).then(() => undefined, (e: Error & { code?: string }) => e);
      expect(refused?.code).toBe('SP_ERR_WAREHOUSE_LOCKED');
      expect(refused?.message).toMatch(/storepulse pid \d+ on .*server pid \d+/);
      const waiting = b.lock('run', 10_000);
      setTimeout(() => void release(), 300);
      const releaseB = await waiting;
      await releaseB();
    } finally {
      await a.close();
      await b.close();
      await db.drop();
    }
  });

  it('re-analyses a table that grew since its statistics were taken, so the planner does not expect one row', async () => {
    const db = await createTestDatabase('stats');
    const wh = await PostgresWarehouse.open(db.url);
    try {
      await wh.run('CREATE SCHEMA gold');
      await wh.run('CREATE TABLE gold.grown AS SELECT 1 AS id');
      await wh.run('ANALYZE gold.grown');
      await wh.run('INSERT INTO gold.grown SELECT g FROM generate_series(2, 50000) g');
      const estimate = async () => Number((await wh.all<{ n: number }>('SELECT reltuples AS n FROM pg_class WHERE oid = CAST($1 AS regclass)', ['gold.grown']))[0].n);
      expect(await estimate()).toBe(1);
      expect(await wh.refreshStatistics()).toEqual(['gold.grown']);
      expect(await estimate()).toBe(50000);
      // Nothing grew since: nothing to do.
      expect(await wh.refreshStatistics()).toEqual([]);
    } finally {
      await wh.close();
      await db.drop();
    }
  });
});
