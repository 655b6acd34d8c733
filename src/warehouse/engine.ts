// The one small engine interface every warehouse implements: connect, run a statement, bulk-load, lock.
import type { Dialect } from './dialect.js';

export type Row = Record<string, unknown>;

export interface Warehouse {
  readonly kind: 'duckdb' | 'postgres';
  readonly dialect: Dialect;
  /** Where the warehouse lives, for messages (a path or a URL without password). */
  readonly target: string;
  /** Runs one statement and returns the number of rows it changed (0 for DDL). */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs a query and returns its rows as plain JS values (numbers, strings, booleans, ISO strings for times). */
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * A query on a connection of its own that sees only committed data: while a run's transaction is open,
   * readers keep getting the previous gold. The API and the KPI layer read this way.
   */
  read<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * A query whose rows come in batches, on a connection of its own that sees only committed data, so a result of
   * any size (a million-row export) passes through in bounded memory. Stopping the iteration ends the query.
   */
  stream<T = Row>(sql: string, params?: readonly unknown[], batchRows?: number): AsyncGenerator<T[]>;
  /** Runs fn in one transaction: everything or nothing. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Bulk-loads the rows of a query that reads files (written in DuckDB SQL: read_csv, read_parquet, …)
   * into `table`, column by column as named. Returns the number of rows loaded.
   */
  loadFromFileQuery(table: string, columns: readonly string[], fileQuery: string): Promise<number>;
  /** Runs a DuckDB query over local files (not over the warehouse) and returns its rows. */
  inspectFiles<T = Row>(fileQuery: string): Promise<T[]>;
  /**
   * Lands data beside a running pipeline run: fn gets a writer on a connection of its own, under the landing
   * lock (one lander at a time, so a repeated file is still recognised) but not the run lock. That is safe
   * because landing only appends to bronze and meta.batches, and a run works on the batches it claimed when
   * it began; what lands meanwhile waits for the next run.
   */
  landing<T>(what: string, waitMs: number, fn: (writer: Warehouse) => Promise<T>): Promise<T>;
  /** Takes the single-writer lock, waiting up to waitMs; throws SP_ERR_WAREHOUSE_LOCKED when it cannot. */
  lock(what: string, waitMs: number): Promise<() => Promise<void>>;
  /**
   * Brings the planner's statistics up to date for tables that grew a lot since they were last analysed
   * (PostgreSQL; a no-op where the engine keeps its own). Called around runs, outside their transaction.
   */
  refreshStatistics(): Promise<string[]>;
  /** True for failures worth retrying: the connection dropped, the server restarted, a serialization conflict. */
  isTransient(e: unknown): boolean;
  close(): Promise<void>;
}
