// Bronze tables: every canonical column kept as the text that arrived, plus provenance and unknown extras.
import type { EntityContract } from '../contracts/index.js';

export const PROVENANCE_COLUMNS = ['_batch_id', '_line', '_source', '_ingested_at', '_hash'] as const;

export function bronzeTable(entity: EntityContract): string {
  return `bronze.${entity.name}`;
}

export function bronzeColumns(entity: EntityContract): string[] {
  return [...PROVENANCE_COLUMNS, ...Object.keys(entity.columns), '_extra'];
}

export function bronzeDdl(entity: EntityContract): string {
  const cols = Object.keys(entity.columns).map((c) => `  ${c} VARCHAR`);
  return `CREATE TABLE IF NOT EXISTS ${bronzeTable(entity)} (
  _batch_id BIGINT NOT NULL,
  _line BIGINT NOT NULL,
  _source VARCHAR NOT NULL,
  _ingested_at TIMESTAMPTZ NOT NULL,
  _hash VARCHAR NOT NULL,
${cols.join(',\n')},
  _extra VARCHAR
)`;
}
