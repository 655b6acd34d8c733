// Writes the results JSON and BENCHMARKS.md (one table per figure, the machine and the command beside them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Machine } from './machine.js';
import { WARMUP_SECONDS } from '../figures/api-latency.js';
import { carriedFigures, carriedNote, carriedSizeNote, carriedSizes, FIGURES, type Figure } from './carried-figures.js';

export interface Report {
  command: string;
  mode: string;
  machine: Machine;
  at: string;
  figures: Record<string, unknown>;
  /** The figures this run was asked for (`--figures`); the others in BENCHMARKS.md come from earlier runs. */
  measured?: string[];
  /** The sizes this run was asked for (`--sizes`); a measured figure's other sizes come from earlier runs. */
  sizes?: string[];
  notes: string[];
}

type Row = Record<string, unknown>;

/** A failed step's message may hold line breaks (a command's error output): they would end a table row early. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

function mdTable(rows: readonly Row[], columns: readonly [key: string, label: string][]): string {
  if (rows.length === 0) return '_not measured in this run_\n';
  const text = (v: unknown) => oneLine(String(v)).replace(/\|/g, '\\|');
  const cell = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'number' ? v.toLocaleString('en-US') : text(v));
  return [`| ${columns.map(([, l]) => l).join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${columns.map(([k]) => cell(r[k])).join(' | ')} |`)].join('\n') + '\n';
}

/**
 * How the API figure was sampled: runs before the warm-up was added sampled a fresh process from its start, and runs
 * before finding 36 took autocannon's bursts and its own percentiles (which count every answer slower than 1 ms
 * many times over) as the figure.
 */
function apiMethod(rows: readonly Row[]): string {
  if (rows.length === 0) return '';
  if (!rows.some((r) => 'warmup_p99_ms' in r)) return 'Each load was sampled from its first request (no warm-up), the first one on a freshly started process.\n\n';
  const warmup = `Each load is sampled after a ${WARMUP_SECONDS} s warm-up against the same process (the steady state); the
warm-up's p99 is what the first seconds after a start answer.`;
  if (!rows.some((r) => 'bursts_p99_ms' in r)) {
    return `${warmup} The load was autocannon's fixed rate (each second's requests sent in a burst at its start) and the
percentiles autocannon's own (finding 36).\n\n`;
  }
  return `${warmup} The requests are sent at an even pace, each on schedule whether or not earlier ones were answered,
and each latency runs from its scheduled time. The bursts column is the p99 of the same rate sent by autocannon, which
sends each second's requests back to back from its start over 10 to 100 connections (finding 36).\n\n`;
}

/** The hand-kept profiles and fixes (bench/findings.md), so a new run does not drop them. */
function findings(root: string): string {
  const file = join(root, 'bench', 'findings.md');
  return existsSync(file) ? `\n${readFileSync(file, 'utf8')}` : '';
}

/**
 * The run's results file, `bench/results/<date>-<machine>.json`; a later run of the same day on the same machine adds
 * its start time (`-HHMM`) instead of writing over the earlier one (a default run once replaced that day's 1M + 10M
 * results). The run itself rewrites its own file after every figure.
 */
export function resultsFile(root: string, report: Pick<Report, 'at' | 'machine'>): string {
  const dir = join(root, 'bench', 'results');
  const name = `${report.at.slice(0, 10)}-${report.machine.host}`;
  const plain = join(dir, `${name}.json`);
  if (!existsSync(plain) || (JSON.parse(readFileSync(plain, 'utf8')) as { at?: string }).at === report.at) return plain;
  return join(dir, `${name}-${report.at.slice(11, 16).replace(':', '')}.json`);
}

