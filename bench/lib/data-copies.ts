// Which copies of a data set each step of the benchmark reads. A copy is made only when a chosen step reads it,
// and removed as soon as no step left to run reads it: at 10M order lines the copies hold about 13 GB, and
// PostgreSQL's 10M rebuild, which needs 55-60 GB of its own, ran out of disk beside them (finding 54).
export const COPIES = ['byDay', 'csv', 'ndjson', 'parquet'] as const;
export type Copy = (typeof COPIES)[number];
const NAMES: Record<Copy, string> = { byDay: 'by-day', csv: 'CSV', ndjson: 'NDJSON', parquet: 'Parquet' };

/** "the by-day and CSV copies", as the run's log and its warnings say it. */
export function nameCopies(copies: Iterable<Copy>): string {
  const names = [...copies].map((c) => NAMES[c]);
  return `the ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0] ?? 'no'} ${names.length === 1 ? 'copy' : 'copies'}`;
}

/** The steps of one size, in the order the benchmark runs them. */
export const STEPS = ['ingest', 'incremental', 'duckdb', 'floor', 'postgres'] as const;
export type Step = (typeof STEPS)[number];

const READS: Record<Step, readonly Copy[]> = {
  // One order_items file of each format.
  ingest: ['csv', 'ndjson', 'parquet'],
  // The days apart: all but the last built, then the last absorbed.
  incremental: ['byDay'],
  // Both rebuilds ingest the one-file-per-entity CSV set; PostgreSQL's no longer reads it once ingested.
  duckdb: ['csv'],
  postgres: ['csv'],
  floor: ['parquet'],
};

/** The copies the given steps read. */
export function copiesRead(steps: Iterable<Step>): Set<Copy> {
  return new Set([...steps].flatMap((s) => READS[s]));
}

/** The steps after `done` among those chosen, in running order. */
export function stepsAfter(chosen: ReadonlySet<Step>, done: Step): Step[] {
  return STEPS.slice(STEPS.indexOf(done) + 1).filter((s) => chosen.has(s));
}
