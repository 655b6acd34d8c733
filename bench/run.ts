// `npm run bench [-- --quick] [-- --sizes 1m,10m]`: every published figure, measured side by side in one run.
// Quick mode (a few minutes): 100k order lines, short loads. Full mode: 1M order lines, three runs of each
// DuckDB figure (under half an hour on 2 cores). `--sizes 1m,10m` adds the 10M-line figures (one run each at
// 10M; well over an hour on 2 cores) and the growth exponent between the two. PostgreSQL steps are capped by
// --pg-timeout minutes (DuckDB's by twice that) and reported as not finished; --freshness-engines
// duckdb,postgres adds PostgreSQL to the load test; --runs N sets the runs of every size.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiLatency } from './figures/api-latency.js';
import { makeDataSet, releaseCopies, type DataSet } from './figures/data.js';
import { incrementalDay } from './figures/incremental.js';
import { ingestThroughput } from './figures/ingest.js';
import { compareAnswers, engineRebuild, FLOOR_ENGINE, floorRebuild, unfinished, type EngineRebuild } from './figures/rebuild.js';
import { freshnessBenchmark } from './freshness.js';
import { FLOOR_KPIS } from './floor.js';
import { describeMachine } from './lib/machine.js';
import { copiesRead, nameCopies, stepsAfter, type Step } from './lib/data-copies.js';
import { diskShortfalls, freeSpace, peakNeeds } from './lib/disk-space.js';
import { postgresDataDirectory, postgresReachable } from './lib/postgres.js';
import { FIGURES, type Figure } from './lib/carried-figures.js';
import { writeReport } from './lib/report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };

const quick = flag('quick');
// Orders per size (about 2.5 lines each), and the runs each DuckDB figure gets (the median is reported).
const SIZES: Record<string, { orders: number; days: number; runs: number }> = {
  '100k': { orders: 40_000, days: 30, runs: 1 }, '1m': { orders: 400_000, days: 90, runs: 3 }, '10m': { orders: 4_000_000, days: 180, runs: 1 },
};
const sizes = option('sizes', quick ? '100k' : '1m').split(',');
// The generator gives about 2.58 lines per order (1,032,939 for 400,000 orders): enough to size the disk's needs.
const orderLinesOf = (orders: number) => orders * 2.6;
const runsOption = option('runs', '');
const pgTimeoutMs = Number(option('pg-timeout', quick ? '5' : '15')) * 60_000;
// DuckDB's steps get twice PostgreSQL's limit: a lower --pg-timeout must not cut them short (at 10M the incremental
// day's untimed ingest of the earlier days alone takes about 10 minutes, and under the PostgreSQL limit of 8 it
// failed).
const duckdbTimeoutMs = pgTimeoutMs * 2;
// PostgreSQL takes many times longer than DuckDB; one run keeps the full benchmark within half an hour.
const pgRuns = Number(option('pg-runs', '1'));
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
// A long figure can be measured alone (the 10M PostgreSQL rebuild takes most of an hour): the others are skipped.
const chosen = new Set(option('figures', FIGURES.join(',')).split(','));
const unknownFigures = [...chosen].filter((f) => !(FIGURES as readonly string[]).includes(f));
const measures = (figure: Figure) => chosen.has(figure);

const USAGE = `usage: npm run bench [-- --quick] [-- --sizes 1m,10m] [-- --runs N] [-- --pg-timeout MINUTES] [-- --pg-runs N]
                 [-- --freshness-engines duckdb,postgres] [-- --figures ${FIGURES.join(',')}]
                 [-- --keep-data] [-- --ignore-disk]
Measures every published figure side by side (ingest, rebuild against PostgreSQL and the floor, incremental day,
freshness, API latency, growth), writes bench/results/<date>-<machine>.json and updates BENCHMARKS.md.
--figures measures only those named (default: all; growth comes with the rebuild at two sizes, and the API
latency is measured on the rebuilt warehouse, so it needs the rebuild); BENCHMARKS.md takes the others from the
latest earlier results that have them, and says so beside each.
The data set's copies are removed as soon as no figure left reads them (--keep-data keeps them). Before it starts,
the run refuses when the disk looks short for what it will write (--ignore-disk runs anyway).
`;

/** A run refused before it starts (a bad option, too little disk): its message is all the user needs. */
class Refusal extends Error {}

