// Runs one SQL file in a fresh in-memory DuckDB and prints the first row as JSON: the floor is measured as a
// plain child process, start-up included, exactly as StorePulse's own commands are.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
await conn.run("SET TimeZone = 'UTC'");
const rows = (await conn.runAndReadAll(readFileSync(process.argv[2], 'utf8'))).getRowObjectsJson();
process.stdout.write(JSON.stringify(rows[0]) + '\n');
conn.closeSync();
db.closeSync();
