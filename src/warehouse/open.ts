// Chooses the engine from --warehouse / STOREPULSE_WAREHOUSE; the default is a DuckDB file in the home.
import { join, resolve } from 'node:path';
import { Errors } from '../errors/catalogue.js';
import type { Warehouse } from './engine.js';

export interface OpenOptions {
  home: string;
  warehouse?: string;
  waitMs?: number;
}

export function describeTarget(options: OpenOptions): string {
  return options.warehouse ?? join(options.home, 'warehouse.duckdb');
}

// Each engine's driver is loaded when a warehouse of its kind is opened: a command on DuckDB never loads pg, and
// one on PostgreSQL never loads DuckDB's native library.
const duckdb = async (path: string, waitMs?: number) => (await import('./duckdb/duckdb-warehouse.js')).DuckDBWarehouse.open(path, { waitMs });

export async function openWarehouse(options: OpenOptions): Promise<Warehouse> {
  const url = options.warehouse;
  if (!url) return duckdb(join(options.home, 'warehouse.duckdb'), options.waitMs);
  if (/^postgres(ql)?:\/\//.test(url)) return (await import('./postgres/postgres-warehouse.js')).PostgresWarehouse.open(url, { waitMs: options.waitMs });
  if (url.startsWith('duckdb:')) return duckdb(resolve(url.slice('duckdb:'.length)), options.waitMs);
  if (url === ':memory:' || /\.(duckdb|db)$/.test(url)) return duckdb(url === ':memory:' ? url : resolve(url), options.waitMs);
  throw Errors.unsupportedWarehouse(url);
}
