// One entity's silver step in a run: conform new and pending bronze records, reject what breaks the contract,
// hold what waits for a parent or an exchange rate, and merge the latest valid version of each key.
import type { EntityContract } from '../contracts/index.js';
import { bronzeColumns } from '../ingest/bronze-schema.js';
import { reasonCase, entityChecks, substituteBase } from '../models/silver/checks.js';
import { conformSelect, silverColumns } from '../models/silver/conform.js';
import { METADATA_COLUMNS } from '../models/silver/silver-schema.js';
import type { Warehouse } from '../warehouse/engine.js';

export interface EntityStats {
  entity: string;
  /** Records of new batches read this run. */
  read: number;
  rejected: number;
  /** Valid records whose dependencies hold (new or promoted), whether or not they are the latest version. */
  accepted: number;
  /** Of accepted: records that had been pending in an earlier run. */
  promoted: number;
  /** Records still waiting after this run (all batches). */
  pending: number;
  /** Keys whose current version changed. */
  changed: number;
}

export interface SilverContext {
  wh: Warehouse;
  runId: number;
  baseCurrency: string;
  /** Record changed rows (old and new) for incremental gold models. */
  recordChanges: boolean;
}

const keyMatch = (entity: EntityContract, a: string, b: string) => entity.key.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');

/** `a` is a later version than `b`: newer version time, then later ingestion (batch, line). */
const newer = (a: string, b: string) =>
  `(${a}._version_ts > ${b}._version_ts OR (${a}._version_ts = ${b}._version_ts AND (${a}._batch_id > ${b}._batch_id OR (${a}._batch_id = ${b}._batch_id AND ${a}._line > ${b}._line))))`;

async function count(wh: Warehouse, sql: string): Promise<number> {
  const [row] = await wh.all<{ n: number }>(sql);
  return Number(row.n);
}

export async function runSilverStep(ctx: SilverContext, entity: EntityContract): Promise<EntityStats> {
  const { wh, runId } = ctx;
  const e = entity.name;
  const d = wh.dialect;
  const cols = [...METADATA_COLUMNS, ...silverColumns(entity)];
  const bcols = bronzeColumns(entity).map((c) => `b.${c}`).join(', ');
  // New batches of this run plus records held back in earlier runs; both read from immutable bronze.
  const source = `(
    SELECT ${bcols} FROM bronze.${e} b JOIN run_batches rb ON rb.batch_id = b._batch_id AND rb.entity = '${e}'
    UNION ALL
    SELECT ${bcols} FROM bronze.${e} b JOIN silver.pending p ON p.entity = '${e}' AND p.batch_id = b._batch_id AND p.line = b._line
  )`;
  await wh.run(`CREATE TEMP TABLE stage_${e} AS ${conformSelect(entity, source, d, ctx.baseCurrency)}`);
  await wh.run(`CREATE TEMP TABLE was_pending_${e} AS SELECT batch_id, line FROM silver.pending WHERE entity = '${e}'`);
  await wh.run(`DELETE FROM silver.pending WHERE entity = '${e}'`);

  const read = await count(wh, `SELECT COUNT(*) AS n FROM stage_${e} s JOIN run_batches rb ON rb.batch_id = s._batch_id AND rb.entity = '${e}'`);
  const checks = entityChecks(entity, d, ctx.baseCurrency);
  const rawPairs: [string, string][] = Object.keys(entity.columns).map((c) => [c, `b.${c}`]);
  await wh.run(`INSERT INTO silver.rejects (entity, record_key, rule, reason, source, line, batch_id, raw, run_id, rejected_at)
    SELECT '${e}', s._key, s._rule, ${reasonCase('s._rule', checks)}, s._source, s._line, s._batch_id,
      ${d.jsonMerge(d.jsonObject(rawPairs), 'b._extra')}, ${runId}, CURRENT_TIMESTAMP
    FROM stage_${e} s JOIN bronze.${e} b ON b._batch_id = s._batch_id AND b._line = s._line
    WHERE s._rule IS NOT NULL`);
  const rejected = await count(wh, `SELECT COUNT(*) AS n FROM stage_${e} WHERE _rule IS NOT NULL`);

  // A valid record waits while any dependency fails; the first failing one is its reason.
  const deps = entity.dependsOn ?? [];
  const waitCase = deps.length === 0 ? 'CAST(NULL AS VARCHAR)'
    : `CASE ${deps.map((dep) => `WHEN NOT (${substituteBase(dep.sql, ctx.baseCurrency)}) THEN '${dep.reason}'`).join(' ')} END`;
  await wh.run(`CREATE TEMP TABLE cand_${e} AS SELECT r.*, ${waitCase} AS _wait FROM stage_${e} r WHERE r._rule IS NULL`);
  await wh.run(`INSERT INTO silver.pending (entity, batch_id, line, record_key, reason, since_run_id)
    SELECT '${e}', _batch_id, _line, _key, _wait, ${runId} FROM cand_${e} WHERE _wait IS NOT NULL`);
  const pending = await count(wh, `SELECT COUNT(*) AS n FROM cand_${e} WHERE _wait IS NOT NULL`);
  const accepted = await count(wh, `SELECT COUNT(*) AS n FROM cand_${e} WHERE _wait IS NULL`);
  const promoted = await count(wh, `SELECT COUNT(*) AS n FROM cand_${e} c JOIN was_pending_${e} w ON w.batch_id = c._batch_id AND w.line = c._line WHERE c._wait IS NULL`);

  // The latest accepted version per key, kept only when it is newer than what silver already holds.
  const keys = entity.key.join(', ');
  await wh.run(`CREATE TEMP TABLE win_${e} AS
    SELECT ${cols.join(', ')} FROM (
      SELECT c.*, row_number() OVER (PARTITION BY ${keys} ORDER BY _version_ts DESC, _batch_id DESC, _line DESC) AS _rn
      FROM cand_${e} c WHERE c._wait IS NULL
    ) c
    WHERE c._rn = 1 AND NOT EXISTS (SELECT 1 FROM silver.${e} s WHERE ${keyMatch(entity, 's', 'c')} AND ${newer('s', 'c')})`);
  const changed = await count(wh, `SELECT COUNT(*) AS n FROM win_${e}`);

  if (ctx.recordChanges) {
    await wh.run(`CREATE TEMP TABLE chg_silver_${e} AS SELECT 'old' AS _change, ${cols.map((c) => `s.${c}`).join(', ')}
      FROM silver.${e} s WHERE EXISTS (SELECT 1 FROM win_${e} w WHERE ${keyMatch(entity, 'w', 's')})`);
  }
  if (changed > 0) {
    await wh.run(`DELETE FROM silver.${e} WHERE EXISTS (SELECT 1 FROM win_${e} w WHERE ${keyMatch(entity, 'w', `silver.${e}`)})`);
    await wh.run(`INSERT INTO silver.${e} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM win_${e}`);
  }
  if (ctx.recordChanges) {
    await wh.run(`INSERT INTO chg_silver_${e} SELECT 'new' AS _change, ${cols.join(', ')} FROM win_${e}`);
  }
  if (entity.history && accepted > 0) await mergeHistory(wh, entity, cols);
  return { entity: e, read, rejected, accepted, promoted, pending, changed };
}

