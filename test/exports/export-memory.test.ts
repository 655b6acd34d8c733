// A million-row export in bounded memory. The rows are made inside the engine with SQL (a million copies of one
// order in gold.fact_order), then the orders grid is downloaded through the HTTP route as CSV (every engine) and
// as XLSX (DuckDB; the writer is the same for both), while this process's memory is sampled. A route that
// gathered the rows or the file first would hold hundreds of megabytes; a streamed one holds a few batches.
// Memory, not speed, is asserted.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { openTestHome, type TestHome } from '../helpers/fixtures.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { loadShop } from '../helpers/shop.js';

const ROWS = 1_000_000;
/** Live JS heap + buffers allowed to grow while streaming; gathering these rows or the file first needs hundreds of MB. */
const BOUND_MB = 64;
/**
 * The XLSX writer's own: exceljs's zip keeps its deflate state and a sheet's XML not yet compressed. Alone it grew
 * about 25 MB; with the suite's other files competing for the two cores, once 68 MB. What it guards against, the
 * zip's input left unthrottled (xlsx-stream.ts), grew 828 MB with the throttle taken out, and gathered rows would
 * hold hundreds of MB.
 */
const XLSX_BOUND_MB = 128;

// What is live, not garbage waiting for the collector: measured right after a full collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const used = () => { gc(); const m = process.memoryUsage(); return m.heapUsed + m.external + m.arrayBuffers; };
/** Bytes downloaded between two memory samples. */
const SAMPLE_EVERY = 4 * 2 ** 20;

/**
 * Reads a download to its end, keeping only counts; returns bytes, lines and the peak memory growth over the last
 * three quarters of the download. The first quarter holds the query's start-up (up to 125 MB for a moment, for
 * the XLSX query on a busy machine), not what the stream holds; a route that gathered the rows or the file would
 * hold them at every sample to the end.
 */
async function download(url: string, authorization: string): Promise<{ status: number; bytes: number; lines: number; growthMb: number; head: string; tail: Buffer }> {
  const baseline = used();
  const samples: { at: number; growth: number }[] = [];
  const r = await fetch(url, { headers: { authorization } });
  const reader = r.body!.getReader();
  let bytes = 0;
  let lines = 0;
  let head = '';
  let tail = Buffer.alloc(0);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (bytes < 200) head += Buffer.from(value).toString('utf8');
    if (Math.floor((bytes + value.byteLength) / SAMPLE_EVERY) > Math.floor(bytes / SAMPLE_EVERY)) samples.push({ at: bytes, growth: used() - baseline });
    bytes += value.byteLength;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
    tail = Buffer.from(value.subarray(Math.max(0, value.length - 64)));
  }
  const counted = samples.filter((x) => x.at >= bytes / 4);
  // A download of 20 MB or more gives at least three counted samples: the bound is checked, not skipped.
  if (bytes >= 20 * 2 ** 20 && counted.length < 3) throw new Error(`only ${counted.length} memory samples after the first quarter`);
  return { status: r.status, bytes, lines, growthMb: Math.max(0, ...counted.map((x) => x.growth)) / 2 ** 20, head, tail };
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`a ${ROWS.toLocaleString('en-US')}-row export on ${engine.name}`, () => {
    let home: TestHome;
    let api: TestService;
    beforeAll(async () => {
      home = await openTestHome(engine);
      await loadShop(home.wh);
      const columns = (await home.wh.read<{ c: string }>(
        "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'gold' AND table_name = 'fact_order' ORDER BY ordinal_position")).map((r) => r.c);
      const select = columns.map((c) => (c === 'order_id' ? "'M' || CAST(s.g AS VARCHAR) AS order_id" : `t.${c}`)).join(', ');
      await home.wh.run(`INSERT INTO gold.fact_order (${columns.join(', ')})
        SELECT ${select} FROM gold.fact_order t, generate_series(1, ${ROWS}) AS s(g) WHERE t.order_id = 'O2'`);
      // As a run would: PostgreSQL's planner must know the table grew (the service's KPI snapshot reads it).
      await home.wh.refreshStatistics();
      api = await startTestService(home.wh, home.dir);
    }, 300_000);
    afterAll(async () => {
      await api?.stop();
      await home?.cleanup();
    });

    it('streams it as CSV', async () => {
      const got = await download(`${api.url}/api/admin/orders/export?format=csv&sort=order_id`, `Bearer ${await api.token('analyst')}`);
      expect(got.status).toBe(200);
      expect(got.lines).toBe(1 + ROWS + 7);
      expect(got.head).toMatch(/^\uFEFF?order_id,customer_id,order_ts/);
      expect(got.bytes).toBeGreaterThan(80 * 2 ** 20);
      expect(got.growthMb, `peak growth ${got.growthMb.toFixed(0)} MB for ${(got.bytes / 2 ** 20).toFixed(0)} MB of CSV`).toBeLessThan(BOUND_MB);
    }, 300_000);

    // XLSX once: its writer is the same whatever engine feeds it, and the slowest part of this file.
    if (engine.name === 'duckdb') it('streams it as XLSX', async () => {
      const got = await download(`${api.url}/api/admin/orders/export?format=xlsx`, `Bearer ${await api.token('analyst')}`);
      expect(got.status).toBe(200);
      expect(got.head.startsWith('PK')).toBe(true);
      // A complete zip ends with its end-of-central-directory record.
      expect(got.tail.includes(Buffer.from([0x50, 0x4b, 0x05, 0x06]))).toBe(true);
      expect(got.bytes).toBeGreaterThan(20 * 2 ** 20);
      expect(got.growthMb, `peak growth ${got.growthMb.toFixed(0)} MB for ${(got.bytes / 2 ** 20).toFixed(0)} MB of XLSX`).toBeLessThan(XLSX_BOUND_MB);
    }, 300_000);
  });
}
