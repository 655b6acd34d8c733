// A run may measure only some figures (`npm run bench -- --figures rebuild`: the 10M PostgreSQL rebuild alone
// takes most of an hour). BENCHMARKS.md still shows every figure: one this run did not measure is taken from the
// latest earlier results file that measured it, and its section says which run that was.
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
  const dir = join(root, 'bench', 'results');
  const missing = FIGURES.filter((f) => !run.measured.includes(f));
  const carried = new Map<Figure, Carried>();
  if (missing.length === 0 || !existsSync(dir)) return carried;
  const earlier = readdirSync(dir).filter((n) => n.endsWith('.json'))
    .map((n) => ({ name: n, stored: JSON.parse(readFileSync(join(dir, n), 'utf8')) as Stored }))
    .filter((r) => typeof r.stored.at === 'string' && r.stored.at < run.at)
    .sort((a, b) => b.stored.at.localeCompare(a.stored.at));
  for (const figure of missing) {
    const keys = FIGURE_KEYS[figure];
    const source = earlier.find(({ stored }) => (stored.measured ?? FIGURES).includes(figure) && (stored.figures[keys[0]]?.length ?? 0) > 0);
    if (!source) continue;
    carried.set(figure, {
      file: `bench/results/${source.name}`, command: source.stored.command, at: source.stored.at,
      figures: Object.fromEntries(keys.map((k) => [k, source.stored.figures[k] ?? []])),
    });
  }
  return carried;
}

/** The line above a carried figure's tables. */
export function carriedNote(c: Carried): string {
  return `_This run did not measure this figure: the tables are from \`${c.command}\` of ${c.at.slice(0, 10)} (started at ${c.at.slice(11, 16)} UTC; \`${c.file}\`, whose notes say which engines agreed)._\n\n`;
}
