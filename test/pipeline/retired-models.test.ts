// A model whose file is removed (or renamed) leaves no table behind: the next run drops it and its build record,
// in the run's transaction, even when nothing new landed.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/ingest/discover.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { loadModels, parseModel } from '../../src/models/model-file.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { ENGINES } from '../helpers/engines.js';
import { HEADERS, item, openTestHome, order, writeCsv, type TestHome } from '../helpers/fixtures.js';

const extra = parseModel('/models/gold/zz_extra.sql', `/* ---
description: a model that is removed later
materialized: table
--- */
SELECT o.order_id FROM gold.fact_order o`);

describe.each(ENGINES)('a removed model on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeEach(async () => { home = await openTestHome(engine); });
  afterEach(async () => { await home.cleanup(); });

  const gold = async () => (await home.wh.all<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'gold' AND table_name LIKE 'zz%'")).map((r) => r.t);
  const built = async () => (await home.wh.all<{ name: string }>("SELECT name FROM meta.models WHERE name LIKE 'gold.zz%'")).map((r) => r.name);

  it('is dropped by the next run, with its build record, though nothing new landed', async () => {
    const orders = writeCsv(join(home.dir, 'orders.csv'), HEADERS.orders, [order('O1')]);
    const items = writeCsv(join(home.dir, 'order_items.csv'), HEADERS.order_items, [item('O1', 1)]);
    for (const f of discoverFiles([orders, items])) await ingestFile(home.wh, f);
    await runPipeline(home.wh, { baseCurrency: 'EUR', models: [...loadModels(), extra] });
    expect(await gold()).toEqual(['zz_extra']);
    expect(await built()).toEqual(['gold.zz_extra']);

    const messages: string[] = [];
    const next = await runPipeline(home.wh, { baseCurrency: 'EUR', onProgress: (m) => messages.push(m) });
    expect(next.status).toBe('succeeded');
    expect(messages).toContain('dropped gold.zz_extra: no model defines it any more');
    expect(await gold()).toEqual([]);
    expect(await built()).toEqual([]);
    // With nothing left to drop and nothing landed, there is nothing to do.
    expect((await runPipeline(home.wh, { baseCurrency: 'EUR' })).status).toBe('nothing_to_do');
  });
});
