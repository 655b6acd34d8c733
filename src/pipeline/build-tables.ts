// Names of the temp tables a run keeps per model while it builds gold (dropped when the run ends).

const suffix = (table: string) => table.replace('.', '_');
/** A table's change set: its rows before (`_change = 'old'`) and after (`'new'`) this run, where they differ. */
export const changesTable = (table: string) => `chg_${suffix(table)}`;
/**
 * An incremental model's rows of the affected partitions before and after this run: both where its change set is
 * built, the rows after also where it has data tests (they read them there).
 */
export const rowsBeforeTable = (table: string) => `old_${changesTable(table)}`;
export const rowsAfterTable = (table: string) => `new_${changesTable(table)}`;
/** The column of a partition's rows before that holds each row's id (Dialect.rowIds). */
export const ROW_ID = '_row_id';
/** The partition values an incremental model rebuilds in this run. */
export const affectedTable = (table: string) => `aff_${suffix(table)}`;
/** What a sum model adds to its sums in this run, per key. */
export const deltaTable = (table: string) => `dlt_${suffix(table)}`;
