// The settings the embedded warehouse opens with: they bound the process's memory (bench/findings.md, finding 19).
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';

const setting = async (wh: DuckDBWarehouse, name: string) =>
  (await wh.all<{ value: string }>(`SELECT value FROM duckdb_settings() WHERE name = '${name}'`))[0].value;

describe('DuckDB settings', () => {
  const saved = process.env.STOREPULSE_DUCKDB_MEMORY;
  afterEach(() => {
    if (saved === undefined) delete process.env.STOREPULSE_DUCKDB_MEMORY;
    else process.env.STOREPULSE_DUCKDB_MEMORY = saved;
  });

  it('limits DuckDB to 1.4GB and lets jemalloc hand freed memory back in the background', async () => {
    delete process.env.STOREPULSE_DUCKDB_MEMORY;
    const wh = await DuckDBWarehouse.open(':memory:');
    try {
      // DuckDB shows the limit in GiB: 1.4 GB is 1.30 GiB.
      expect(await setting(wh, 'memory_limit')).toBe('1.3 GiB');
      expect(await setting(wh, 'allocator_background_threads')).toBe('true');
    } finally {
      await wh.close();
    }
  });

  it('takes the limit from STOREPULSE_DUCKDB_MEMORY', async () => {
    process.env.STOREPULSE_DUCKDB_MEMORY = '3GB';
    const wh = await DuckDBWarehouse.open(':memory:');
    try {
      expect(await setting(wh, 'memory_limit')).toBe('2.7 GiB');
    } finally {
      await wh.close();
    }
  });
});
