// Writing query results as Parquet with DuckDB, the same for both engines (PostgreSQL hands its rows over as CSV):
// Hive partitions when asked, and an empty table still gets one file, so readers see its columns.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from './dialect.js';
import { toPlainRows } from './duckdb/duckdb-values.js';
import type { ParquetColumn, ParquetUnload } from './engine.js';

/** A Hive partition value for NULL, as Spark, Trino and DuckDB write and read it. */
export const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

async function rowsOf(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return toPlainRows((await conn.runAndReadAll(sql)).getRowObjectsJS());
}

/** Columns of a DuckDB query, with types Parquet keeps exactly (HUGEINT would be written as DOUBLE). */
export async function parquetColumns(conn: DuckDBConnection, select: string): Promise<{ columns: ParquetColumn[]; select: string }> {
  const described = await rowsOf(conn, `DESCRIBE ${select}`);
  const columns = described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const fixed = columns.map((c) => (c.type === 'HUGEINT' || c.type === 'UHUGEINT' ? { ...c, type: 'BIGINT' } : c));
  const list = fixed.map((c, i) => (c.type === columns[i].type ? quoteIdent(c.name) : `CAST(${quoteIdent(c.name)} AS ${c.type}) AS ${quoteIdent(c.name)}`));
  return { columns: fixed, select: `SELECT ${list.join(', ')} FROM (${select}) unloaded` };
}

/** Writes a DuckDB query's rows under unload.dir; returns how many rows and their columns. */
export async function writeParquet(conn: DuckDBConnection, select: string, unload: ParquetUnload): Promise<{ rows: number; columns: ParquetColumn[] }> {
  const { columns, select: typed } = await parquetColumns(conn, select);
  mkdirSync(unload.dir, { recursive: true });
  const options = `FORMAT parquet, COMPRESSION zstd${unload.partitionBy ? `, PARTITION_BY (${quoteIdent(unload.partitionBy)})` : ''}`;
  const [written] = await rowsOf(conn, `COPY (${typed}) TO ${quoteLiteral(unload.partitionBy ? unload.dir : join(unload.dir, 'data_0.parquet'))} (${options})`);
  const rows = Number(written.Count ?? written.count ?? 0);
  if (rows === 0 && unload.partitionBy) {
    // A partitioned COPY of no rows writes no file at all; one empty file keeps the table's columns readable.
    const empty = join(unload.dir, `${unload.partitionBy}=${NULL_PARTITION}`);
    mkdirSync(empty, { recursive: true });
    const others = columns.filter((c) => c.name !== unload.partitionBy).map((c) => quoteIdent(c.name)).join(', ');
    await conn.run(`COPY (SELECT ${others} FROM (${typed}) t LIMIT 0) TO ${quoteLiteral(join(empty, 'data_0.parquet'))} (FORMAT parquet)`);
  }
  return { rows, columns };
}
