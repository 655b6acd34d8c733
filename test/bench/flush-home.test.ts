// A copied home's warehouse is written to disk before anything on it is timed (bench/findings.md, finding 45).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flushHome } from '../../bench/lib/flush-home.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';

describe('flushHome', () => {
  it('writes a home\'s warehouse files to disk and leaves them as they were, with or without a file yet', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sp-flush-'));
    try {
      flushHome(home);
      const copied = await DuckDBWarehouse.open(join(home, 'warehouse.duckdb'));
      await copied.run('CREATE TABLE t AS SELECT * FROM range(3) r(i)');
      await copied.close();
      flushHome(home);
      const again = await DuckDBWarehouse.open(join(home, 'warehouse.duckdb'));
      try {
        expect(await again.all('SELECT SUM(i) AS s FROM t')).toEqual([{ s: 3 }]);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
