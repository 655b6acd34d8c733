// Turns one entity of a mapping into one DuckDB query per file of its `from` source: the foreign tables as CTEs,
// the joins, filter and grouping the mapping names, then every canonical column as text. The engine runs it set
// at a time (no row passes through JS); bronze provenance and hashes are added by bronzeRows, as for any file.
import { getEntity, type EntityContract } from '../../contracts/index.js';
import { quoteIdent, quoteLiteral } from '../../warehouse/dialect.js';
import type { FileFormat } from '../discover.js';
import { reader } from '../file-query.js';
import type { ColumnMapping, EntityMapping, Mapping } from './mapping-types.js';

/** A foreign file as the mapping reads it: its format and its columns. */
export interface SourceFile {
  path: string;
  rel: string;
  format: FileFormat;
  columns: string[];
}

/** What one batch reads: the file of `from`, and every file of each other source. */
export interface BatchFiles {
  main: SourceFile;
  /** Source name → its files (for the `from` source: the main file only). */
  bySource: Map<string, SourceFile[]>;
}

/** The marker DuckDB's error() carries when one foreign row became two records (see fanOutGuard). */
export const FAN_OUT_MARKER = 'storepulse-fan-out at line ';

const TIME_OUT = '%Y-%m-%dT%H:%M:%S.%fZ';
const DATE_OUT = '%Y-%m-%d';
/** Tried in turn when only a time zone is given. */
const DEFAULT_TIME_FORMATS = ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d'];

function fileSelect(f: SourceFile): string {
  const path = quoteLiteral(f.path);
  switch (f.format) {
    case 'csv': return `SELECT row_number() OVER () + 1 AS _line, ${path} AS _file, * FROM ${reader(f.path, 'csv', f.columns)}`;
    case 'parquet': return `SELECT file_row_number + 1 AS _line, ${path} AS _file, * EXCLUDE (file_row_number) FROM ${reader(f.path, 'parquet')}`;
    case 'ndjson': return `SELECT row_number() OVER () AS _line, ${path} AS _file, * FROM read_json(${path}, format = 'newline_delimited')`;
    case 'json': return `SELECT row_number() OVER () AS _line, ${path} AS _file, * FROM read_json(${path}, format = 'array')`;
  }
}

function sourceSelect(files: readonly SourceFile[]): string {
  return files.map((f) => `(${fileSelect(f)})`).join('\nUNION ALL BY NAME\n');
}

const mentions = (sql: string, name: string) => new RegExp(`(^|[^a-z0-9_])${name}([^a-z0-9_]|$)`, 'i').test(sql);

/** The SQL text an entity mapping writes itself (from, joins, filter, grouping, expressions). */
function entityText(e: EntityMapping): string {
  const parts = [e.from, ...(e.joins ?? []).flatMap((j) => [j.table, j.on]), e.where ?? '', ...(e.group_by ?? [])];
  for (const c of Object.values(e.columns)) parts.push(c.sql ?? '');
  return parts.join('\n');
}

/** Sources and views the entity reads, directly or through views, in definition order. */
export function tablesUsed(mapping: Mapping, e: EntityMapping): { sources: string[]; views: string[] } {
  const used = new Set<string>();
  const visit = (sql: string) => {
    for (const name of [...Object.keys(mapping.sources), ...Object.keys(mapping.views)]) {
      if (used.has(name) || !mentions(sql, name)) continue;
      used.add(name);
      if (mapping.views[name] !== undefined) visit(mapping.views[name]);
    }
  };
  used.add(e.from);
  visit(entityText(e));
  return {
    sources: Object.keys(mapping.sources).filter((s) => used.has(s)),
    views: Object.keys(mapping.views).filter((v) => used.has(v)),
  };
}

function literal(v: string | number | boolean | null): string {
  return v === null ? 'CAST(NULL AS VARCHAR)' : quoteLiteral(String(v));
}

/** The raw value of a column mapping, before its map and format. */
function rawValue(c: ColumnMapping, fromAlias: string, mainColumns: ReadonlySet<string>, grouped: boolean): string {
  if (c.value !== undefined) return literal(c.value);
  if (c.sql !== undefined) return `(${c.sql})`;
  const ref = mainColumns.has(c.column!) ? `${fromAlias}.${quoteIdent(c.column!)}` : quoteIdent(c.column!);
  // Rows of one group (the line items of one order) often carry the group's fields on the first row only.
  return grouped ? `arg_min(${ref}, ${fromAlias}._line) FILTER (WHERE ${ref} IS NOT NULL)` : ref;
}

