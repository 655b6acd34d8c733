import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Errors } from '../../errors/catalogue.js';
import type { ParquetColumn, ParquetUnload, Row, Warehouse } from '../engine.js';
import { writeParquet } from '../parquet-unload.js';
import { Mutex } from '../mutex.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { toPlainRows } from './duckdb-values.js';

const READERS = 2;
/**
 * DuckDB's own default (80 % of RAM) kept 7 GB resident at 1M order lines for no gain. The limit counts DuckDB's
 * buffers only: at 10M order lines about 0.45 GiB of its other allocations and Node's come on top, so 1.4GB keeps
 * the whole process under 2 GiB with room to spare (bench/findings.md, findings 19 and 21).
 */
export const DEFAULT_MEMORY_LIMIT = '1.4GB';
/**
 * The storage format a new warehouse file is written in. DuckDB otherwise writes the v1.0 format, for older
 * readers, whose strings compress more slowly and scan no faster: a 1M first run took 0.86× as long in this one
 * (bench/findings.md, finding 35). A file made before keeps the format it has; DuckDB 1.5 or later reads this one.
 */
export const STORAGE_VERSION = 'v1.5.0';
/**
 * DuckDB checkpoints when a commit leaves more than this in its write-ahead log, and the statement that commits pays
 * for it. DuckDB's own default is 16 MiB; a checkpoint's cost hardly depends on how much log it folds in, though
 * (bench/micro-batches.ts, 15 micro-batches of 10,000 orders onto one day: at 16 MiB 7 checkpoints, 1.75–2.02 s in
 * all and growing with the day; at 128 MiB one, 0.55 s). The price is a longer replay after a crash: 1.2–1.5 s for
 * 115 MB of log (bench/findings.md, finding 42). Inside deferCheckpoints the threshold is HELD_BACK, then this again.
 */
export const CHECKPOINT_THRESHOLD_BYTES = 128 * 1024 * 1024;
const HELD_BACK = '1TB';
const LOCK_CONFLICT = /Could not set lock on file.*?(?:\(PID (\d+)\))?/s;

export interface DuckDBOptions {
  /** How long to wait for another process that holds the file before giving up. */
  waitMs?: number;
  threads?: number;
  /** DuckDB's memory_limit (default DEFAULT_MEMORY_LIMIT; env STOREPULSE_DUCKDB_MEMORY); beyond it, DuckDB spills to disk. */
  memoryLimit?: string;
  /** DuckDB's checkpoint_threshold in bytes (default CHECKPOINT_THRESHOLD_BYTES). */
  checkpointThresholdBytes?: number;
}

