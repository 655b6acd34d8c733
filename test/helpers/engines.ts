// Every warehouse engine a behaviour suite runs on: DuckDB always, PostgreSQL when a server is reachable.
import { bootstrap } from '../../src/pipeline/bootstrap.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../src/warehouse/engine.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres/postgres-warehouse.js';
import { createTestDatabase, postgresAvailable } from './postgres.js';

export interface EngineUnderTest {
  name: 'duckdb' | 'postgres';
  available: boolean;
  /** A fresh, bootstrapped warehouse; `url` is what --warehouse takes; the home dir holds DuckDB's file. */
  open(homeDir: string, baseCurrency?: string): Promise<{ wh: Warehouse; url: string; drop(): Promise<void> }>;
}

export const ENGINES: EngineUnderTest[] = [
  {
    name: 'duckdb',
    available: true,
    async open(homeDir, baseCurrency = 'EUR') {
      const url = `${homeDir}/warehouse.duckdb`;
      const wh = await DuckDBWarehouse.open(url);
      await bootstrap(wh, baseCurrency);
      return { wh, url, drop: async () => undefined };
    },
  },
  {
    name: 'postgres',
    available: postgresAvailable,
    async open(_homeDir, baseCurrency = 'EUR') {
      const db = await createTestDatabase('engine');
      const wh = await PostgresWarehouse.open(db.url);
      await bootstrap(wh, baseCurrency);
      return { wh, url: db.url, drop: db.drop };
    },
  },
];
