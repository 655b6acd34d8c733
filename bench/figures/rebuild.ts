// Figure 2, full rebuild: bronze → silver → gold → KPIs on DuckDB and PostgreSQL from the same bronze input, and
// the floor (one hand-written query over the Parquet files). Answers are compared before any time is reported.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { floorSql, FLOOR_KPIS } from '../floor.js';
import { storepulse } from '../lib/cli.js';
import { measure, median, TimeoutError, type Measured } from '../lib/measure.js';
import { scratchDatabase } from '../lib/postgres.js';
import { preparedHomes } from '../lib/prepared-homes.js';
import type { DataSet } from './data.js';

type Kpis = Record<string, number | null>;
type BreakdownRow = Record<string, string | number | null>;
/** The breakdowns the dashboard asks for, timed after each rebuild (kpis.md: they add up to the total). */
export const BREAKDOWNS = ['date', 'channel', 'country', 'category'] as const;
const QUERY_RUNNER = fileURLToPath(new URL('../lib/duckdb-query.mjs', import.meta.url));

export interface EngineRebuild {
  engine: string;
  ms: number | null;
  runs_ms: number[];
  run_ms: number | null;
  kpis_ms: number | null;
  max_rss_mib: number | null;
  kpis: Kpis | null;
  /** Median ms of `kpis --by X --json` per breakdown, and the rows of the last run (compared across engines). */
  breakdowns_ms?: Record<string, number>;
  breakdowns?: Record<string, BreakdownRow[]>;
  note?: string;
  /** True when a step failed (not a timeout): the benchmark's exit code reports it. */
  failed?: boolean;
}

/** The row of an engine that gave no time: it timed out, or (failed) a step broke. */
export function unfinished(engine: string, note: string, failed = false): EngineRebuild {
  return { engine, ms: null, runs_ms: [], run_ms: null, kpis_ms: null, max_rss_mib: null, kpis: null, note, ...(failed ? { failed } : {}) };
}

interface Rebuilt { run: Measured; kpis: Measured; breakdowns: Record<string, Measured> }

/**
 * In a home whose bronze holds the data set (ingested, not timed): times `run` and `kpis --json`, then each
 * breakdown (not part of the rebuild's time).
 */
async function rebuildOnce(warehouse: string | undefined, home: string, timeoutMs: number): Promise<Rebuilt> {
  const run = await storepulse(['run', '--quiet', '--json'], home, warehouse, timeoutMs);
  const kpis = await storepulse(['kpis', '--json'], home, warehouse, timeoutMs);
  const breakdowns: Record<string, Measured> = {};
  for (const by of BREAKDOWNS) breakdowns[by] = await storepulse(['kpis', '--by', by, '--json'], home, warehouse, timeoutMs);
  return { run, kpis, breakdowns };
}

export interface RebuildHooks {
  /** Given the last run's rebuilt home, which the caller then owns (and removes). */
  keepHome?: (home: string, warehouse?: string) => void;
  /** Called once the last run's input is ingested: the data set's files are not read again. */
  ingested?: () => void;
}

export async function engineRebuild(data: DataSet, engine: 'duckdb' | 'postgres', runs: number, timeoutMs: number, hooks: RebuildHooks = {}): Promise<EngineRebuild> {
  const { keepHome } = hooks;
  const times: { run: number; kpis: number; rss: number | null }[] = [];
  const byMs: Record<string, number[]> = {};
  let breakdowns: Record<string, BreakdownRow[]> = {};
  let kpis: Kpis | null = null;
  const ingested = preparedHomes(`sp-bench-rebuild-${engine}-`, async (home, warehouse) => {
    await storepulse(['ingest', '--quiet', data.csv], home, warehouse, timeoutMs);
  });
  try {
    for (let i = 0; i < runs; i++) {
      let home: string | undefined;
      let kept = false;
      const db = engine === 'postgres' ? await scratchDatabase('sp_bench') : undefined;
      try {
        home = await ingested.home(db?.url);
        if (i === runs - 1) hooks.ingested?.();
        const r = await rebuildOnce(db?.url, home, timeoutMs);
        kpis = (JSON.parse(r.kpis.stdout) as { kpis: Kpis }).kpis;
        const rss = [r.run.max_rss_mib, r.kpis.max_rss_mib].filter((x): x is number => x !== null);
        times.push({ run: r.run.ms, kpis: r.kpis.ms, rss: rss.length ? Math.max(...rss) : null });
        breakdowns = {};
        for (const [by, m] of Object.entries(r.breakdowns)) {
          (byMs[by] ??= []).push(m.ms);
          breakdowns[by] = (JSON.parse(m.stdout) as { rows: BreakdownRow[] }).rows;
        }
        if (keepHome && i === runs - 1) {
          keepHome(home, db?.url);
          kept = true;
        }
      } catch (e) {
        // A step that timed out or failed is reported as not finished, with its reason, so one engine's failure
        // does not throw away the figures of the others (the run's exit code says a step failed).
        if (e instanceof TimeoutError) return unfinished(engine, e.message);
        return unfinished(engine, `failed: ${(e as Error).message.slice(0, 1000)}`, true);
      } finally {
        if (!kept) {
          await db?.drop();
          if (home) rmSync(home, { recursive: true, force: true });
        }
      }
    }
  } finally {
    ingested.dispose();
  }
  const total = times.map((t) => t.run + t.kpis);
  const rss = times.map((t) => t.rss).filter((x): x is number => x !== null);
  return {
    engine, ms: median(total), runs_ms: total, run_ms: median(times.map((t) => t.run)), kpis_ms: median(times.map((t) => t.kpis)),
    max_rss_mib: rss.length ? Math.max(...rss) : null, kpis,
    breakdowns_ms: Object.fromEntries(Object.entries(byMs).map(([by, ms]) => [by, median(ms)])), breakdowns,
  };
}