/** The value map, then the time format: both on the text, as bronze keeps it. */
function transform(v: string, c: ColumnMapping, kind: 'timestamp' | 'date' | 'other'): string {
  let out = v;
  if (c.map) {
    const whens = Object.entries(c.map).map(([from, to]) => `WHEN ${quoteLiteral(from.trim().toLowerCase())} THEN ${literal(to)}`);
    const otherwise = c.otherwise !== undefined ? literal(c.otherwise) : out;
    out = `(CASE WHEN ${out} IS NULL THEN NULL ${whens.length ? `ELSE CASE lower(trim(${out})) ${whens.join(' ')} ELSE ${otherwise} END` : `ELSE ${otherwise}`} END)`;
  }
  if (c.format !== undefined || c.timezone !== undefined) {
    const formats = c.format !== undefined ? quoteLiteral(c.format) : `[${DEFAULT_TIME_FORMATS.map(quoteLiteral).join(', ')}]`;
    const withOffset = c.format !== undefined && /%z|%Z/.test(c.format);
    const parsed = `try_strptime(${out}, ${formats})`;
    // To UTC: a parsed offset already fixes the instant; otherwise the time is local to the given zone (default UTC).
    const utc = withOffset ? `timezone('UTC', ${parsed})`
      : c.timezone ? `timezone('UTC', timezone(${quoteLiteral(c.timezone)}, ${parsed}))` : parsed;
    // A value that does not parse stays as it arrived, so silver rejects it with its reason and the raw text.
    out = `COALESCE(strftime(${utc}, ${quoteLiteral(kind === 'date' ? DATE_OUT : TIME_OUT)}), ${out})`;
  }
  return out;
}

export interface EntityQuery {
  entity: EntityContract;
  /** SELECT giving _line, every canonical column as text and _extra (the input of bronzeRows). */
  records: string;
}

/** The records one file of `from` makes for the entity. */
export function entityQuery(mapping: Mapping, entityName: string, files: BatchFiles, options: { guardFanOut?: boolean } = {}): EntityQuery {
  const entity = getEntity(entityName)!;
  const e = mapping.entities[entityName];
  const { sources, views } = tablesUsed(mapping, e);
  const ctes = [
    ...sources.map((s) => `${quoteIdent(s)} AS (${sourceSelect(files.bySource.get(s) ?? [])})`),
    ...views.map((v) => `${quoteIdent(v)} AS (${mapping.views[v]})`),
  ];
  const from = quoteIdent(e.from);
  const grouped = (e.group_by ?? []).length > 0;
  const mainColumns = new Set(files.main.columns);
  const names = Object.keys(entity.columns);
  const inner = names.map((n, i) => {
    const c = e.columns[n];
    return `CAST(${c ? rawValue(c, from, mainColumns, grouped) : 'NULL'} AS VARCHAR) AS __c${i}`;
  });
  const foreign = files.main.columns.map((c) => `${quoteLiteral(c)}, ${from}.${quoteIdent(c)}`).join(', ');
  const provenance = `${quoteLiteral('_mapping')}, ${quoteLiteral(mapping.name)}, ${quoteLiteral('_from')}, ${quoteLiteral(files.main.rel)}`;
  // The raw record of a reject then shows what arrived: the foreign row, or the lines of the group it came from.
  const extra = grouped
    ? `json_object(${provenance}, '_lines', list(${from}._line ORDER BY ${from}._line))`
    : `json_object(${provenance}, '_foreign', json_object(${foreign}))`;
  const joins = (e.joins ?? []).map((j) => `${j.type === 'inner' ? 'JOIN' : 'LEFT JOIN'} ${quoteIdent(j.table)} AS ${quoteIdent(j.as ?? j.table)} ON ${j.on}`);
  const body = `SELECT ${grouped ? `min(${from}._line)` : `${from}._line`} AS _line,
    ${inner.join(',\n    ')},
    CAST(${extra} AS VARCHAR) AS _extra
  FROM ${from}
  ${joins.join('\n  ')}
  ${e.where ? `WHERE ${e.where}` : ''}
  ${grouped ? `GROUP BY ${e.group_by!.join(', ')}` : ''}`;
  const outer = names.map((n, i) => {
    const c = e.columns[n];
    const kind = entity.columns[n].type === 'timestamp' ? 'timestamp' : entity.columns[n].type === 'date' ? 'date' : 'other';
    return `${c ? transform(`__c${i}`, c, kind) : '__c' + i} AS ${n}`;
  });
  // One foreign row is one record: a join that matched several rows would count it twice, so the query fails.
  const line = options.guardFanOut === false ? '_line'
    : `CASE WHEN count(*) OVER (PARTITION BY _line) > 1 THEN error(${quoteLiteral(FAN_OUT_MARKER)} || _line) ELSE _line END`;
  const records = `WITH ${ctes.join(',\n')}
SELECT ${line} AS _line, ${outer.join(', ')}, _extra FROM (
  ${body}
) mapped`;
  return { entity, records };
}
