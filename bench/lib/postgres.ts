// A scratch PostgreSQL database per benchmark step, created and dropped on the local server.
import { statSync } from 'node:fs';
import pg from 'pg';

export const PG_ADMIN = process.env.STOREPULSE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresReachable(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    const r = await c.query<{ server_version: string }>('SHOW server_version');
    return r.rows[0].server_version;
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * The server's data directory, when the server runs on this machine and this process can see the directory: the
 * disk its tables fill. Undefined otherwise (a remote server's disk is not ours to check).
 */
export async function postgresDataDirectory(): Promise<string | undefined> {
  if (!['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(new URL(PG_ADMIN).hostname)) return undefined;
  const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    const dir = (await c.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory;
    statSync(dir);
    return dir;
  } catch {
    // Not a superuser (the setting is hidden), or the directory is not visible to this process.
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
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
