// `serve --export-lake`: micro-batches keep the lake current, at most once an interval, with what they changed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTables } from '../../src/lake/lake-keeper.js';
import type { LakeManifest } from '../../src/lake/lake-manifest.js';
import type { RunSummary } from '../../src/pipeline/run.js';
import { tempDir, type TempDir } from '../helpers/cli.js';
import { item, order } from '../helpers/fixtures.js';
import { eventually, startServe, type ServedProcess } from '../helpers/serve.js';

describe('the tables a run changed', () => {
  it('are the silver entities whose current versions changed (with their history) and the gold models it wrote', () => {
    const summary = {
      entities: [{ entity: 'customers', changed: 2 }, { entity: 'orders', changed: 0 }, { entity: 'order_items', changed: 5 }],
      models: [
        { model: 'gold.fact_order', mode: 'incremental', deleted: 1, inserted: 1 },
        { model: 'gold.dim_date', mode: 'skipped', deleted: 0, inserted: 0 },
        { model: 'gold.mart_order_daily', mode: 'incremental', deleted: 0, inserted: 0 },
        { model: 'gold.dim_channel', mode: 'full', deleted: 0, inserted: 0 },
        // A sum model that only added to rows it had.
        { model: 'gold.mart_product_experience', mode: 'incremental', deleted: 0, inserted: 0, updated: 2 },
      ],
    } as unknown as RunSummary;
    expect([...changedTables(summary)].sort()).toEqual(['gold.dim_channel', 'gold.fact_order', 'gold.mart_product_experience', 'silver.customers', 'silver.customers_history', 'silver.order_items']);
  });
});

describe('serve --export-lake', () => {
  let tmp: TempDir;
  let server: ServedProcess;
  beforeAll(async () => {
    tmp = tempDir('sp-serve-lake');
    server = await startServe(tmp.path, ['--export-lake', join(tmp.path, 'lake'), '--lake-interval', '500ms']);
  });
  afterAll(async () => {
    await server?.stop();
    tmp?.cleanup();
  });

  const post = (entity: string, records: object[]) =>
    fetch(`${server.url}/api/ingest/${entity}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
  const manifest = () => {
    const file = join(tmp.path, 'lake', 'manifest.json');
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as LakeManifest : undefined;
  };
  const rows = (m: LakeManifest | undefined, name: string) => m?.tables.find((t) => t.name === name)?.rows;

  it('writes what the micro-batches built, and refreshes it as more arrives', async () => {
    expect((await post('orders', [order('L1'), order('L2')])).status).toBe(202);
    expect((await post('order_items', [item('L1', 1), item('L2', 1)])).status).toBe(202);
    const first = await eventually(async () => { const m = manifest(); return rows(m, 'gold.fact_order_line') === 2 ? m : undefined; }, 20_000, 'the lake to hold the first lines');
    expect(rows(first, 'gold.fact_order')).toBe(2);
    expect((await post('orders', [order('L3', { order_ts: '2026-01-02T08:00:00Z' })])).status).toBe(202);
    const second = await eventually(async () => { const m = manifest(); return rows(m, 'gold.fact_order') === 3 ? m : undefined; }, 20_000, 'the lake to hold the third order');
    expect(second.run_id).toBeGreaterThan(first.run_id!);
    expect(existsSync(join(tmp.path, 'lake', 'gold', 'fact_order', 'order_date=2026-01-02'))).toBe(true);
    // Tables no micro-batch touched since are not written again.
    const dim = (m: LakeManifest) => m.tables.find((t) => t.name === 'gold.dim_channel')!.exported_at;
    expect(dim(second)).toBe(dim(first));
  });
});
