// Silver tables: the current valid version of every record, SCD2 history where the contract asks, rejects, pending.
import type { EntityContract } from '../../contracts/index.js';
import type { Dialect } from '../../warehouse/dialect.js';
import type { Warehouse } from '../../warehouse/engine.js';

// No `_key`: the record key as one string (rejects and pending keep it, as record_key) repeated the key columns in
// every silver row, and writing it was a sixth of writing the 5.7M events of a 1M-line first load (bench/findings.md
// 28). A warehouse made before loses it at bootstrap (dropKeyColumns).
export const METADATA_COLUMNS = ['_batch_id', '_line', '_source', '_ingested_at', '_version_ts'] as const;

function columnsDdl(entity: EntityContract, d: Dialect): string {
  const typed = Object.entries(entity.columns).map(([n, c]) => `  ${n} ${d.type(c.type)}`);
  return [
    '  _batch_id BIGINT NOT NULL', '  _line BIGINT NOT NULL', '  _source VARCHAR NOT NULL',
    `  _ingested_at ${d.type('timestamp')} NOT NULL`, `  _version_ts ${d.type('timestamp')} NOT NULL`, ...typed,
  ].join(',\n');
}

export function silverDdl(entity: EntityContract, d: Dialect): string[] {
  const ddl = [`CREATE TABLE IF NOT EXISTS silver.${entity.name} (\n${columnsDdl(entity, d)}\n)`];
  if (entity.history) {
    ddl.push(`CREATE TABLE IF NOT EXISTS silver.${entity.name}_history (\n${columnsDdl(entity, d)},
  valid_from ${d.type('timestamp')} NOT NULL,
  valid_to ${d.type('timestamp')},
  is_current BOOLEAN NOT NULL\n)`);
  }
  if (d.usesIndexes) {
    // PostgreSQL: every run looks up current versions and parents by key (a newer version already in silver,
    // the order of a line); without these, an incremental day is a nested loop over all of silver.
    const key = entity.key.join(', ');
    ddl.push(`CREATE INDEX IF NOT EXISTS ${entity.name}_key_idx ON silver.${entity.name} (${key})`);
    if (entity.history) ddl.push(`CREATE INDEX IF NOT EXISTS ${entity.name}_history_key_idx ON silver.${entity.name}_history (${key})`);
  }
  return ddl;
}

/** Drops the `_key` column that silver tables made before carried (see METADATA_COLUMNS); none when there is none. */
export async function dropKeyColumns(wh: Warehouse): Promise<void> {
  const tables = await wh.all<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'silver' AND column_name = '_key'");
  for (const { t } of tables) await wh.run(`ALTER TABLE silver.${t} DROP COLUMN _key`);
}

export function silverSharedDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS silver.rejects (
  entity VARCHAR NOT NULL,
  record_key VARCHAR,
  rule VARCHAR NOT NULL,
  reason VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  line BIGINT NOT NULL,
  batch_id BIGINT NOT NULL,
  raw VARCHAR NOT NULL,
  run_id BIGINT NOT NULL,
  rejected_at ${d.type('timestamp')} NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS silver.pending (
  entity VARCHAR NOT NULL,
  batch_id BIGINT NOT NULL,
  line BIGINT NOT NULL,
  record_key VARCHAR,
  reason VARCHAR NOT NULL,
  since_run_id BIGINT NOT NULL
)`,
  ];
}
