// Chooses the engine from --warehouse / STOREPULSE_WAREHOUSE; the default is a DuckDB file in the home.
import { join, resolve } from 'node:path';
import { Errors } from '../errors/catalogue.js';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './engine.js';
import { PostgresWarehouse } from './postgres/postgres-warehouse.js';

export interface OpenOptions {
  home: string;
  warehouse?: string;
  waitMs?: number;
}

export function describeTarget(options: OpenOptions): string {
  return options.warehouse ?? join(options.home, 'warehouse.duckdb');
}

export async function openWarehouse(options: OpenOptions): Promise<Warehouse> {
  const url = options.warehouse;
  if (!url) return DuckDBWarehouse.open(join(options.home, 'warehouse.duckdb'), { waitMs: options.waitMs });
  if (/^postgres(ql)?:\/\//.test(url)) return PostgresWarehouse.open(url, { waitMs: options.waitMs });
  if (url.startsWith('duckdb:')) return DuckDBWarehouse.open(resolve(url.slice('duckdb:'.length)), { waitMs: options.waitMs });
  if (url === ':memory:' || /\.(duckdb|db)$/.test(url)) {
    return DuckDBWarehouse.open(url === ':memory:' ? url : resolve(url), { waitMs: options.waitMs });
  }
  throw Errors.unsupportedWarehouse(url);
}