export function writeReport(report: Report, root: string): string {
  const file = resultsFile(root, report);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  const measured = report.measured ?? FIGURES;
  const carried = carriedFigures(root, { at: report.at, measured });
  const f: Record<string, Row[]> = Object.assign({}, report.figures, ...[...carried.values()].map((c) => c.figures));
  const from = (figure: Figure) => { const c = carried.get(figure); return c ? carriedNote(c) : ''; };
  const bySize = carriedSizes(root, { at: report.at, measured, sizes: report.sizes }, carried);
  for (const c of [...bySize.values()].flat()) for (const [k, rows] of Object.entries(c.figures)) f[k] = [...(f[k] ?? []), ...rows as Row[]];
  /** Below a figure's tables: which earlier run each size (or the growth) it lacked comes from. */
  const sizesFrom = (figure: Figure, growth = false) => (bySize.get(figure) ?? [])
    .filter((c) => c.growth === growth).map((c) => `\n${carriedSizeNote(c).trimEnd()}\n`).join('');
  const older = carried.size > 0 || bySize.size > 0;
  const m = report.machine;
  const md = `# Benchmarks

${older ? 'The figures below come' : 'Every figure below comes'} from \`${report.command}\` (${report.mode} mode), run on ${report.at.slice(0, 10)}${older ? ',\nexcept those whose section names an earlier run' : ''}.
Re-run it on your machine to get your own; the raw results are in \`${relative(root, file)}\`.

Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, ${m.os}; Node ${m.node}, DuckDB ${m.duckdb}${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}.
Times are medians over the runs listed; each step runs as its own process (start-up included), peak memory is
the process's maximum resident set. Data: the generator's clean data set (seed 42), other entities in proportion.

## 1. Ingest throughput (order_items file → bronze)

${from('ingest')}${mdTable(f.ingest ?? [], [['size', 'size'], ['format', 'format'], ['order_lines', 'order lines'], ['ms', 'ms (median)'], ['lines_per_s', 'lines/s'], ['max_rss_mib', 'peak MiB']])}${sizesFrom('ingest')}
## 2. Full rebuild (bronze → silver → gold → KPIs)

StorePulse times are \`storepulse run\` + \`storepulse kpis --json\` after an (untimed) ingest; the floor is one
hand-written DuckDB query over the Parquet files computing ${'`orders, units, gross_revenue, discounts, refunds, net_revenue, aov, unique_customers`'}
(no validation, deduplication, history or other KPIs). Every engine's KPIs were compared before the time was kept.

${from('rebuild')}${mdTable(f.rebuild ?? [], [['size', 'size'], ['engine', 'engine'], ['ms', 'ms (median)'], ['run_ms', 'run ms'], ['kpis_ms', 'kpis ms'], ['max_rss_mib', 'peak MiB'], ['runs', 'runs'], ['note', 'note']])}
${mdTable(f.rebuild_ratios ?? [], [['size', 'size'], ['postgres_over_duckdb', 'PostgreSQL ÷ StorePulse-on-DuckDB'], ['duckdb_over_floor', 'StorePulse-on-DuckDB ÷ floor']])}${sizesFrom('rebuild')}
### KPI breakdowns on the rebuilt warehouse

\`storepulse kpis --by X --json\` over all data, start-up included, ms (median over the rebuild's runs); the rows
of every breakdown were compared across engines with the KPIs.

${mdTable(f.breakdowns ?? [], [['size', 'size'], ['engine', 'engine'], ['date', 'by date'], ['channel', 'by channel'], ['country', 'by country'], ['category', 'by category']])}
## 3. Incremental day (one more day after a build of the earlier days)

The full refresh is \`run --full-refresh\` on the same warehouse right after: every gold model rebuilt from silver (silver itself is not reprocessed).

${from('incremental')}${mdTable(f.incremental ?? [], [['size', 'size'], ['engine', 'engine'], ['days', 'days'], ['incremental_ms', 'incremental run ms'], ['full_refresh_ms', 'full refresh ms'], ['ratio_full_to_incremental', 'full ÷ incremental']])}${sizesFrom('incremental')}
## 4. Freshness under load (orders posted over HTTP → published snapshot)

The client posts each tick's orders and then their lines on schedule, every 100 ms, without waiting for earlier ticks
to be answered; a delay runs from a tick's scheduled send to the first published snapshot that counts its orders.
Taken in: orders ÷ the time from the first post to the last answer. Kept up: every order seen within 30 s of the
last answer, under 5 % of ticks late, at least 95 % of the rate taken in.

${from('freshness')}${mdTable(f.freshness ?? [], [['engine', 'engine'], ['rate', 'target orders/s'], ['achieved_rate', 'taken in orders/s'], ['p50_ms', 'p50 ms'], ['p95_ms', 'p95 ms'], ['p99_ms', 'p99 ms'], ['post_p95_ms', "a tick's posts p95 ms"], ['kept_up', 'kept up']])}
## 5. API latency (a fixed request rate, sent steadily and in autocannon's bursts)

${from('api')}${apiMethod(f.api ?? [])}${mdTable(f.api ?? [], [['size', 'size'], ['path', 'path'], ['rate', 'requests/s'], ['requests', 'requests'], ['non_2xx', 'non-2xx'], ['p50_ms', 'p50 ms'], ['p99_ms', 'p99 ms'], ['warmup_p99_ms', 'warm-up p99 ms'], ['bursts_p99_ms', 'p99 in bursts ms']])}${sizesFrom('api')}
## 6. Growth

${from('rebuild')}${mdTable(f.growth ?? [], [['from', 'from'], ['to', 'to'], ['time_exponent', 'time exponent'], ['memory_exponent', 'memory exponent']])}${sizesFrom('rebuild', true)}
## Notes

${report.notes.map((n) => `- ${oneLine(n)}`).join('\n')}
${findings(root)}`;
  writeFileSync(join(root, 'BENCHMARKS.md'), md);
  return file;
}
