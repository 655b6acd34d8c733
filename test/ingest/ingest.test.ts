import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverFiles, entityOf } from '../../src/ingest/discover.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { HEADERS, openTestHome, order, writeCsv, type TestHome } from '../helpers/fixtures.js';

describe('file naming', () => {
  it('tells the entity from the file name or its folder, longest name first', () => {
    expect(entityOf('/x/orders.csv')).toBe('orders');
    expect(entityOf('/x/orders-2026-05-01.ndjson')).toBe('orders');
    expect(entityOf('/x/order_items_0001.parquet')).toBe('order_items');
    expect(entityOf('/x/order-items.csv')).toBe('order_items');
    expect(entityOf('/x/orders/part-7.csv')).toBe('orders');
    expect(entityOf('/x/support_cases.csv.gz')).toBe('support_cases');
    expect(entityOf('/x/ordersx.csv')).toBeUndefined();
    expect(entityOf('/x/misc/notes.csv')).toBeUndefined();
  });
});

describe('bronze ingest', () => {
  let home: TestHome;
  beforeEach(async () => { home = await openTestHome(); });
  afterEach(async () => { await home.cleanup(); });

  const ingest = (path: string) => ingestFile(home.wh, discoverFiles([path])[0]);

  it('lands every record raw with provenance and keeps unknown columns', async () => {
    const path = writeCsv(join(home.dir, 'orders.csv'), [...HEADERS.orders, 'utm_source'], [
      { ...order('O1'), utm_source: 'news' },
      { ...order('O2'), order_ts: 'not-a-date', utm_source: 'ads, "spring"' },
    ]);
    const outcome = await ingest(path);
    expect(outcome).toMatchObject({ status: 'loaded', entity: 'orders', records: 2, extras: ['utm_source'] });
    const rows = await home.wh.all<Record<string, unknown>>('SELECT * FROM bronze.orders ORDER BY _line');
    expect(rows.map((r) => r._line)).toEqual([2, 3]);
    expect(rows[1].order_ts).toBe('not-a-date');
    expect(rows[0]._source).toBe(path);
    expect(rows[0]._batch_id).toBe(rows[1]._batch_id);
    expect(String(rows[0]._hash)).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0]._hash).not.toBe(rows[1]._hash);
    expect(JSON.parse(String(rows[1]._extra))).toEqual({ utm_source: 'ads, "spring"' });
    const [batch] = await home.wh.all<Record<string, unknown>>('SELECT * FROM meta.batches');
    expect(batch).toMatchObject({ entity: 'orders', records: 2, processed_run_id: null });
  });

  it('treats the same file delivered twice as a no-op and says so', async () => {
    const path = writeCsv(join(home.dir, 'orders.csv'), [...HEADERS.orders], [order('O1')]);
    const first = await ingest(path);
    const second = await ingest(path);
    expect(first.status).toBe('loaded');
    expect(second).toMatchObject({ status: 'skipped' });
    expect(second.status === 'skipped' && second.reason).toMatch(/already ingested as batch \d+/);
    const [{ n }] = await home.wh.all<{ n: number }>('SELECT COUNT(*) AS n FROM bronze.orders');
    expect(n).toBe(1);
  });

  it('refuses a file missing a required column whole, with a clear error', async () => {
    const header = HEADERS.orders.filter((c) => c !== 'channel' && c !== 'status');
    const path = writeCsv(join(home.dir, 'orders.csv'), header, [order('O1')]);
    const outcome = await ingest(path);
    expect(outcome).toMatchObject({ status: 'refused', code: 'SP_ERR_MISSING_COLUMN' });
    expect(outcome.status === 'refused' && outcome.reason).toMatch(/required columns channel, status missing.*nothing was loaded/);
    const [{ n }] = await home.wh.all<{ n: number }>('SELECT COUNT(*) AS n FROM bronze.orders');
    const [{ b }] = await home.wh.all<{ b: number }>('SELECT COUNT(*) AS b FROM meta.batches');
    expect([n, b]).toEqual([0, 0]);
  });

  it('refuses a structurally broken file whole (no half-loaded rows)', async () => {
    const path = join(home.dir, 'orders.csv');
    const good = `O1,C1,2026-01-01T10:00:00Z,web,DE,EUR,paid,,,,,2026-01-01T10:00:00Z`;
    writeFileSync(path, `${HEADERS.orders.join(',')}\n${good}\n${good.replace('O1', 'O2')},extra,fields\n`);
    const outcome = await ingest(path);
    expect(outcome).toMatchObject({ status: 'refused', code: 'SP_ERR_UNREADABLE_FILE' });
    const [{ n }] = await home.wh.all<{ n: number }>('SELECT COUNT(*) AS n FROM bronze.orders');
    expect(n).toBe(0);
  });

  it('reads NDJSON, JSON arrays and Parquet into the same bronze values as CSV', async () => {
    const rows = [order('O1', { shipping_amount: '4.50' }), order('O2', { status: 'cancelled' })];
    writeCsv(join(home.dir, 'csv', 'orders.csv'), [...HEADERS.orders], rows);
    writeFileSync(join(home.dir, 'orders.ndjson'), rows.map((r) => JSON.stringify({ ...r, shipping_amount: r.shipping_amount ? 4.5 : undefined, gift: true })).join('\n') + '\n');
    writeFileSync(join(home.dir, 'orders-array.json'), JSON.stringify(rows));
    await home.wh.run(`COPY (SELECT * FROM read_csv('${join(home.dir, 'csv', 'orders.csv')}', all_varchar = true)) TO '${join(home.dir, 'orders.parquet')}' (FORMAT parquet)`);
    for (const f of ['csv/orders.csv', 'orders.ndjson', 'orders-array.json', 'orders.parquet']) {
      expect(await ingest(join(home.dir, f))).toMatchObject({ status: 'loaded', records: 2 });
    }
    const seen = await home.wh.all<{ _batch_id: number; order_id: string; status: string; shipping_amount: string | null; _line: number; _extra: string | null }>(
      'SELECT _batch_id, order_id, status, shipping_amount, _line, _extra FROM bronze.orders ORDER BY _batch_id, _line');
    const perBatch = (i: number) => seen.slice(i * 2, i * 2 + 2).map((r) => [r.order_id, r.status, r.shipping_amount === null ? null : Number(r.shipping_amount)]);
    for (let i = 1; i < 4; i++) expect(perBatch(i)).toEqual(perBatch(0));
    expect(seen.slice(2, 4).map((r) => r._line)).toEqual([1, 2]);
    expect(JSON.parse(seen[2]._extra!)).toEqual({ gift: 'true' });
  });
});
