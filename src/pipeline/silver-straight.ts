// A clean first load of an entity, built apart (built-apart.ts): its records are conformed straight into the table
// built for them (with history, into the history, from which the current rows are taken), with no staged copy. The
// staged path (silver-step.ts) writes every record twice and reads the copy three times; at 10M order lines the
// 57M staged events outgrew DuckDB's memory and spilled, and that step alone was 40 % of the run. Here the records
// are conformed once, and only if some are not accepted is the work undone and left to the run's transaction,
// which stages them as usual. The first record not accepted stops the insert with an error (DuckDB's `error()`,
// which its CASE evaluates only for the rows that reach it): a WHERE keeping the accepted ones cost DuckDB a third
// more time for the same rows.
import type { EntityContract } from '../contracts/index.js';
import { conformSelect, silverColumns } from '../models/silver/conform.js';
import { METADATA_COLUMNS, silverDdl } from '../models/silver/silver-schema.js';
import { renameTables } from './built-apart-names.js';
import { keyMatch, latestFirst, newRecords, waitCase, type EntityStats, type SilverContext } from './silver-step.js';

/**
 * The step of `entity` (its tables empty, nothing of it pending) into the tables `renames` gives for them.
 * Answers null, having written nothing, when a record breaks its contract or waits for another.
 */
export async function conformStraightApart(ctx: SilverContext, entity: EntityContract, renames: ReadonlyMap<string, string>): Promise<EntityStats | null> {
  const { wh } = ctx;
  const e = entity.name;
  const named = (sql: string) => renameTables(sql, renames);
  const current = named(`silver.${e}`);
  const history = named(`silver.${e}_history`);
  // The reconciliation reads what waited; nothing did, or the step is not for here.
  const waited = await wh.run(`CREATE TEMP TABLE was_pending_${e} AS SELECT batch_id, line FROM silver.pending WHERE entity = '${e}'`);
  if (waited > 0) return null;
  const columns = [...METADATA_COLUMNS, ...silverColumns(entity)];
  const cols = columns.join(', ');
  const keys = entity.key.join(', ');
  // The guard rides on a column every row writes, so it is evaluated for each.
  const guarded = `CASE WHEN r._rule IS NULL AND ${waitCase(entity, ctx.baseCurrency, named)} IS NULL THEN r._batch_id ELSE error('${NOT_ACCEPTED}') END`;
  const records = `SELECT ${columns.map((c) => (c === '_batch_id' ? `${guarded} AS _batch_id` : `r.${c}`)).join(', ')}
    FROM (${conformSelect(entity, `(${newRecords(entity)})`, wh.dialect, ctx.baseCurrency)}) r`;
  for (const ddl of silverDdl(entity, wh.dialect)) await wh.run(named(ddl));
  let inserted: number;
  try {
    // With history, every record is written there first, each valid until the next in version order (time, then
    // batch and line); the current rows are then the last of each key.
    inserted = entity.history
      ? await wh.run(`INSERT INTO ${history} (${cols}, valid_from, valid_to, is_current)
        SELECT ${cols}, _version_ts, next_ts, next_ts IS NULL FROM (
          SELECT *, LEAD(_version_ts) OVER (PARTITION BY ${keys} ORDER BY _version_ts, _batch_id, _line) AS next_ts FROM (${records}) a
        ) v`)
      : await wh.run(`INSERT INTO ${current} (${cols}) ${records}`);
  } catch (err) {
    if (!(err as Error).message.includes(NOT_ACCEPTED)) throw err;
    for (const t of entity.history ? [current, history] : [current]) await wh.run(`DROP TABLE ${t}`);
    return null;
  }
  if (entity.history) {
    // A version met again at the same time (a record delivered twice) ends where it starts: the later copy wins.
    await wh.run(`DELETE FROM ${history} WHERE valid_to = valid_from`);
    const changed = await wh.run(`INSERT INTO ${current} (${cols}) SELECT ${cols} FROM ${history} WHERE is_current`);
    return stats(e, inserted, changed);
  }
  // A key that arrived more than once keeps its latest version, as the staged path's merge does.
  const dups = await wh.run(`CREATE TEMP TABLE dup_${e} AS SELECT ${keys} FROM ${current} GROUP BY ${keys} HAVING COUNT(*) > 1`);
  const superseded = dups === 0 ? 0 : await wh.run(`DELETE FROM ${current} USING (
      SELECT _batch_id, _line FROM (
        SELECT c._batch_id, c._line, ${latestFirst(entity)} AS _rn
        FROM ${current} c JOIN dup_${e} d ON ${keyMatch(entity, 'd', 'c')}
      ) w WHERE w._rn > 1
    ) l WHERE ${current}._batch_id = l._batch_id AND ${current}._line = l._line`);
  return stats(e, inserted, inserted - superseded);
}

/** The error a record not accepted raises. */
const NOT_ACCEPTED = 'storepulse: a record of this load is not accepted';

/** A clean load's counts: every record read was accepted. */
const stats = (entity: string, accepted: number, changed: number): EntityStats => ({
  entity, read: accepted, rejected: 0, accepted, promoted: 0, pending: 0, changed,
});