export const FLOOR_ENGINE = 'floor (one SQL query over Parquet)';

export async function floorRebuild(data: DataSet, runs: number): Promise<EngineRebuild> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-floor-'));
  const sqlFile = join(dir, 'floor.sql');
  writeFileSync(sqlFile, floorSql(data.parquet));
  const ms: number[] = [];
  let rss: number | null = null;
  let kpis: Kpis | null = null;
  for (let i = 0; i < runs; i++) {
    const m = await measure(process.execPath, [QUERY_RUNNER, sqlFile]);
    ms.push(m.ms);
    rss = Math.max(rss ?? 0, m.max_rss_mib ?? 0);
    const row = JSON.parse(m.stdout) as Record<string, unknown>;
    kpis = Object.fromEntries(FLOOR_KPIS.map((k) => [k, Number(row[k])]));
  }
  rmSync(dir, { recursive: true, force: true });
  return { engine: FLOOR_ENGINE, ms: median(ms), runs_ms: ms, run_ms: null, kpis_ms: null, max_rss_mib: rss, kpis };
}

/** Where two engines' breakdowns differ: a group one has and the other lacks, or a KPI of a group. */
export function breakdownMismatches(a: Record<string, BreakdownRow[]>, b: Record<string, BreakdownRow[]>): string[] {
  const out: string[] = [];
  for (const by of Object.keys(a)) {
    const index = (rows: BreakdownRow[] = []) => new Map(rows.map((row) => [String(row[by]), row]));
    const [x, y] = [index(a[by]), index(b[by])];
    for (const group of new Set([...x.keys(), ...y.keys()])) {
      const [rx, ry] = [x.get(group), y.get(group)];
      if (!rx || !ry) { out.push(`by ${by}: group ${group} only on one side`); continue; }
      const keys = Object.keys(rx).filter((k) => k !== by);
      out.push(...kpiMismatches(rx as Kpis, ry as Kpis, keys).map((m) => `by ${by} ${group}: ${m}`));
    }
  }
  return out;
}

/** Every KPI the two answers share must be equal (money to the cent, ratios to 1e-9). */
export function kpiMismatches(a: Kpis, b: Kpis, keys: readonly string[]): string[] {
  return keys.filter((k) => {
    const x = a[k];
    const y = b[k];
    if (x === null || y === null || x === undefined || y === undefined) return x !== y;
    return Math.abs(x - y) > (Number.isInteger(x) && Number.isInteger(y) ? 0 : 0.005);
  }).map((k) => `${k}: ${a[k]} vs ${b[k]}`);
}

const ENGINE_NAMES: Record<string, string> = { duckdb: 'DuckDB', postgres: 'PostgreSQL' };
const nameOf = (engine: string) => ENGINE_NAMES[engine] ?? engine.replace(/ \(.*$/, '');

/**
 * Compares every engine's answer with DuckDB's and says, by name, which engines were compared and which had
 * nothing to compare (they did not finish). An engine whose answer differs loses its time and is marked failed:
 * a fast wrong answer is not a result.
 */
export function compareAnswers(size: string, duck: EngineRebuild, others: readonly EngineRebuild[], floorKpis: readonly string[]): string[] {
  if (!duck.kpis) return [`${size}: DuckDB gave no answer (${duck.note ?? 'not run'}), so nothing was compared.`];
  const agreed: string[] = [];
  const notes: string[] = [];
  for (const r of others) {
    if (!r.kpis) { notes.push(`${size}: ${nameOf(r.engine)} gave no answer to compare (${r.note ?? 'not run'}).`); continue; }
    const keys = r.engine === 'postgres' ? Object.keys(duck.kpis) : floorKpis;
    const bad = kpiMismatches(duck.kpis, r.kpis, keys);
    const withRows = Boolean(r.breakdowns && duck.breakdowns);
    if (r.breakdowns && duck.breakdowns) bad.push(...breakdownMismatches(duck.breakdowns, r.breakdowns));
    if (bad.length) {
      // Its time is withdrawn and the run ends as failed, but the other figures are still reported.
      Object.assign(r, { ms: null, failed: true, note: `disagrees with DuckDB: ${bad.slice(0, 20).join('; ')}` });
      notes.push(`${size}: ${nameOf(r.engine)} ${r.note}; its time is not reported.`);
      continue;
    }
    agreed.push(`${nameOf(r.engine)} (${keys.length} KPIs${withRows ? ` and every row of the breakdowns by ${Object.keys(r.breakdowns!).join(', ')}` : ''})`);
  }
  if (agreed.length) notes.unshift(`${size}: DuckDB's KPIs agreed with ${agreed.join(' and ')}.`);
  return notes;
}
