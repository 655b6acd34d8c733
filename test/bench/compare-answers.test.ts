// The benchmark compares every engine's answer with DuckDB's before it reports a time; its notes must name the
// engines that were compared and the ones that had nothing to compare.
import { describe, expect, it } from 'vitest';
import { compareAnswers, FLOOR_ENGINE, type EngineRebuild } from '../../bench/figures/rebuild.js';

const row = (engine: string, kpis: Record<string, number> | null, extra: Partial<EngineRebuild> = {}): EngineRebuild => ({
  engine, ms: kpis ? 1000 : null, runs_ms: [], run_ms: null, kpis_ms: null, max_rss_mib: null, kpis, ...extra,
});
const FLOOR = FLOOR_ENGINE;

describe('compareAnswers', () => {
  it('names the engines that agreed, with what was compared', () => {
    const duck = row('duckdb', { orders: 3, aov: 2.5 }, { breakdowns: { channel: [{ channel: 'web', orders: 3 }] } });
    const pg = row('postgres', { orders: 3, aov: 2.5 }, { breakdowns: { channel: [{ channel: 'web', orders: 3 }] } });
    const floor = row(FLOOR, { orders: 3 });
    expect(compareAnswers('1m', duck, [pg, floor], ['orders'])).toEqual([
      "1m: DuckDB's KPIs agreed with PostgreSQL (2 KPIs and every row of the breakdowns by channel) and floor (1 KPIs).",
    ]);
  });

  it('says which engine gave no answer instead of claiming it agreed', () => {
    const notes = compareAnswers('10m', row('duckdb', { orders: 3 }), [row('postgres', null, { note: 'did not finish within 50 min' }), row(FLOOR, { orders: 3 })], ['orders']);
    expect(notes).toEqual([
      "10m: DuckDB's KPIs agreed with floor (1 KPIs).",
      '10m: PostgreSQL gave no answer to compare (did not finish within 50 min).',
    ]);
  });

  it('withdraws the time of an engine that disagrees and marks it failed', () => {
    const pg = row('postgres', { orders: 4 });
    const notes = compareAnswers('1m', row('duckdb', { orders: 3 }), [pg], []);
    expect(pg).toMatchObject({ ms: null, failed: true });
    expect(notes).toEqual(['1m: PostgreSQL disagrees with DuckDB: orders: 3 vs 4; its time is not reported.']);
  });
});
