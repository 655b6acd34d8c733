// Silver tables made before `_key` left them (bench/findings.md 28) lose it at the next bootstrap, keeping their rows.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/ingest/discover.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { bootstrap } from '../../src/pipeline/bootstrap.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { ENGINES } from '../helpers/engines.js';
import { HEADERS, item, openTestHome, order, writeCsv, type TestHome } from '../helpers/fixtures.js';

describe.each(ENGINES)('silver tables of an earlier version on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  beforeEach(async () => { home = await openTestHome(engine); });
  afterEach(async () => { await home.cleanup(); });

  const keyColumns = async () => (await home.wh.all<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'silver' AND column_name = '_key' ORDER BY 1")).map((r) => r.t);

  it('lose their _key column at bootstrap, keep their rows, and take the next run', async () => {
    const land = async (name: string, orders: string[]) => {
      const files = [
        writeCsv(join(home.dir, name, 'orders.csv'), HEADERS.orders, orders.map((o) => order(o))),
        writeCsv(join(home.dir, name, 'order_items.csv'), HEADERS.order_items, orders.map((o) => item(o, 1))),
      ];
      for (const f of discoverFiles(files)) await ingestFile(home.wh, f);
      return runPipeline(home.wh, { baseCurrency: 'EUR' });
    };
    await land('first', ['O1', 'O2']);
    // As an earlier version made them.
    for (const t of ['orders', 'order_items', 'customers_history']) await home.wh.run(`ALTER TABLE silver.${t} ADD COLUMN _key VARCHAR`);
    await home.wh.run("UPDATE silver.orders SET _key = order_id");
    expect(await keyColumns()).toEqual(['customers_history', 'order_items', 'orders']);

    await bootstrap(home.wh, 'EUR');
    expect(await keyColumns()).toEqual([]);
    expect(await home.wh.all('SELECT order_id FROM silver.orders ORDER BY 1')).toEqual([{ order_id: 'O1' }, { order_id: 'O2' }]);

    const next = await land('second', ['O3']);
    expect(next.status).toBe('succeeded');
    expect(await home.wh.all('SELECT COUNT(*) AS n FROM gold.fact_order')).toEqual([{ n: 3 }]);
  });
});
