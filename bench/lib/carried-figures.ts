// A run may measure only some figures (`npm run bench -- --figures rebuild`: the 10M PostgreSQL rebuild alone
// takes most of an hour), and only some sizes (`--sizes 10m`). BENCHMARKS.md still shows every figure at every size
// measured before: a figure this run did not measure is taken from the latest earlier results file that measured
// it, a size it did not measure from the latest one with rows of that size, and the page says which run that was.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The figures a run can be asked for, and the results keys each one fills. */
export const FIGURE_KEYS = {
  ingest: ['ingest'],
  rebuild: ['rebuild', 'rebuild_ratios', 'breakdowns', 'growth'],
  incremental: ['incremental'],
  api: ['api'],
  freshness: ['freshness'],
} as const;

export type Figure = keyof typeof FIGURE_KEYS;
export const FIGURES = Object.keys(FIGURE_KEYS) as Figure[];

interface Stored {
  command: string;
  at: string;
  /** Absent in results written before a run could choose its figures: they measured all. */
  measured?: string[];
  figures: Record<string, unknown[] | undefined>;
}

/** The earlier results files of `npm run bench` (before `at`), the latest first; `bench/freshness.ts --out` writes others. */
function earlierResults(root: string, at: string): { name: string; stored: Stored }[] {
  const dir = join(root, 'bench', 'results');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.endsWith('.json'))
    .map((n) => ({ name: n, stored: JSON.parse(readFileSync(join(dir, n), 'utf8')) as Stored }))
    .filter((r) => typeof r.stored.at === 'string' && r.stored.at < at && typeof r.stored.figures === 'object' && r.stored.figures !== null)
    .sort((a, b) => b.stored.at.localeCompare(a.stored.at));
}

const measuredBy = (stored: Stored, figure: Figure) => (stored.measured ?? FIGURES).includes(figure);

export interface Carried {
  /** The results file the rows come from, relative to the project. */
  file: string;
  command: string;
  at: string;
  figures: Record<string, unknown[]>;
}

/**
 * For each figure the run did not measure, the rows of the latest earlier results file (by start time) that
 * measured it and has rows for it. A figure the run measured is never replaced, even if it came out empty: a
 * failed step must show as missing, not as an older success.
 */
export function carriedFigures(root: string, run: { at: string; measured: readonly string[] }): Map<Figure, Carried> {
  const missing = FIGURES.filter((f) => !run.measured.includes(f));
  const carried = new Map<Figure, Carried>();
  if (missing.length === 0) return carried;
  const earlier = earlierResults(root, run.at);
  for (const figure of missing) {
    const keys = FIGURE_KEYS[figure];
    const source = earlier.find(({ stored }) => measuredBy(stored, figure) && (stored.figures[keys[0]]?.length ?? 0) > 0);
    if (!source) continue;
    carried.set(figure, {
      file: `bench/results/${source.name}`, command: source.stored.command, at: source.stored.at,
      figures: Object.fromEntries(keys.map((k) => [k, source.stored.figures[k] ?? []])),
    });
  }
  return carried;
}

/** Rows of one size (or the growth between two) that a run did not measure, and the run they come from. */
export interface CarriedSize extends Carried {
  /** The size, or for the growth its two sizes (`1m → 10m`). */
  size: string;
  growth: boolean;
}

type SizedRow = { size?: unknown; from?: unknown; to?: unknown };

const rowsOf = (stored: Pick<Stored, 'figures'>, key: string) => (stored.figures[key] ?? []) as SizedRow[];

/**
 * The sizes a figure has on the page before any is carried by size: those the run was asked for (`sizes`; none
 * known for a report that does not say them), or for a figure carried whole (carriedFigures), its rows' sizes.
 */
function sizesShown(figure: Figure, run: { measured: readonly string[]; sizes?: readonly string[] }, whole: ReadonlyMap<Figure, Carried>): readonly string[] | undefined {
  const c = whole.get(figure);
  if (c) return [...new Set(rowsOf(c, FIGURE_KEYS[figure][0]).map((r) => String(r.size)))];
  return run.measured.includes(figure) ? run.sizes : undefined;
}

/**
 * For each figure, at each size it does not have (sizesShown), the rows of that size of the latest earlier results
 * file that measured the figure and has rows of that size; for the growth (rows between two sizes), the latest
 * earlier one, where the figure has fewer than two sizes. A size the run was asked for is never carried, even if
 * its rows came out empty, for the same reason as a figure. Rows without a size (freshness) are not carried by size.
 */
export function carriedSizes(root: string, run: { at: string; measured: readonly string[]; sizes?: readonly string[] }, whole: ReadonlyMap<Figure, Carried>): Map<Figure, CarriedSize[]> {
  const earlier = earlierResults(root, run.at);
  const carried = new Map<Figure, CarriedSize[]>();
  for (const figure of FIGURES) {
    const shown = sizesShown(figure, run, whole);
    if (!shown) continue;
    const keys: readonly string[] = FIGURE_KEYS[figure];
    const list: CarriedSize[] = [];
    const take = (source: { name: string; stored: Stored }, size: string, growth: boolean, keep: (row: SizedRow) => boolean, only: readonly string[]) => list.push({
      size, growth, file: `bench/results/${source.name}`, command: source.stored.command, at: source.stored.at,
      figures: Object.fromEntries(only.map((k) => [k, rowsOf(source.stored, k).filter(keep)])),
    });
    const sized = keys.filter((k) => k !== 'growth');
    const sources = earlier.filter(({ stored }) => measuredBy(stored, figure));
    // The latest first: each size is taken from the first run that has rows of it.
    const seen = new Set(shown);
    for (const source of sources) {
      for (const size of new Set(rowsOf(source.stored, sized[0]).map((r) => r.size))) {
        if (typeof size !== 'string' || seen.has(size)) continue;
        seen.add(size);
        take(source, size, false, (r) => r.size === size, sized);
      }
    }
    const grown = keys.includes('growth') && shown.length < 2 ? sources.find(({ stored }) => rowsOf(stored, 'growth').length > 0) : undefined;
    if (grown) {
      const [row] = rowsOf(grown.stored, 'growth');
      take(grown, `${String(row.from)} → ${String(row.to)}`, true, () => true, ['growth']);
    }
    if (list.length) carried.set(figure, list);
  }
  return carried;
}

/** The line below a table that holds rows of sizes the run did not measure. */
export function carriedSizeNote(c: CarriedSize): string {
  const [what, why] = c.growth ? [`The growth ${c.size} is`, 'this run did not measure two sizes'] : [`The ${c.size} rows are`, 'this run did not measure that size'];
  return `_${what} from ${earlierRun(c)}: ${why}._\n\n`;
}

/** The line above a carried figure's tables. */
export function carriedNote(c: Carried): string {
  return `_This run did not measure this figure: the tables are from ${earlierRun(c)}._\n\n`;
}

/** The earlier run rows come from: its command, start and results file. */
const earlierRun = (c: Carried) =>
  `\`${c.command}\` of ${c.at.slice(0, 10)} (started at ${c.at.slice(11, 16)} UTC; \`${c.file}\`, whose notes say which engines agreed)`;
