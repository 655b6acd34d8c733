// A benchmark run's results file: a second run of the same day must not write over the first one's figures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReport, type Report } from '../../bench/lib/report.js';

const machine = { host: 'box', cpu: 'cpu', cores: 2, memory_gib: 4, os: 'linux', node: 'v20', duckdb: '1.5' };
const report = (at: string, orders: number): Report => ({ command: 'npm run bench', mode: 'full', machine, at, figures: { ingest: [{ size: '1m', orders }] }, notes: [] });

describe('benchmark results file', () => {
  const roots: string[] = [];
  afterEach(() => { for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true }); });
  const root = () => { const r = mkdtempSync(join(tmpdir(), 'sp-results-')); roots.push(r); return r; };
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Report;

  it('is <date>-<machine>.json, rewritten by the same run after each figure', () => {
    const dir = root();
    const first = writeReport(report('2026-12-06T09:15:00.000Z', 1), dir);
    expect(first).toBe(join(dir, 'bench', 'results', '2026-12-06-box.json'));
    expect(writeReport(report('2026-12-06T09:15:00.000Z', 2), dir)).toBe(first);
    expect(read(first).figures).toEqual({ ingest: [{ size: '1m', orders: 2 }] });
  });

  it('adds the start time for a later run of the same day and leaves the earlier run as it was', () => {
    const dir = root();
    const first = writeReport(report('2026-12-06T09:15:00.000Z', 1), dir);
    const second = writeReport(report('2026-12-06T18:58:00.000Z', 7), dir);
    expect(second).toBe(join(dir, 'bench', 'results', '2026-12-06-box-1858.json'));
    expect(read(first).figures).toEqual({ ingest: [{ size: '1m', orders: 1 }] });
    expect(read(second).figures).toEqual({ ingest: [{ size: '1m', orders: 7 }] });
    expect(readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8')).toContain('bench/results/2026-12-06-box-1858.json');
  });

  it('keeps a failed step\'s message, line breaks and all, inside its table row and its note', () => {
    const dir = root();
    const failure = 'failed: exited with 1: No space left on device\n  | fix the cause and run again.';
    writeReport({ ...report('2026-12-06T09:15:00.000Z', 1), figures: { rebuild: [{ size: '10m', engine: 'postgres', ms: null, note: failure }] },
      notes: [`10m: PostgreSQL gave no answer to compare (${failure}).`] }, dir);
    const md = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    expect(md).toContain('| 10m | postgres | — | — | — | — | — | failed: exited with 1: No space left on device \\| fix the cause and run again. |\n');
    expect(md).toContain('- 10m: PostgreSQL gave no answer to compare (failed: exited with 1: No space left on device | fix the cause and run again.).\n');
  });
});