/** The embedded warehouse: one DuckDB file, opened by one process at a time (DuckDB's own file lock). */
export class DuckDBWarehouse implements Warehouse {
  readonly kind = 'duckdb' as const;
  readonly dialect = duckdbDialect;
  private readonly writer = new Mutex();
  private readonly landers = new Mutex();
  private inTransaction = false;
  /** The warehouse a landing session belongs to: its locks, readers and running queries are the root's. */
  private readonly root: DuckDBWarehouse;
  private readers: Promise<DuckDBConnection>[] = [];
  /** The connection landings take turns on (see landing), opened by the first. */
  private lander: Promise<DuckDBWarehouse> | undefined;
  /** Queries still running; closing a connection under a running query can hang the process. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private nextReader = 0;
  private deferring = false;
  private limitingThreads = false;

  private constructor(
    readonly target: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    root?: DuckDBWarehouse,
    private readonly checkpointThreshold = CHECKPOINT_THRESHOLD_BYTES,
  ) {
    this.root = root ?? this;
  }

  static async open(path: string, options: DuckDBOptions = {}): Promise<DuckDBWarehouse> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      try {
        const config: Record<string, string> = {};
        if (options.threads) config.threads = String(options.threads);
        const memory = options.memoryLimit ?? process.env.STOREPULSE_DUCKDB_MEMORY ?? DEFAULT_MEMORY_LIMIT;
        if (memory) config.memory_limit = memory;
        // jemalloc's background threads hand freed memory back to the system as DuckDB goes; without them the
        // memory a step freed stayed resident through the next (10M order lines: peak 2.79 → 2.46 GiB, same time).
        config.allocator_background_threads = 'true';
        config.storage_compatibility_version = STORAGE_VERSION;
        const checkpointThreshold = options.checkpointThresholdBytes ?? CHECKPOINT_THRESHOLD_BYTES;
        config.checkpoint_threshold = `${checkpointThreshold}B`;
        const instance = await DuckDBInstance.create(path, config);
        const conn = await instance.connect();
        for (const s of duckdbDialect.sessionSetup) await conn.run(s);
        return new DuckDBWarehouse(path, instance, conn, undefined, checkpointThreshold);
      } catch (e) {
        const message = (e as Error).message;
        const conflict = LOCK_CONFLICT.exec(message);
        if (!conflict) throw Errors.warehouseUnavailable(path, message.split('\n')[0]);
        if (Date.now() >= deadline) {
          throw Errors.warehouseLocked('this command', conflict[1] ? `pid ${conflict[1]}` : 'another process');
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async run(sql: string, params?: readonly unknown[]): Promise<number> {
    const result = await this.track(this.conn.runAndReadAll(sql, params ? ([...params] as never) : undefined));
    // CREATE TABLE … AS answers its rows as a one-row `Count` result, not as rows changed (PostgreSQL's
    // command tag gives the same count), which saves counting a table just made.
    if (result.columnCount === 1 && result.columnName(0) === 'Count' && result.currentRowCount === 1) return Number(result.getRows()[0][0]);
    return Number(result.rowsChanged);
  }

  async all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    const reader = await this.track(this.conn.runAndReadAll(sql, params ? ([...params] as never) : undefined));
    return toPlainRows(reader.getRowObjectsJS()) as T[];
  }

  private track<R>(query: Promise<R>): Promise<R> {
    const inFlight = this.root.inFlight;
    inFlight.add(query);
    const done = () => { inFlight.delete(query); };
    query.then(done, done);
    return query;
  }

  async read<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    if (this.root !== this) return this.root.read(sql, params);
    // A small round-robin set of connections: reads run beside the writer and beside each other.
    if (this.readers.length < READERS) {
      this.readers.push(this.instance.connect().then(async (c) => {
        for (const s of duckdbDialect.sessionSetup) await c.run(s);
        return c;
      }));
    }
    const conn = await this.readers[this.nextReader++ % this.readers.length];
    const reader = await this.track(conn.runAndReadAll(sql, params ? ([...params] as never) : undefined));
    return toPlainRows(reader.getRowObjectsJS()) as T[];
  }

  async *stream<T = Row>(sql: string, params?: readonly unknown[]): AsyncGenerator<T[]> {
    if (this.root !== this) {
      yield* this.root.stream<T>(sql, params);
      return;
    }
    // Not a reader's connection: another query on the same connection would cut a streaming result short.
    const conn = await this.instance.connect();
    let finished!: () => void;
    const done = new Promise<void>((r) => { finished = r; });
    this.inFlight.add(done);
    try {
      for (const s of duckdbDialect.sessionSetup) await conn.run(s);
      const result = await conn.stream(sql, params ? ([...params] as never) : undefined);
      // DuckDB hands over one vector chunk (2,048 rows) at a time.
      for await (const rows of result.yieldRowObjectJs()) yield toPlainRows(rows) as T[];
    } finally {
      conn.closeSync();
      this.inFlight.delete(done);
      finished();
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn();
    await this.conn.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      const result = await fn();
      await this.conn.run('COMMIT');
      return result;
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      this.inTransaction = false;
    }
  }

  async loadFromFileQuery(table: string, columns: readonly string[], fileQuery: string): Promise<number> {
    const result = await this.conn.run(`INSERT INTO ${table} (${columns.join(', ')}) ${fileQuery}`);
    return Number(result.rowsChanged);
  }

  async inspectFiles<T = Row>(fileQuery: string): Promise<T[]> {
    return this.all<T>(fileQuery);
  }

  async lock(_what: string, _waitMs: number): Promise<() => Promise<void>> {
    // Across processes DuckDB's file lock already admits one process; within it, writers queue here.
    const release = await this.root.writer.acquire();
    return async () => release();
  }

  async landing<T>(_what: string, _waitMs: number, fn: (writer: Warehouse) => Promise<T>): Promise<T> {
    if (this.root !== this) return this.root.landing(_what, _waitMs, fn);
    // A connection of its own is a transaction of its own: DuckDB lets it append beside the run's transaction.
    // Landings take turns on one such connection, kept open, rather than opening and setting up one for each post
    // (a post is a few short statements).
    const release = await this.landers.acquire();
    try {
      this.lander ??= (async () => {
        const conn = await this.instance.connect();
        for (const s of duckdbDialect.sessionSetup) await conn.run(s);
        return new DuckDBWarehouse(this.target, this.instance, conn, this);
      })();
      return await fn(await this.lander);
    } finally {
      release();
    }
  }

  async unloadParquet(unloads: readonly ParquetUnload[], snapshot?: string): Promise<{ tables: { rows: number; columns: ParquetColumn[] }[]; snapshot: Row[] }> {
    if (this.root !== this) return this.root.unloadParquet(unloads, snapshot);
    // A connection and a transaction of its own: one snapshot for every table, beside the writer and runs.
    const conn = await this.instance.connect();
    const work = (async () => {
      for (const s of duckdbDialect.sessionSetup) await conn.run(s);
      await conn.run('BEGIN TRANSACTION');
      try {
        const rows = snapshot ? toPlainRows((await conn.runAndReadAll(snapshot)).getRowObjectsJS()) : [];
        const tables = [];
        for (const u of unloads) tables.push(await writeParquet(conn, u.sql, u));
        return { tables, snapshot: rows };
      } finally {
        await conn.run('ROLLBACK').catch(() => undefined);
      }
    })();
    try {
      return await this.track(work);
    } finally {
      conn.closeSync();
    }
  }

  async deferCheckpoints<T>(fn: () => Promise<T>): Promise<T> {
    if (this.root !== this) return this.root.deferCheckpoints(fn);
    if (this.deferring || this.target === ':memory:') return fn();
    // A run commits many times before its transaction (the tables it builds apart), and each commit that passed the
    // threshold paid a checkpoint: about 25 s of a 10M run, writing again what the next checkpoint rewrote (finding
    // 38). The threshold is global: landings meanwhile do not checkpoint either.
    this.deferring = true;
    await this.conn.run(`SET checkpoint_threshold = '${HELD_BACK}'`);
    let result: T;
    try {
      result = await fn();
    } finally {
      this.deferring = false;
      await this.conn.run(`SET checkpoint_threshold = '${this.checkpointThreshold}B'`);
    }
    // DuckDB's own rule, applied once: the run pays the checkpoint its commits put off, not the next post that
    // commits. A failed run leaves it to that rule (what it committed before failing is dropped by the next run), and
    // so does a checkpoint DuckDB refuses now: the run's work is committed either way.
    if (walBytes(this.target) > this.checkpointThreshold) await this.conn.run('CHECKPOINT').catch(() => undefined);
    return result;
  }

  async limitThreads<T>(threads: number, fn: () => Promise<T>): Promise<T> {
    if (this.root !== this) return this.root.limitThreads(threads, fn);
    if (this.limitingThreads) return fn();
    // What the warehouse was opened with (DuckDB's default: one per core), to go back to.
    const [{ t }] = await this.all<{ t: number }>("SELECT current_setting('threads') AS t");
    await this.conn.run(`SET threads = ${Math.max(1, Math.floor(threads))}`);
    this.limitingThreads = true;
    try {
      return await fn();
    } finally {
      this.limitingThreads = false;
      await this.conn.run(`SET threads = ${Number(t)}`);
    }
  }

  isTransient(): boolean {
    // An embedded engine has no connection to lose: its failures are real and retrying repeats them.
    return false;
  }

  /** DuckDB keeps its statistics current as it writes. */
  async refreshStatistics(): Promise<string[]> {
    return [];
  }

  async close(): Promise<void> {
    // Seen in the benchmark: a stop signal while a cached answer was being refreshed left `serve` hanging.
    await Promise.allSettled([...this.inFlight]);
    for (const r of this.readers) (await r).closeSync();
    if (this.lander) (await this.lander).conn.closeSync();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

function walBytes(path: string): number {
  try {
    return statSync(`${path}.wal`).size;
  } catch {
    return 0;
  }
}
