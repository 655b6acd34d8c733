// A scratch PostgreSQL database per benchmark step, created and dropped on the local server.
import { existsSync } from 'node:fs';
import pg from 'pg';

export const PG_ADMIN = process.env.STOREPULSE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A query's rows on the admin connection, or undefined when the server cannot be reached or refuses it. */
async function askServer<T extends pg.QueryResultRow>(sql: string): Promise<T[] | undefined> {
  const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return (await c.query<T>(sql)).rows;
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function postgresReachable(): Promise<string | undefined> {
  return (await askServer<{ server_version: string }>('SHOW server_version'))?.[0].server_version;
}

/**
 * The server's data directory, when the server runs on this machine and this process can see the directory: the
 * disk its tables fill. Undefined otherwise: a remote server's disk is not ours to check, and the setting is hidden
 * from a user who is not a superuser.
 */
export async function postgresDataDirectory(): Promise<string | undefined> {
  if (!['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(new URL(PG_ADMIN).hostname)) return undefined;
  const dir = (await askServer<{ data_directory: string }>('SHOW data_directory'))?.[0].data_directory;
  return dir && existsSync(dir) ? dir : undefined;
}

const DROP_ATTEMPTS = 12;

export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  // After a step killed on its timeout, the server may still be inside that client's statement: FORCE ends the
  // session, but the drop fails if it has not ended within 5 s (a 10M rebuild's CREATE TABLE took longer and the
  // failed drop ended the whole benchmark). So the drop is tried again, and a database left behind is only a
  // warning with its name: it must not cost the figures already measured.
  const drop = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (e) {
        if (attempt === DROP_ATTEMPTS) {
          process.stderr.write(`[bench] scratch database ${name} not dropped (${(e as Error).message}); drop it by hand\n`);
          return;
        }
        await new Promise((r) => setTimeout(r, 5_000));
      }
    }
  };
  return { url: url.toString(), drop };
}
