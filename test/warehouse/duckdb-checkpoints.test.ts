// A run's commits hold their checkpoints back and the run checkpoints once at its end (bench/findings.md, finding 39).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_THRESHOLD_BYTES, DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';

describe('DuckDB checkpoints deferred to the end of a run', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
  // DuckDB's own 16 MiB, which each commit below (about 32 MB of log) passes on its own.
  const SMALL = 16 * 1024 * 1024;
  const open = async (checkpointThresholdBytes?: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-checkpoints-'));
    dirs.push(dir);
    const path = join(dir, 'warehouse.duckdb');
    return { wh: await DuckDBWarehouse.open(path, { checkpointThresholdBytes }), wal: () => { try { return statSync(`${path}.wal`).size; } catch { return 0; } } };
  };
  const threshold = async (wh: DuckDBWarehouse) =>
    (await wh.all<{ t: string }>("SELECT current_setting('checkpoint_threshold') AS t"))[0].t;
  // An UPDATE of 2M integers logs about 32 MB: each commit below passes DuckDB's 16 MiB threshold on its own.
  const writes = async (wh: DuckDBWarehouse) => {
    await wh.run('CREATE TABLE t AS SELECT range AS i FROM range(2000000)');
    await wh.run('UPDATE t SET i = i + 1');
    await wh.run('UPDATE t SET i = i + 1');
  };

  it('opens with a threshold of 128 MiB unless told otherwise', async () => {
    const { wh } = await open();
    try {
      expect(CHECKPOINT_THRESHOLD_BYTES).toBe(128 * 1024 * 1024);
      expect(await threshold(wh)).toBe('128.0 MiB');
      await wh.deferCheckpoints(() => wh.run('CREATE TABLE small AS SELECT 1 AS i'));
      expect(await threshold(wh)).toBe('128.0 MiB');
    } finally {
      await wh.close();
    }
  });

  it('checkpoints at each commit past the threshold without it', async () => {
    const { wh, wal } = await open(SMALL);
    try {
      await writes(wh);
      expect(wal()).toBeLessThan(SMALL);
    } finally {
      await wh.close();
    }
  });

  it('keeps the log of every commit inside, then checkpoints once and restores the threshold', async () => {
    const { wh, wal } = await open(SMALL);
    try {
      const inside = await wh.deferCheckpoints(async () => {
        await writes(wh);
        return wal();
      });
      expect(inside).toBeGreaterThan(2 * SMALL);
      expect(wal()).toBeLessThan(SMALL);
      expect(await threshold(wh)).toBe('16.0 MiB');
      expect((await wh.all<{ n: number }>('SELECT MIN(i) AS n FROM t'))[0].n).toBe(2);
    } finally {
      await wh.close();
    }
  });

  it('leaves a small log to DuckDB and restores the threshold after a failure', async () => {
    const { wh, wal } = await open(SMALL);
    try {
      await wh.deferCheckpoints(() => wh.run('CREATE TABLE small AS SELECT 1 AS i'));
      expect(wal()).toBeGreaterThan(0);
      await expect(wh.deferCheckpoints(async () => { throw new Error('the run failed'); })).rejects.toThrow('the run failed');
      expect(await threshold(wh)).toBe('16.0 MiB');
    } finally {
      await wh.close();
    }
  });
});
