import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Errors } from '../../errors/catalogue.js';
import { quoteIdent, quoteLiteral } from '../dialect.js';
import type { ParquetColumn, ParquetUnload, Row, Warehouse } from '../engine.js';
import { writeParquet } from '../parquet-unload.js';
import { duckdbTypeOf } from './postgres-types.js';
import { toPlainRows } from '../duckdb/duckdb-values.js';
import { connectionError, isTransient, redact } from './postgres-errors.js';
import { postgresDialect } from './postgres-dialect.js';

/** One advisory lock key for "the StorePulse writer" of a database. */
const WRITER_LOCK = 727_274_001;
/** Landers take turns among themselves, beside runs (see Warehouse.landing). */
const LANDING_LOCK = 727_274_002;

// Numbers come back as numbers and times as ISO strings, as from DuckDB, so callers see one shape.
const PARSERS: Record<number, (v: string) => unknown> = {
  20: (v) => Number(v), // int8
  1700: (v) => Number(v), // numeric
  1184: (v) => new Date(v).toISOString(), // timestamptz
  1114: (v) => new Date(`${v}Z`).toISOString(), // timestamp
  1082: (v) => v, // date stays YYYY-MM-DD
};
const types = { getTypeParser: (oid: number, format?: string) => PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text') };

export interface PostgresOptions {
  waitMs?: number;
  poolSize?: number;
}

/** A shared warehouse on a PostgreSQL server; bulk loads with COPY, one writer at a time by advisory lock. */
export class PostgresWarehouse implements Warehouse {
  readonly kind = 'postgres' as const;
  readonly dialect = postgresDialect;
  private tx: pg.PoolClient | undefined;
  private scratch: Promise<DuckDBConnection> | undefined;

  private constructor(
    readonly target: string,
    private readonly pool: pg.Pool,
    /** A landing session's own connection: its statements and transactions stay off the run's. */
    private readonly pinned?: pg.PoolClient,
    private readonly root?: PostgresWarehouse,
  ) {}

  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresWarehouse> {
    const target = redact(url);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 4,
      types,
      application_name: `storepulse pid ${process.pid} on ${hostname()}`,
      connectionTimeoutMillis: 10_000,
      // Set at connection start-up, so every pooled session has them before its first query: UTC; no JIT
      // (PostgreSQL compiled the KPI query for 5.7 of its 23 s at 10M order lines, a cost paid on every query
      // whose plan looks large); and work_mem for hashes of distinct customers per day (4MB spilled 160 MB to disk).
      options: '-c TimeZone=UTC -c jit=off -c work_mem=64MB',
    });
    pool.on('error', () => undefined); // an idle client's failure surfaces on the next query instead
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw connectionError(target, e);
    }
    return new PostgresWarehouse(target, pool);
  }

  private get client(): pg.Pool | pg.PoolClient {
    return this.tx ?? this.pinned ?? this.pool;
  }

  async run(sql: string, params?: readonly unknown[]): Promise<number> {
    const result = await this.client.query(sql, params as unknown[] | undefined);
    return result.rowCount ?? 0;
  }

  async all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    const result = await this.client.query(sql, params as unknown[] | undefined);
    return result.rows as T[];
  }

  /** A client of our own; its connection failures surface through the query that was running. */
  private async checkout(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    if (client.listenerCount('error') === 0) client.on('error', () => undefined);
    return client;
  }

  async read<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    // Straight from the pool, never on the run's transaction client.
    const result = await this.pool.query(sql, params as unknown[] | undefined);
    return result.rows as T[];
  }

  /** A server-side cursor in a read-only snapshot, fetched a batch at a time on a client of its own. */
  async *stream<T = Row>(sql: string, params?: readonly unknown[], batchRows = 2000): AsyncGenerator<T[]> {
    const client = await this.checkout();
    let open = false;
    let broken = false;
    try {
      await client.query('BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ');
      open = true;
      await client.query(`DECLARE storepulse_stream NO SCROLL CURSOR FOR ${sql}`, params as unknown[] | undefined);
      for (;;) {
        const { rows } = await client.query(`FETCH FORWARD ${Math.max(1, Math.floor(batchRows))} FROM storepulse_stream`);
        if (rows.length === 0) break;
        yield rows as T[];
      }
      await client.query('COMMIT');
      open = false;
    } catch (e) {
      broken = this.isTransient(e);
      throw e;
    } finally {
      // Also when the reader stopped early (a download cancelled): the cursor goes with its transaction.
      if (open && !broken) await client.query('ROLLBACK').catch(() => { broken = true; });
      client.release(broken);
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx) return fn();
    const client = this.pinned ?? await this.checkout();
    this.tx = client;
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn();
      await client.query('COMMIT');
      return result;
    } catch (e) {
      broken = this.isTransient(e);
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      this.tx = undefined;
      // A client whose connection broke is destroyed rather than handed back to the pool.
      if (client !== this.pinned) client.release(broken);
    }
  }

  /** DuckDB reads the file (every format, the same SQL as the embedded engine) and COPY streams it in. */
  async loadFromFileQuery(table: string, columns: readonly string[], fileQuery: string): Promise<number> {
    const dir = mkdtempSync(join(tmpdir(), 'storepulse-copy-'));
    const csv = join(dir, 'rows.csv');
    try {
      const duck = await this.scratchConnection();
      await duck.run(`COPY (${fileQuery}) TO ${quoteLiteral(csv)} (FORMAT csv, HEADER false)`);
      const own = this.tx ?? this.pinned;
      const client = own ?? (await this.checkout());
      try {
        const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT csv)`));
        await pipeline(createReadStream(csv), stream);
        return Number(stream.rowCount);
      } finally {
        if (client !== own) client.release();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async inspectFiles<T = Row>(fileQuery: string): Promise<T[]> {
    const duck = await this.scratchConnection();
    const reader = await duck.runAndReadAll(fileQuery);
    return toPlainRows(reader.getRowObjectsJS()) as T[];
  }

  private scratchConnection(): Promise<DuckDBConnection> {
    if (this.root) return this.root.scratchConnection();
    this.scratch ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      await conn.run("SET TimeZone = 'UTC'");
      return conn;
    })();
    return this.scratch;
  }

  /**
   * Rows leave the server with COPY … TO STDOUT (CSV, streamed to a file), and an embedded DuckDB writes the
   * Parquet: DuckDB's postgres extension cannot be installed offline, and COPY is the server's fastest way out.
   * One REPEATABLE READ transaction gives every table the same snapshot.
   */
  async unloadParquet(unloads: readonly ParquetUnload[], snapshot?: string): Promise<{ tables: { rows: number; columns: ParquetColumn[] }[]; snapshot: Row[] }> {
    const client = await this.checkout();
    const dir = mkdtempSync(join(tmpdir(), 'storepulse-unload-'));
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB' });
    const duck = await instance.connect();
    try {
      await duck.run("SET TimeZone = 'UTC'");
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const rows = snapshot ? (await client.query(snapshot)).rows as Row[] : [];
      const tables = [];
      for (const [i, u] of unloads.entries()) {
        const { fields } = await client.query(`SELECT * FROM (${u.sql}) unloaded LIMIT 0`);
        const csv = join(dir, `${i}.csv`);
        await pipeline(client.query(copyTo(`COPY (${u.sql}) TO STDOUT (FORMAT csv)`)), createWriteStream(csv));
        const columns = fields.map((f) => `${quoteLiteral(f.name)}: ${quoteLiteral(duckdbTypeOf(f.dataTypeID, f.dataTypeModifier))}`).join(', ');
        // An empty quoted field is an empty string in PostgreSQL's CSV, an unquoted one is NULL.
        const read = `SELECT ${fields.map((f) => quoteIdent(f.name)).join(', ')} FROM read_csv(${quoteLiteral(csv)}, header = false, auto_detect = false, columns = {${columns}}, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, strict_mode = true)`;
        tables.push(await writeParquet(duck, read, u));
        rmSync(csv, { force: true });
      }
      return { tables, snapshot: rows };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      duck.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async lock(what: string, waitMs: number): Promise<() => Promise<void>> {
    return this.advisoryLock(WRITER_LOCK, what, waitMs);
  }

  async landing<T>(what: string, waitMs: number, fn: (writer: Warehouse) => Promise<T>): Promise<T> {
    const release = await this.advisoryLock(LANDING_LOCK, what, waitMs);
    try {
      const client = await this.checkout();
      try {
        return await fn(new PostgresWarehouse(this.target, this.pool, client, this.root ?? this));
      } finally {
        client.release();
      }
    } finally {
      await release();
    }
  }

  /** A session-level advisory lock, held on a client of its own until released. */
  private async advisoryLock(key: number, what: string, waitMs: number): Promise<() => Promise<void>> {
    const client = await this.checkout();
    const deadline = Date.now() + waitMs;
    try {
      for (;;) {
        const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS ok', [key]);
        if (rows[0].ok) break;
        if (Date.now() >= deadline) {
          const holder = await client.query(
            `SELECT a.application_name, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted LIMIT 1`, [key]);
          const h = holder.rows[0];
          throw Errors.warehouseLocked(what, h ? `${h.application_name || 'a client'}, server pid ${h.pid}` : 'another client');
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    } catch (e) {
      client.release();
      throw e;
    }
    return async () => {
      await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
      client.release();
    };
  }

  /**
   * A table analysed when small and grown since (gold's first micro-batch builds it from a few rows) makes the
   * planner expect one row and choose nested loops: KPI queries went from milliseconds to a minute. Autovacuum
   * catches up only after its nap, so tables whose size more than doubled since their last analysis are analysed
   * now. The size comes from the files, not from the statistics collector, which lags behind commits.
   */
  async refreshStatistics(): Promise<string[]> {
    const stale = await this.all<{ t: string }>(`SELECT format('%I.%I', n.nspname, c.relname) AS t
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('bronze', 'silver', 'gold', 'meta') AND c.relkind = 'r'
        AND pg_relation_size(c.oid) / 8192 > 2 * GREATEST(c.relpages, 0) + 8
      ORDER BY 1`);
    for (const { t } of stale) await this.run(`ANALYZE ${t}`);
    return stale.map((r) => r.t);
  }

  /** PostgreSQL's checkpoints are the server's own, in the background: a commit never pays one. */
  async deferCheckpoints<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async limitThreads<T>(_threads: number, fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  isTransient(e: unknown): boolean {
    return isTransient(e) || isTransient((e as { cause?: unknown })?.cause);
  }

  async close(): Promise<void> {
    if (this.scratch) (await this.scratch).closeSync();
    await this.pool.end();
  }
}
