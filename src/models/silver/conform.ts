// The silver conform step for one entity: clean text → typed columns → first failing contract check.
import type { Column, EntityContract } from '../../contracts/index.js';
import { BOOLEAN_WORDS, TYPE_PATTERNS } from '../../contracts/value-patterns.js';
import type { Dialect } from '../../warehouse/dialect.js';
import { quoteLiteral } from '../../warehouse/dialect.js';
import { entityChecks, ruleCase } from './checks.js';
import { alikeTimestamp, realDay } from './iso-text.js';

export function cleanText(name: string, col: Column): string {
  const trimmed = `NULLIF(TRIM(b.${name}), '')`;
  if (col.enum) return `LOWER(${trimmed})`;
  if (col.format === 'country' || col.format === 'currency') return `UPPER(${trimmed})`;
  return trimmed;
}

export function typed(name: string, col: Column, d: Dialect): string {
  const t = `${name}__t`;
  let value: string;
  if (col.type === 'string') value = t;
  else if (col.type === 'boolean') {
    const words = (list: readonly string[]) => list.map(quoteLiteral).join(', ');
    value = `CASE WHEN LOWER(${t}) IN (${words(BOOLEAN_WORDS.true)}) THEN TRUE WHEN LOWER(${t}) IN (${words(BOOLEAN_WORDS.false)}) THEN FALSE END`;
  } else if (col.type === 'date' || col.type === 'timestamp') {
    // The pattern admits 2026-02-30: the day is checked before the cast (nested, as SQL does not promise the
    // order in which an AND is evaluated).
    const text = col.type === 'timestamp' ? alikeTimestamp(t) : t;
    value = `CASE WHEN ${d.fullMatch(t, TYPE_PATTERNS[col.type]!)} THEN CASE WHEN ${realDay(t)} THEN ${d.castTime(text, col.type)} END END`;
    if (d.canonicalTime) value = `CASE WHEN ${d.canonicalTime(t, col.type)} THEN ${d.castTime(t, col.type)} ELSE ${value} END`;
  } else {
    const cast = col.type === 'money' ? d.castMoney(t) : `CAST(${t} AS ${d.type(col.type)})`;
    value = `CASE WHEN ${d.fullMatch(t, TYPE_PATTERNS[col.type]!)} THEN ${cast} END`;
  }
  if (col.default !== undefined) {
    const def = typeof col.default === 'string' ? quoteLiteral(col.default) : String(col.default).toUpperCase();
    value = `CASE WHEN ${t} IS NULL THEN ${def} ELSE ${value} END`;
  }
  return `CAST(${value} AS ${d.type(col.type)})`;
}

export function keyExpr(entity: EntityContract, alias = ''): string {
  const parts = entity.key.map((k) => `COALESCE(CAST(${alias}${k} AS VARCHAR), '')`);
  return parts.length === 1 ? parts[0] : parts.join(` || '|' || `);
}

/** Typed silver column list (without metadata columns). */
export function silverColumns(entity: EntityContract): string[] {
  return Object.keys(entity.columns);
}

/**
 * SELECT over bronze rows `source` (aliased b, with bronze columns) giving metadata, typed columns and `_rule`.
 * `_version_ts` orders versions: updated_at when present, else the ingestion time. `passthrough` names further
 * columns of the source to carry along.
 */
export function conformSelect(entity: EntityContract, source: string, d: Dialect, baseCurrency: string, passthrough: readonly string[] = []): string {
  const cols = Object.entries(entity.columns);
  const texts = cols.map(([n, c]) => `${cleanText(n, c)} AS ${n}__t`).join(',\n    ');
  const types = cols.map(([n, c]) => `${typed(n, c, d)} AS ${n}`).join(',\n    ');
  const version = entity.versionColumn ? `COALESCE(${entity.versionColumn}, _ingested_at)` : '_ingested_at';
  const rawKey = entity.key.map((k) => `COALESCE(${k}__t, '')`).join(` || '|' || `);
  const carried = passthrough.map((c) => `${c}, `).join('');
  // Each layer is fenced where the engine would otherwise inline it: every reference to a typed column would
  // evaluate its regular expression and cast again (PostgreSQL: twice the time of the fenced query).
  return `SELECT _batch_id, _line, _source, _ingested_at, ${carried}${rawKey} AS _key, ${version} AS _version_ts,
  ${cols.map(([n]) => n).join(', ')},
  ${ruleCase(entityChecks(entity, d, baseCurrency))} AS _rule
FROM (
  SELECT *,
    ${types}
  FROM (
    SELECT b._batch_id, b._line, b._source, b._ingested_at, ${passthrough.map((c) => `b.${c}, `).join('')}
    ${texts}
    FROM ${source} b${d.subqueryFence}
  ) cleaned${d.subqueryFence}
) typed`;
}
