// A micro-batch's queries run on one thread each, and the warehouse's own setting comes back after (finding 52).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';

describe('DuckDB threads limited for a piece of work', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
  const open = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-threads-'));
    dirs.push(dir);
    return DuckDBWarehouse.open(join(dir, 'warehouse.duckdb'), { threads: 3 });
  };
  const threads = async (wh: DuckDBWarehouse) => Number((await wh.all<{ t: number }>("SELECT current_setting('threads') AS t"))[0].t);

  it('uses the limit inside, also on the other connections, and the opened setting again after', async () => {
    const wh = await open();
    try {
      expect(await threads(wh)).toBe(3);
      const inside = await wh.limitThreads(1, async () => ({
        writer: await threads(wh),
        // The setting is the database's: a reader connection sees it too.
        reader: Number((await wh.read<{ t: number }>("SELECT current_setting('threads') AS t"))[0].t),
        // A nested limit leaves the outer one in place, and does not end it.
        nested: await wh.limitThreads(2, () => threads(wh)),
        afterNested: await threads(wh),
      }));
      expect(inside).toEqual({ writer: 1, reader: 1, nested: 1, afterNested: 1 });
      expect(await threads(wh)).toBe(3);
    } finally {
      await wh.close();
    }
  });

  it('restores the setting when the work fails', async () => {
    const wh = await open();
    try {
      await expect(wh.limitThreads(1, async () => { throw new Error('the run failed'); })).rejects.toThrow('the run failed');
      expect(await threads(wh)).toBe(3);
    } finally {
      await wh.close();
    }
  });
});
