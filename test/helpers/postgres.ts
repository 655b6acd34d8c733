// Test databases on a real PostgreSQL server: each suite creates its own database and drops it afterwards.
// Outside CI, with no server reachable, PostgreSQL suites are skipped and say why; in CI they must run.
import pg from 'pg';

export const PG_ADMIN_URL = process.env.STOREPULSE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await reachable();
if (problem && process.env.CI) {
  throw new Error(`PostgreSQL tests must run in CI but ${PG_ADMIN_URL} is not reachable: ${problem}. ` +
    'The test script starts the local server (scripts/test-services.sh); check its output.');
}
if (problem) {
  process.stderr.write(`\n[postgres] SKIPPING PostgreSQL tests: ${PG_ADMIN_URL} is not reachable (${problem}). ` +
    'Start a server or set STOREPULSE_TEST_PG to run them.\n');
}

/** True when PostgreSQL tests can run; use with describe.skipIf(!postgresAvailable). */
export const postgresAvailable = problem === undefined;

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `sp_test_${label}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }),
  };
}
