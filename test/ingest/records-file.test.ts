// Records posted or streamed are written as NDJSON by us, so their keys are known without reading the file back.
// The keys named must be the ones DuckDB reads, in its order: the extras' order is part of each record's hash.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEntity } from '../../src/contracts/index.js';
import { fileColumns } from '../../src/ingest/file-query.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { writeRecordsFile } from '../../src/ingest/record-ingest.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';

const orders = getEntity('orders')!;
// Extras in mixed case and beyond ASCII, a key only one record has, and one whose value is undefined (left out).
const records: Record<string, unknown>[] = [
  { order_id: 'O1', customer_id: 'C1', order_ts: '2026-03-02T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid', Zeta: 1, 'größe': 'L', alpha: true },
  { order_id: 'O2', customer_id: 'C2', order_ts: '2026-03-02T11:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid', gift: 'yes', never: undefined, Beta: null },
  { order_id: 'O3', customer_ts: 'x', channel: 'store' },
];

describe('records written by us', () => {
  let home: TestHome;
  beforeAll(async () => { home = await openTestHome(); });
  afterAll(async () => { await home?.cleanup(); });

  it('name the keys DuckDB reads from the file, in its order', async () => {
    const file = writeRecordsFile(orders, records, join(home.dir, 'orders-known.ndjson'));
    expect(file.columns).toEqual(await fileColumns(home.wh, file.path, 'ndjson'));
    expect(file.columns).toContain('größe');
    expect(file.columns).not.toContain('never');
  });

  it('land the same bronze rows, hashes and extras included, as the file read back', async () => {
    const known = writeRecordsFile(orders, records, join(home.dir, 'orders-a.ndjson'));
    // Another copy, its keys unknown: ingest reads them from the file, as for any file.
    const { columns: _unused, ...unknown } = writeRecordsFile(orders, [...records, { order_id: 'O4' }], join(home.dir, 'orders-b.ndjson'));
    const a = await ingestFile(home.wh, known);
    const b = await ingestFile(home.wh, unknown);
    expect(a.status).toBe('loaded');
    expect(b.status).toBe('loaded');
    const rows = (batch: number) => home.wh.all(`SELECT _line, _hash, _extra, order_id, customer_id, channel FROM bronze.orders
      WHERE _batch_id = ${batch} AND _line <= ${records.length} ORDER BY _line`);
    const landed = await rows((a as { batchId: number }).batchId);
    expect(landed).toHaveLength(records.length);
    expect(landed).toEqual(await rows((b as { batchId: number }).batchId));
    expect(landed[0]).toMatchObject({ customer_id: 'C1', channel: 'web' });
    expect(JSON.parse(String(landed[0]._extra))).toEqual({ Beta: null, Zeta: '1', alpha: 'true', customer_ts: null, gift: null, 'größe': 'L' });
  });
});
