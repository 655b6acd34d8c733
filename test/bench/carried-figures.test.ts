// A run that measured only some figures (--figures) still writes a BENCHMARKS.md with every figure: the others come
// from the latest earlier run that measured them, and the page says which run that was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { carriedFigures, carriedSizes } from '../../bench/lib/carried-figures.js';
import { writeReport, type Report } from '../../bench/lib/report.js';

const machine = { host: 'box', cpu: 'cpu', cores: 2, memory_gib: 4, os: 'linux', node: 'v20', duckdb: '1.5' };
const ingestRow = (ms: number) => ({ size: '1m', format: 'csv', order_lines: 1000, ms, lines_per_s: 1, max_rss_mib: 1 });
const rebuildRow = (ms: number, size = '10m') => ({ size, engine: 'duckdb', ms, run_ms: ms, kpis_ms: 1, max_rss_mib: 1, runs: 1, note: null });
const ratioRow = (size: string, ratio: number) => ({ size, postgres_over_duckdb: ratio, duckdb_over_floor: 1 });
const growthRow = (exponent: number) => ({ from: '1m', to: '10m', time_exponent: exponent, memory_exponent: 0.25 });

describe('figures carried over from earlier runs', () => {
  const roots: string[] = [];
  afterEach(() => { for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true }); });
  const root = () => { const r = mkdtempSync(join(tmpdir(), 'sp-carried-')); roots.push(r); return r; };
  const run = (at: string, command: string, figures: Report['figures'], measured?: string[], sizes?: string[]): Report =>
    ({ command, mode: 'full', machine, at, figures, measured, sizes, notes: [] });
  const section = (md: string, from: string, to: string) => md.slice(md.indexOf(from), md.indexOf(to));

  it('fills a figure the run did not measure from the latest earlier run that did, and names that run', () => {
    const dir = root();
    writeReport(run('2026-12-05T08:00:00.000Z', 'npm run bench', { ingest: [ingestRow(111)] }), dir);
    writeReport(run('2026-12-06T08:00:00.000Z', 'npm run bench', { ingest: [ingestRow(222)] }), dir);
    writeReport(run('2026-12-07T08:00:00.000Z', 'npm run bench -- --figures rebuild', { rebuild: [rebuildRow(333)] }, ['rebuild']), dir);
    const md = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    const ingest = md.slice(md.indexOf('## 1.'), md.indexOf('## 2.'));
    expect(ingest).toContain('| 222 |');
    expect(ingest).not.toContain('| 111 |');
    expect(ingest).toContain('`npm run bench` of 2026-12-06');
    expect(ingest).toContain('bench/results/2026-12-06-box.json');
    // The run's own figure is its own, with no such line.
    const rebuild = md.slice(md.indexOf('## 2.'), md.indexOf('## 3.'));
    expect(rebuild).toContain('| 333 |');
    expect(rebuild).not.toContain('did not measure');
    expect(md).toContain('except those whose section names an earlier run');
  });

  it('never replaces a figure the run measured, even when it came out empty', () => {
    const dir = root();
    writeReport(run('2026-12-06T08:00:00.000Z', 'npm run bench', { ingest: [ingestRow(222)] }), dir);
    writeReport(run('2026-12-07T08:00:00.000Z', 'npm run bench', { ingest: [] }, ['ingest', 'rebuild']), dir);
    const md = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    expect(md.slice(md.indexOf('## 1.'), md.indexOf('## 2.'))).toContain('_not measured in this run_');
    expect(md).not.toContain('| 222 |');
  });

  it('skips an earlier run that was not asked for the figure, and one that has no rows for it', () => {
    const dir = root();
    writeReport(run('2026-12-04T08:00:00.000Z', 'npm run bench', { ingest: [ingestRow(111)] }), dir);
    // Results written before runs could choose figures measured all of them, but this one has no ingest rows.
    writeReport(run('2026-12-05T08:00:00.000Z', 'npm run bench', { ingest: [] }), dir);
    writeReport(run('2026-12-06T08:00:00.000Z', 'npm run bench -- --figures rebuild', { ingest: [ingestRow(999)] }, ['rebuild']), dir);
    const carried = carriedFigures(dir, { at: '2026-12-07T08:00:00.000Z', measured: ['rebuild'] });
    expect(carried.get('ingest')?.file).toBe('bench/results/2026-12-04-box.json');
    expect(carried.get('ingest')?.figures.ingest).toEqual([ingestRow(111)]);
    expect(carried.has('rebuild')).toBe(false);
  });

  it('carries nothing from a later run, nor when the run measured everything', () => {
    const dir = root();
    writeReport(run('2026-12-08T08:00:00.000Z', 'npm run bench', { ingest: [ingestRow(111)] }), dir);
    expect(carriedFigures(dir, { at: '2026-12-07T08:00:00.000Z', measured: ['rebuild'] }).size).toBe(0);
    expect(carriedFigures(dir, { at: '2026-12-09T08:00:00.000Z', measured: ['ingest', 'rebuild', 'incremental', 'api', 'freshness'] }).size).toBe(0);
  });

  it('fills the sizes a measured figure was not asked for from the latest earlier run with rows of that size', () => {
    const dir = root();
    writeReport(run('2026-12-04T08:00:00.000Z', 'npm run bench -- --sizes 1m,10m', {
      rebuild: [rebuildRow(11, '1m'), rebuildRow(111)], rebuild_ratios: [ratioRow('1m', 9.1), ratioRow('10m', 8.8)], growth: [growthRow(0.95)],
    }, ['rebuild'], ['1m', '10m']), dir);
    writeReport(run('2026-12-05T08:00:00.000Z', 'npm run bench -- --sizes 10m', {
      rebuild: [rebuildRow(222)], rebuild_ratios: [ratioRow('10m', 10.8)],
    }, ['rebuild'], ['10m']), dir);
    // The load test alone writes results of another shape beside them (bench/freshness.ts --out).
    writeFileSync(join(dir, 'bench', 'results', 'freshness.json'), JSON.stringify({ benchmark: 'freshness', at: '2026-12-05T09:00:00.000Z', results: [] }));
    writeReport(run('2026-12-06T08:00:00.000Z', 'npm run bench -- --figures rebuild', {
      rebuild: [rebuildRow(33, '1m')], rebuild_ratios: [ratioRow('1m', 7.7)],
    }, ['rebuild'], ['1m']), dir);
    const md = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    const rebuild = section(md, '## 2.', '### KPI');
    // The run's own 1m, the 10m of the latest run that had it, and neither older one.
    expect(rebuild).toContain('| 33 |');
    expect(rebuild).toContain('| 222 |');
    expect(rebuild).toContain('| 10m | 10.8 |');
    expect(rebuild).not.toMatch(/\| (11|111) \||9\.1|8\.8/);
    expect(rebuild).toContain('_The 10m rows are from `npm run bench -- --sizes 10m` of 2026-12-05');
    expect(rebuild).toContain('bench/results/2026-12-05-box.json');
    // The growth needs two sizes: the latest run that measured both, named.
    const growth = section(md, '## 6.', '## Notes');
    expect(growth).toContain('| 1m | 10m | 0.95 |');
    expect(growth).toContain('_The growth 1m → 10m is from `npm run bench -- --sizes 1m,10m` of 2026-12-04');
    expect(md).toContain('except those whose section names an earlier run');
  });

  it('never carries a size the run was asked for, and nothing by size for a report that does not say its sizes', () => {
    const dir = root();
    writeReport(run('2026-12-05T08:00:00.000Z', 'npm run bench -- --sizes 1m,10m', {
      rebuild: [rebuildRow(11, '1m'), rebuildRow(111)], growth: [growthRow(0.95)],
    }, ['rebuild'], ['1m', '10m']), dir);
    // Asked for 10m too, whose step failed and left no row: it shows missing, not the older 10m.
    const carried = carriedSizes(dir, { at: '2026-12-06T08:00:00.000Z', measured: ['rebuild'], sizes: ['1m', '10m'] }, new Map());
    expect(carried.size).toBe(0);
    // Without sizes, a run's figure is its own rows alone, as before runs recorded their sizes.
    writeReport(run('2026-12-06T08:00:00.000Z', 'npm run bench', { rebuild: [rebuildRow(33, '1m')] }, ['rebuild']), dir);
    const md = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    expect(section(md, '## 2.', '### KPI')).not.toContain('| 111 |');
    expect(md).not.toContain('rows are from');
  });

  it('fills a figure carried whole at the sizes its run did not measure, from runs before it', () => {
    const dir = root();
    writeReport(run('2026-12-04T08:00:00.000Z', 'npm run bench -- --sizes 1m,10m', {
      rebuild: [rebuildRow(11, '1m'), rebuildRow(111)], growth: [growthRow(0.95)],
    }, ['rebuild'], ['1m', '10m']), dir);
    writeReport(run('2026-12-05T08:00:00.000Z', 'npm run bench -- --figures rebuild', { rebuild: [rebuildRow(22, '1m')] }, ['rebuild'], ['1m']), dir);
    writeReport(run('2026-12-06T08:00:00.000Z', 'npm run bench -- --figures ingest', { ingest: [ingestRow(333)] }, ['ingest'], ['1m']), dir);
    const md = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    const rebuild = section(md, '## 2.', '### KPI');
    expect(rebuild).toContain('`npm run bench -- --figures rebuild` of 2026-12-05');
    expect(rebuild).toContain('| 22 |');
    expect(rebuild).toContain('| 111 |');
    expect(rebuild).not.toContain('| 11 |');
    expect(rebuild).toContain('_The 10m rows are from `npm run bench -- --sizes 1m,10m` of 2026-12-04');
    expect(section(md, '## 6.', '## Notes')).toContain('| 1m | 10m | 0.95 |');
  });
});