async function main(): Promise<void> {
  if (flag('help')) {
    process.stdout.write(USAGE);
    return;
  }
  if (unknownFigures.length) throw new Refusal(`unknown figure ${unknownFigures.join(', ')}; use ${FIGURES.join(', ')}`);
  if (measures('api') && !measures('rebuild')) throw new Refusal('--figures api needs rebuild too: the API is measured on the rebuilt warehouse');
  const pgVersion = await postgresReachable();
  const machine = describeMachine(pgVersion ? { postgres: pgVersion } : {});
  const notes: string[] = [];
  const failures: string[] = [];
  if (!pgVersion) notes.push('PostgreSQL was not reachable: its figures are missing.');
  // The steps of each size that read the data set, in running order: what they read decides which copies of it are
  // made, and when each is removed.
  const steps = new Set<Step>([
    ...(measures('ingest') ? ['ingest' as const] : []),
    ...(measures('incremental') ? ['incremental' as const] : []),
    ...(measures('rebuild') ? ['duckdb' as const, 'floor' as const, ...(pgVersion ? ['postgres' as const] : [])] : []),
  ]);
  const dataRoot = join(ROOT, 'bench', 'out');
  mkdirSync(dataRoot, { recursive: true });
  const unknownSizes = sizes.filter((size) => !SIZES[size]);
  if (unknownSizes.length) throw new Refusal(`unknown size ${unknownSizes.join(', ')}; use ${Object.keys(SIZES).join(', ')}`);
  const dirs = { dataDir: dataRoot, homesDir: tmpdir(), postgresDir: pgVersion ? await postgresDataDirectory() : undefined };
  const short = diskShortfalls(sizes.flatMap((size) => peakNeeds(orderLinesOf(SIZES[size].orders) / 1e6, steps, dirs)), freeSpace);
  if (short.length && !flag('ignore-disk')) {
    throw new Refusal(`the disk looks short for this run:\n  ${short.join('\n  ')}\nfree some space, measure fewer figures or sizes (--figures, --sizes), or pass --ignore-disk to run anyway`);
  }
  if (short.length) log(`the disk looks short (--ignore-disk): ${short.join('; ')}`);
  const release = (data: DataSet, done: Step | 'nothing') => {
    if (flag('keep-data')) return;
    const left = done === 'nothing' ? [...steps] : stepsAfter(steps, done);
    const removed = releaseCopies(data, copiesRead(left));
    if (removed.length) log(`${data.label}: removed ${nameCopies(removed)} of the data set, which no figure left reads`);
  };
  const figures: Record<string, Record<string, unknown>[]> = { ingest: [], rebuild: [], rebuild_ratios: [], breakdowns: [], incremental: [], freshness: [], api: [], growth: [] };
  const rebuilt: { size: string; lines: number; duckdb: EngineRebuild }[] = [];
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const at = new Date().toISOString();
  // Written after every figure, so a long run that is stopped still leaves what it measured.
  const save = () => writeReport({ command, mode: quick ? 'quick' : 'full', machine, at, figures, measured: FIGURES.filter(measures), sizes, notes }, ROOT);
  // A figure whose step fails is left out, with its reason in the notes, and the run goes on to the others.
  const attempt = async <T>(label: string, step: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await step();
    } catch (e) {
      const why = `${label} failed: ${(e as Error).message.slice(0, 1000)}`;
      log(why);
      failures.push(why);
      notes.push(`${why} (its figures are missing).`);
      return [];
    }
  };

  /**
   * The full rebuild on each engine and the floor, compared. The API latency is measured on DuckDB's rebuilt home
   * before PostgreSQL runs, and the home removed: at 10M it holds 6 GB, and PostgreSQL's rebuild ran out of disk
   * beside it (finding 54).
   */
  const rebuildFigure = async (size: string, data: DataSet, runs: number): Promise<void> => {
    log(`${size}: full rebuild on DuckDB`);
    let servedHome: { home: string; warehouse?: string } | undefined;
    const duck = await engineRebuild(data, 'duckdb', runs, duckdbTimeoutMs, { keepHome: (home, warehouse) => { servedHome = { home, warehouse }; } });
    if (servedHome) {
      const { home, warehouse } = servedHome;
      if (measures('api')) {
        log(`${size}: API latency`);
        const api = await attempt(`${size} API latency`, () => apiLatency(home, warehouse, [100, 1000], quick ? 5 : 15));
        figures.api.push(...api.map((a) => ({ size, ...a })));
      }
      rmSync(home, { recursive: true, force: true });
    }
    release(data, 'duckdb');
    // The floor before PostgreSQL, so that its Parquet files are gone while PostgreSQL fills the disk.
    log(`${size}: floor`);
    const floor = (await attempt(`${size} floor`, async () => [await floorRebuild(data, Math.max(3, runs))]))[0]
      ?? unfinished(FLOOR_ENGINE, 'its step failed (see the notes)');
    release(data, 'floor');
    const rows: EngineRebuild[] = [duck];
    if (pgVersion) {
      log(`${size}: full rebuild on PostgreSQL`);
      rows.push(await engineRebuild(data, 'postgres', pgRuns, pgTimeoutMs, { ingested: () => release(data, 'postgres') }));
    }
    rows.push(floor);
    // A fast wrong answer is not a result: compare before reporting.
    notes.push(...compareAnswers(size, duck, rows.slice(1), FLOOR_KPIS));
    failures.push(...rows.filter((r) => r.failed).map((r) => `${size} ${r.engine}: ${r.note}`));
    figures.rebuild.push(...rows.map(({ breakdowns: _rows, ...r }) => ({ size, ...r, runs: r.runs_ms.length })));
    figures.breakdowns.push(...rows.filter((r) => r.breakdowns_ms).map((r) => ({ size, engine: r.engine, ...r.breakdowns_ms })));
    const pg = rows.find((r) => r.engine === 'postgres');
    figures.rebuild_ratios.push({
      size,
      postgres_over_duckdb: pg?.ms && duck.ms ? Math.round((pg.ms / duck.ms) * 10) / 10 : null,
      duckdb_over_floor: duck.ms && floor.ms ? Math.round((duck.ms / floor.ms) * 10) / 10 : null,
    });
    rebuilt.push({ size, lines: data.orderLines, duckdb: duck });
  };

  // Freshness alone needs no data set.
  const needsData = measures('ingest') || measures('rebuild') || measures('incremental');
  for (const size of needsData ? sizes : []) {
    const spec = SIZES[size];
    const runs = runsOption ? Number(runsOption) : spec.runs;
    const data: DataSet = await makeDataSet(dataRoot, size, spec.orders, spec.days, copiesRead(steps), log);
    release(data, 'nothing');
    log(`${size}: ${data.orderLines.toLocaleString('en-US')} order lines, ${data.records.toLocaleString('en-US')} records`);

    if (measures('ingest')) {
      log(`${size}: ingest throughput`);
      figures.ingest.push(...await attempt(`${size} ingest`, () => ingestThroughput(data, runs)));
      release(data, 'ingest');
    }

    // Before the rebuild, so that the days apart are gone while PostgreSQL fills the disk.
    if (measures('incremental')) {
      log(`${size}: incremental day`);
      figures.incremental.push(...await attempt(`${size} incremental day on DuckDB`, async () => [await incrementalDay(data, 'duckdb', runs, duckdbTimeoutMs)]));
      if (pgVersion && (size === '100k' || flag('pg-incremental'))) {
        figures.incremental.push(...await attempt(`${size} incremental day on PostgreSQL`, async () => [await incrementalDay(data, 'postgres', pgRuns, pgTimeoutMs)]));
      }
      release(data, 'incremental');
    }

    if (measures('rebuild')) await rebuildFigure(size, data, runs);
    save();
    // Whatever is left (a step that failed before its release, or PostgreSQL not reached).
    release(data, 'postgres');
  }

  if (measures('freshness')) {
    log('freshness under load');
    // PostgreSQL only on request: its serving path does not keep up yet (see BENCHMARKS.md) and a load on it
    // can run for many minutes.
    const freshnessEngines = option('freshness-engines', 'duckdb').split(',').filter((e) => e !== 'postgres' || pgVersion);
    figures.freshness.push(...await attempt('freshness', () => freshnessBenchmark({
      rates: (quick ? [1000, 5000] : [1000, 5000, 20_000, 50_000]), seconds: quick ? 5 : 15, engines: freshnessEngines, tickMs: 100,
    })));
    save();
  }

  for (let i = 1; i < rebuilt.length; i++) {
    const a = rebuilt[i - 1];
    const b = rebuilt[i];
    const exp = (x: number | null, y: number | null) => (x && y ? Math.round((Math.log(y / x) / Math.log(b.lines / a.lines)) * 100) / 100 : null);
    figures.growth.push({ from: a.size, to: b.size, time_exponent: exp(a.duckdb.ms, b.duckdb.ms), memory_exponent: exp(a.duckdb.max_rss_mib, b.duckdb.max_rss_mib) });
  }
  if (rebuilt.length < 2 && measures('rebuild')) notes.push('Growth needs two sizes: run with --sizes 1m,10m.');

  log(`written ${save()} and BENCHMARKS.md`);
  if (failures.length) {
    log(`${failures.length} step(s) failed; their figures are missing:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

await main().catch((e: unknown) => {
  if (!(e instanceof Refusal)) throw e;
  process.stderr.write(`[bench] refused: ${e.message}\n`);
  process.exitCode = 2;
});
