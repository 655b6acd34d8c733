// The one small engine interface every warehouse implements: connect, run a statement, bulk-load, lock.
import type { Dialect } from './dialect.js';

export type Row = Record<string, unknown>;

/** One query's rows to write as Parquet (see Warehouse.unloadParquet). */
export interface ParquetUnload {
  /** A SELECT in the warehouse's own dialect. */
  sql: string;
  /** The folder the files go to; it must not exist yet. */
  dir: string;
  /** A column of the SELECT to partition by, Hive style (`dir/order_date=2026-01-05/…`); NULL goes to __HIVE_DEFAULT_PARTITION__. */
  partitionBy?: string;
}

export interface ParquetColumn {
  name: string;
  /** The Parquet data's type, in DuckDB's SQL names (DECIMAL(18,2), TIMESTAMP WITH TIME ZONE, …). */
  type: string;
}

export interface Warehouse {
  readonly kind: 'duckdb' | 'postgres';
  readonly dialect: Dialect;
  /** Where the warehouse lives, for messages (a path or a URL without password). */
  readonly target: string;
  /** Runs one statement and returns the number of rows it changed (0 for DDL; a CREATE TABLE … AS: the rows it holds). */
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
  /**
   * Writes each query's rows as Parquet files, all read from one snapshot of committed data (a run that commits
   * meanwhile shows in none of them). `snapshot` is one more query answered from that same snapshot.
   */
  unloadParquet(unloads: readonly ParquetUnload[], snapshot?: string): Promise<{ tables: { rows: number; columns: ParquetColumn[] }[]; snapshot: Row[] }>;
  /**
   * Runs fn, a run's many commits, with the engine's checkpoints held back until its end, then checkpoints once if the
   * engine's own rule asks for it (DuckDB; PostgreSQL's checkpoints are the server's and do not hold up a commit).
   */
  deferCheckpoints<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs fn with the engine's queries, meanwhile, on at most `threads` threads each where the engine lets a process
   * choose (DuckDB: a setting of the whole database, restored after; PostgreSQL: the server decides, fn just runs).
   */
  limitThreads<T>(threads: number, fn: () => Promise<T>): Promise<T>;
  /** True for failures worth retrying: the connection dropped, the server restarted, a serialization conflict. */
  isTransient(e: unknown): boolean;
  close(): Promise<void>;
}
