// A model with `full_build_parts` (fact_session) is built whole in parts on DuckDB, one statement per hash part of
// its partition values, and in one statement on PostgreSQL; either way its rows are those of its SQL run whole.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { discoverFiles } from '../../src/ingest/discover.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { loadModels } from '../../src/models/model-file.js';
import { render } from '../../src/models/render.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, writeCsv, type Rows, type TestHome } from '../helpers/fixtures.js';

const HEADER = ['event_id', 'session_id', 'customer_id', 'event_type', 'product_id', 'order_id', 'device', 'channel', 'event_ts'];

/**
 * 40 sessions of three events; the first ones lack a channel, device or customer, and two share a time. The last
 * two events of most sessions disagree (channel, device, customer); in every fourth session from S2 they agree on
 * all three, and in every fourth from S3 on all but the device.
 */
function sessionEvents(): Rows {
  const rows: Rows = [];
  for (let s = 0; s < 40; s++) {
    const at = (second: number) => `2026-01-0${1 + (s % 5)}T10:00:${String(second).padStart(2, '0')}Z`;
    rows.push(
      { event_id: `E${s}-a`, session_id: `S${s}`, customer_id: null, event_type: 'page_view', product_id: null, order_id: null, device: s % 2 ? 'mobile' : null, channel: null, event_ts: at(1) },
      { event_id: `E${s}-b`, session_id: `S${s}`, customer_id: `C${s}`, event_type: 'product_view', product_id: 'P1', order_id: null, device: 'desktop', channel: 'web', event_ts: at(2) },
      { event_id: `E${s}-c`, session_id: `S${s}`, customer_id: s % 4 >= 2 ? `C${s}` : `C${s + 100}`, event_type: s % 3 ? 'add_to_cart' : 'purchase', product_id: 'P1', order_id: null,
        device: s % 4 === 2 ? 'desktop' : 'tablet', channel: s % 4 >= 2 ? 'web' : 'app', event_ts: at(2) },
    );
  }
  return rows;
}

describe.each(ENGINES)('a model built in parts on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeEach(async () => { home = await openTestHome(engine); });
  afterEach(async () => { await home.cleanup(); });

  it('holds the rows of its SQL run whole', async () => {
    const model = loadModels().find((m) => m.name === 'gold.fact_session')!;
    expect(model.fullBuildParts).toBe(2);
    for (const f of discoverFiles([writeCsv(join(home.dir, 'events.csv'), HEADER, sessionEvents())])) await ingestFile(home.wh, f);
    const run = vi.spyOn(home.wh, 'run');
    expect((await runPipeline(home.wh, { baseCurrency: 'EUR' })).status).toBe('succeeded');
    const statements = run.mock.calls.map(([sql]) => sql).filter((sql) => /^(CREATE TABLE|INSERT INTO) gold\.\S*fact_session\b/.test(sql));
    run.mockRestore();
    // DuckDB: a CREATE over the first part and an INSERT of each other; PostgreSQL: one statement.
    expect(statements.length).toBe(engine.name === 'duckdb' ? 2 : 1);

    const whole = render(model.sql, { dialect: home.wh.dialect, baseCurrency: 'EUR' });
    const count = async (sql: string) => Number((await home.wh.all<{ n: number }>(`SELECT COUNT(*) AS n FROM (${sql}) x`))[0].n);
    expect(await count('SELECT * FROM gold.fact_session')).toBe(40);
    expect(await count(`SELECT * FROM gold.fact_session EXCEPT ALL SELECT * FROM (${whole}) w`)).toBe(0);
    expect(await count(`${whole} EXCEPT ALL SELECT * FROM gold.fact_session`)).toBe(0);
    // The first non-null values in event order, the tie broken by event id: where a session's events disagree
    // (S1, S3's device) and where they agree (S2, S3's channel and customer).
    const session = async (id: string) => (await home.wh.all<{ channel: string; device: string; customer_id: string }>(
      'SELECT channel, device, customer_id FROM gold.fact_session WHERE session_id = $1', [id]))[0];
    expect(await session('S1')).toEqual({ channel: 'web', device: 'mobile', customer_id: 'C1' });
    expect(await session('S2')).toEqual({ channel: 'web', device: 'desktop', customer_id: 'C2' });
    expect(await session('S3')).toEqual({ channel: 'web', device: 'mobile', customer_id: 'C3' });
    expect(await session('S4')).toEqual({ channel: 'web', device: 'desktop', customer_id: 'C4' });
    if (engine.name === 'duckdb') {
      // Every part held sessions: each statement built some of the rows.
      expect(await count('SELECT DISTINCT hash(session_id) % 2 FROM gold.fact_session')).toBe(2);
    }
  });
});
