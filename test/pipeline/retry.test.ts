import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/ingest/discover.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { runPipelineWithRetry } from '../../src/pipeline/run.js';
import { withRetry } from '../../src/pipeline/retry.js';
import { ENGINES } from '../helpers/engines.js';
import { HEADERS, item, openTestHome, order, writeCsv } from '../helpers/fixtures.js';
import { postgresAvailable } from '../helpers/postgres.js';

describe('withRetry', () => {
  const transient = Object.assign(new Error('connection reset'), { transient: true });
  const isTransient = (e: unknown) => (e as { transient?: boolean }).transient === true;

  it('retries passing failures with growing delays, then succeeds', async () => {
    let calls = 0;
    const delays: number[] = [];
    const result = await withRetry(async () => {
      if (++calls < 3) throw transient;
      return 'done';
    }, { isTransient, baseMs: 5, onRetry: (_a, d) => delays.push(d) });
    expect(result).toBe('done');
    expect(delays).toEqual([5, 10]);
  });

  it('gives up after the last attempt, and never retries a real failure', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw transient; }, { isTransient, attempts: 3, baseMs: 1 })).rejects.toBe(transient);
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(async () => { calls++; throw new Error('bad SQL'); }, { isTransient, baseMs: 1 })).rejects.toThrow('bad SQL');
    expect(calls).toBe(1);
  });
});

describe.skipIf(!postgresAvailable)('a run on PostgreSQL whose connection is killed', () => {
  it('is retried with back-off and finishes with the same result', async () => {
    const home = await openTestHome(ENGINES[1]);
    try {
      const orders = Array.from({ length: 300 }, (_, i) => order(`O${i}`));
      const items = Array.from({ length: 300 }, (_, i) => item(`O${i}`, 1));
      for (const f of discoverFiles([
        writeCsv(join(home.dir, 'orders.csv'), HEADERS.orders, orders),
        writeCsv(join(home.dir, 'order_items.csv'), HEADERS.order_items, items),
      ])) await ingestFile(home.wh, f);
      const [{ db }] = await home.wh.all<{ db: string }>('SELECT current_database() AS db');
      // Terminate the backend running the run's transaction once, as a server restart or a network drop would.
      // The kill is made from an observer of the first silver step: the run waits for its observers, so the kill
      // always lands inside the open transaction (a watcher polling on a timer could land after the commit).
      // Only a backend that has written holds a transaction id, so a reader on another pooled connection is spared.
      let killed = 0;
      const killer = new pg.Client({ connectionString: process.env.STOREPULSE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
      await killer.connect();
      const killFirstStep = {
        async stepStarted() {
          if (killed > 0) return;
          const { rows } = await killer.query(
            `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'storepulse%'
             AND state = 'idle in transaction' AND backend_xid IS NOT NULL`, [db]);
          expect(rows).toHaveLength(1);
          killed++;
          // Waits until the backend is gone, so the run's next statement meets a dead connection.
          await killer.query('SELECT pg_terminate_backend($1, 5000)', [rows[0].pid]);
        },
      };
      const retries: string[] = [];
      const summary = await runPipelineWithRetry(home.wh, {
        baseCurrency: 'EUR', observers: [killFirstStep],
        onProgress: (m) => { if (m.includes('retrying')) retries.push(m); },
        onObserverError: (e) => { throw e; },
      });
      await killer.end();
      expect(killed).toBe(1);
      expect(retries).toHaveLength(1);
      expect(summary.status).toBe('succeeded');
      expect(await home.wh.all('SELECT COUNT(*) AS n FROM gold.fact_order_line')).toEqual([{ n: 300 }]);
      expect(await home.wh.all("SELECT status, COUNT(*) AS n FROM meta.runs GROUP BY status ORDER BY status")).toEqual([
        { status: 'failed', n: 1 }, { status: 'succeeded', n: 1 },
      ]);
    } finally {
      await home.cleanup();
    }
  });
});
