// The rows an upstream model has just rebuilt, read in place of its table: a model partitioned as its upstream reads
// only its own partitions' rows of it, and where the upstream rebuilt every one of those partitions in this run, its
// rows after (a temp table of the partitions it rebuilt) are those rows, without a read of the table for them (at
// 10M order lines, each such read of fact_order scanned the 25 days a day's files re-open).
import type { Warehouse } from '../warehouse/engine.js';

/** A model's rows after an incremental rebuild, kept for the run: the temp tables of those rows and of their partitions. */
export interface RebuiltRows {
  rows: string;
  partitions: string;
  /** The model's partition column, whose values `partitions` lists. */
  column: string;
  /** Whether the engine has analysed the rows' table (PostgreSQL plans a temp table blind until then). */
  analyzed: boolean;
}

/**
 * The temp table of `upstream`'s rows after this run, where `kept` (this run's rebuilt models) has them for every
 * value of `column` listed in the one-column table `partitions`; undefined where the table must be read. Only values
 * of the upstream's own partition column can be covered.
 */
export async function rowsCovering(wh: Warehouse, kept: ReadonlyMap<string, RebuiltRows>, upstream: string, column: string,
  partitions: string): Promise<string | undefined> {
  const rebuilt = kept.get(upstream);
  if (!rebuilt || rebuilt.column !== column) return undefined;
  const [{ missing }] = await wh.all<{ missing: number }>(
    `SELECT COUNT(*) AS missing FROM (SELECT * FROM ${partitions} EXCEPT SELECT * FROM ${rebuilt.partitions}) x`);
  if (Number(missing) > 0) return undefined;
  if (wh.dialect.analyze && !rebuilt.analyzed) {
    await wh.run(wh.dialect.analyze(rebuilt.rows));
    rebuilt.analyzed = true;
  }
  return rebuilt.rows;
}
