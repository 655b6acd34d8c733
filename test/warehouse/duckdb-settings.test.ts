// The settings the embedded warehouse opens with: they bound the process's memory (bench/findings.md, finding 19),
// and a new file is written in the storage format whose strings compress faster (finding 35).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
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

  describe('storage format', () => {
    const dirs: string[] = [];
    const fileIn = () => { const d = mkdtempSync(join(tmpdir(), 'sp-storage-')); dirs.push(d); return join(d, 'warehouse.duckdb'); };
    afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
    const formatOf = async (wh: DuckDBWarehouse) => (await wh.all<{ v: string }>(
      "SELECT CAST(tags['storage_version'] AS VARCHAR) AS v FROM duckdb_databases() WHERE NOT internal"))[0]?.v;
    // Ids as the generator writes them: the column DuckDB 1.5's format stores as DICT_FSST, the older as FSST.
    const ids = "CREATE TABLE ids AS SELECT 'E' || lpad(CAST(i AS VARCHAR), 10, '0') AS id FROM range(300000) r(i)";

    it('writes a new warehouse file in the v1.5.0 format, and its strings with its compression', async () => {
      const path = fileIn();
      const wh = await DuckDBWarehouse.open(path);
      try {
        await wh.run(ids);
        await wh.run('CHECKPOINT');
        expect(await formatOf(wh)).toBe('v1.5.0+');
        const methods = (await wh.all<{ c: string }>("SELECT DISTINCT compression AS c FROM pragma_storage_info('ids') WHERE segment_type = 'VARCHAR'")).map((r) => r.c);
        expect(methods).toEqual(['DICT_FSST']);
      } finally {
        await wh.close();
      }
    });

    it('opens a file made in the older format and keeps its data and format', async () => {
      const path = fileIn();
      const db = await DuckDBInstance.create(path);
      const conn = await db.connect();
      await conn.run(ids);
      conn.closeSync();
      db.closeSync();
      const wh = await DuckDBWarehouse.open(path);
      try {
        expect(await formatOf(wh)).toBe('v1.0.0+');
        await wh.run("INSERT INTO ids VALUES ('E-after')");
        expect(await wh.all('SELECT COUNT(*) AS n FROM ids')).toEqual([{ n: 300001 }]);
      } finally {
        await wh.close();
      }
    });
  });
});
