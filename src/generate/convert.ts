// NDJSON and Parquet output: the CSV the generator wrote, rewritten by DuckDB. Every value stays text, so a
// malformed value (a bad date, "1.5" as a quantity) reaches the file exactly as a broken feed would send it.
import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export type OutputFormat = 'csv' | 'ndjson' | 'parquet';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function convertFiles(csvFiles: readonly string[], csvDir: string, out: string, format: Exclude<OutputFormat, 'csv'>): Promise<string[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const written: string[] = [];
  try {
    for (const file of csvFiles) {
      const target = join(out, relative(csvDir, file)).replace(/\.csv$/, `.${format}`);
      mkdirSync(dirname(target), { recursive: true });
      const source = `read_csv(${sqlString(file)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
      const options = format === 'parquet' ? 'FORMAT parquet' : 'FORMAT json';
      await conn.run(`COPY (SELECT * FROM ${source}) TO ${sqlString(target)} (${options})`);
      written.push(target);
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return written.sort();
}