/** SCD type 2: every accepted version is a row valid from its version time until the next version's. */
async function mergeHistory(wh: Warehouse, entity: EntityContract, cols: readonly string[]): Promise<void> {
  const e = entity.name;
  const h = `silver.${e}_history`;
  const keys = entity.key.join(', ');
  await wh.run(`CREATE TEMP TABLE hist_${e} AS SELECT ${cols.join(', ')} FROM (
      SELECT c.*, row_number() OVER (PARTITION BY ${keys}, _version_ts ORDER BY _batch_id DESC, _line DESC) AS _rn
      FROM cand_${e} c WHERE c._wait IS NULL) c
    WHERE _rn = 1 AND NOT EXISTS (SELECT 1 FROM ${h} x WHERE ${keyMatch(entity, 'x', 'c')} AND x._version_ts = c._version_ts
      AND (x._batch_id > c._batch_id OR (x._batch_id = c._batch_id AND x._line >= c._line)))`);
  await wh.run(`DELETE FROM ${h} WHERE EXISTS (SELECT 1 FROM hist_${e} n WHERE ${keyMatch(entity, 'n', h)} AND n._version_ts = ${h}._version_ts)`);
  await wh.run(`INSERT INTO ${h} (${cols.join(', ')}, valid_from, valid_to, is_current)
    SELECT ${cols.join(', ')}, _version_ts, NULL, FALSE FROM hist_${e}`);
  await wh.run(`UPDATE ${h} SET valid_to = n.next_ts, is_current = (n.next_ts IS NULL)
    FROM (
      SELECT ${keys}, _version_ts, LEAD(_version_ts) OVER (PARTITION BY ${keys} ORDER BY _version_ts) AS next_ts
      FROM ${h} x WHERE EXISTS (SELECT 1 FROM hist_${e} n WHERE ${keyMatch(entity, 'n', 'x')})
    ) n
    WHERE ${keyMatch(entity, 'n', h)} AND n._version_ts = ${h}._version_ts`);
}

/** Temp tables this step creates, dropped at the end of the run. */
export function silverTempTables(entity: EntityContract): string[] {
  const e = entity.name;
  return [`stage_${e}`, `was_pending_${e}`, `cand_${e}`, `win_${e}`, `chg_silver_${e}`, `hist_${e}`];
}
