// The benchmark's data copies are removed once no step left reads them, and the run says before it starts when the
// disk is short: PostgreSQL's 10M rebuild once ran out of disk beside copies no step read any more.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseCopies, type DataSet } from '../../bench/figures/data.js';
import { copiesRead, nameCopies, stepsAfter, type Step } from '../../bench/lib/data-copies.js';
import { diskShortfalls, peakNeeds, type FreeSpace } from '../../bench/lib/disk-space.js';

const ALL = new Set<Step>(['ingest', 'incremental', 'duckdb', 'floor', 'postgres']);
const GB = 1e9;

describe('data copies', () => {
  it('keeps each copy until the last step that reads it', () => {
    expect([...copiesRead(stepsAfter(ALL, 'ingest'))].sort()).toEqual(['byDay', 'csv', 'parquet']);
    expect([...copiesRead(stepsAfter(ALL, 'incremental'))].sort()).toEqual(['csv', 'parquet']);
    expect([...copiesRead(stepsAfter(ALL, 'floor'))]).toEqual(['csv']);
    expect([...copiesRead(stepsAfter(ALL, 'postgres'))]).toEqual([]);
  });

  it('names the copies in words', () => {
    expect(nameCopies(['byDay'])).toBe('the by-day copy');
    expect(nameCopies(['byDay', 'csv', 'parquet'])).toBe('the by-day, CSV and Parquet copies');
  });

  it('makes only what the chosen steps read', () => {
    expect([...copiesRead(new Set<Step>(['incremental']))]).toEqual(['byDay']);
    // Without PostgreSQL, the CSV set goes after DuckDB's rebuild, and the Parquet files after the floor.
    expect([...copiesRead(stepsAfter(new Set<Step>(['duckdb', 'floor']), 'duckdb'))]).toEqual(['parquet']);
  });

  let root = '';
  afterEach(() => { if (root) rmSync(root, { recursive: true, force: true }); });

  it('removes the copies not kept, and only those', () => {
    root = mkdtempSync(join(tmpdir(), 'sp-copies-'));
    const data = { byDay: join(root, 'by-day'), csv: join(root, 'csv'), ndjson: join(root, 'ndjson'), parquet: join(root, 'parquet') } as DataSet;
    for (const dir of [data.byDay, data.csv, data.parquet]) mkdirSync(dir);
    expect(releaseCopies(data, new Set(['csv']))).toEqual(['byDay', 'parquet']);
    expect([existsSync(data.byDay), existsSync(data.csv), existsSync(data.parquet)]).toEqual([false, true, false]);
  });
});

describe('disk needs', () => {
  const dirs = { dataDir: '/data', homesDir: '/tmp', postgresDir: '/pg' };
  const oneDisk = (free: number): FreeSpace => () => ({ device: 1, free });

  it('fits a full 10M run on the 80 GB it has been run on, and not on the 62 GB PostgreSQL ran out of', () => {
    const steps = peakNeeds(10.4, ALL, dirs);
    expect(diskShortfalls(steps, oneDisk(80 * GB))).toEqual([]);
    const short = diskShortfalls(steps, oneDisk(62 * GB));
    expect(short).toHaveLength(1);
    expect(short[0]).toMatch(/^\/data and \/pg: about 6\d\.\d GB needed at once \(the CSV copy of the data set and PostgreSQL's rebuild\), 62\.0 GB free$/);
  });

  it('counts each file system on its own', () => {
    // PostgreSQL's tables on their own disk: the data's disk needs only the copies and DuckDB's homes.
    const probe: FreeSpace = (dir) => (dir === '/pg' ? { device: 2, free: 10 * GB } : { device: 1, free: 30 * GB });
    const short = diskShortfalls(peakNeeds(10.4, ALL, dirs), probe);
    expect(short).toHaveLength(1);
    expect(short[0]).toMatch(/^\/pg: about 62\.4 GB needed at once \(PostgreSQL's rebuild\), 10\.0 GB free$/);
  });

  it('leaves out a remote PostgreSQL, and steps not chosen', () => {
    const steps = peakNeeds(10.4, new Set<Step>(['incremental']), { dataDir: '/data', homesDir: '/tmp' });
    expect(steps).toHaveLength(1);
    expect(steps[0].reduce((s, n) => s + n.bytes, 0)).toBeCloseTo(10.4 * (0.62 + 1.2) * GB, -6);
    expect(diskShortfalls(peakNeeds(10.4, ALL, { dataDir: '/data', homesDir: '/tmp' }), oneDisk(30 * GB))).toEqual([]);
  });
});
