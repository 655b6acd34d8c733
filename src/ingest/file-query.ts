// Builds the DuckDB query that reads one file into bronze rows: canonical columns as text, extras as JSON,
// provenance (line, source, batch, time, content hash). The engine reads the file; no row passes through JS.
import type { EntityContract } from '../contracts/index.js';
import { requiredColumns } from '../contracts/index.js';
import { Errors } from '../errors/catalogue.js';
import { quoteIdent, quoteLiteral } from '../warehouse/dialect.js';
import type { Warehouse } from '../warehouse/engine.js';
import { readCsvHeader } from './csv-header.js';
import type { FileFormat } from './discover.js';

export interface FileShape {
  /** Every column of the file, in file order. */
  columns: string[];
  /** Canonical column → the file's own column (or JSON key) that feeds it. */
  mapped: Map<string, string>;
  extras: string[];
}

export function reader(path: string, format: FileFormat, csvColumns?: readonly string[]): string {
  const p = quoteLiteral(path);
  switch (format) {
    case 'csv': {
      const columns = (csvColumns ?? []).map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ');
      return `read_csv(${p}, header = true, auto_detect = false, columns = {${columns}}, delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false)`;
    }
    case 'ndjson':
      return `read_json_objects(${p}, format = 'newline_delimited')`;
    case 'json':
      return `read_json_objects(${p}, format = 'array')`;
    case 'parquet':
      return `read_parquet(${p}, file_row_number = true)`;
  }
}

const isJson = (format: FileFormat) => format === 'ndjson' || format === 'json';

export async function fileColumns(wh: Warehouse, path: string, format: FileFormat): Promise<string[]> {
  if (format === 'csv') {
    const header = await readCsvHeader(path);
    if (!header) throw new Error('the file is empty (no header row)');
    const dup = header.find((h, i) => header.indexOf(h) !== i);
    if (dup !== undefined) throw new Error(`the header names column "${dup}" twice`);
    return header;
  }
  if (isJson(format)) {
    const rows = await wh.inspectFiles<{ k: string }>(
      `SELECT DISTINCT unnest(json_keys(json)) AS k FROM ${reader(path, format)} ORDER BY k`);
    return rows.map((r) => r.k);
  }
  const rows = await wh.inspectFiles<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader(path, format)}`);
  return rows.map((r) => r.column_name).filter((c) => c !== 'file_row_number');
}

/**
 * Reads the file's columns (unless `known` gives them) and checks the contract's required ones are all there (else
 * the file is refused).
 */
export async function inspectFile(wh: Warehouse, path: string, format: FileFormat, entity: EntityContract, known?: readonly string[]): Promise<FileShape> {
  let columns: string[];
  try {
    columns = known ? [...known] : await fileColumns(wh, path, format);
  } catch (e) {
    throw Errors.unreadableFile(path, (e as Error).message.split('\n')[0]);
  }
  const byName = new Map(columns.map((c) => [c.trim().toLowerCase(), c]));
  const mapped = new Map<string, string>();
  for (const name of Object.keys(entity.columns)) {
    const own = byName.get(name);
    if (own !== undefined) mapped.set(name, own);
  }
  const missing = requiredColumns(entity).filter((c) => !mapped.has(c));
  if (missing.length > 0) throw Errors.missingColumn(path, entity.name, missing);
  const canonical = new Set(mapped.values());
  return { columns, mapped, extras: columns.filter((c) => !canonical.has(c)) };
}

export interface BronzeQuery {
  batchId: number;
  source: string;
  ingestedAt: string;
}

/** SELECT producing exactly the bronze columns (see bronzeColumns) for the file. */
export function bronzeSelect(path: string, format: FileFormat, entity: EntityContract, shape: FileShape, q: BronzeQuery): string {
  // Every value a record gives, in this order: the canonical columns it has, then its extras.
  const owned = [...new Set([...shape.mapped.values(), ...shape.extras])];
  // A JSON record is parsed once for all its values (a list of paths), not once per column: half the time.
  const slot = new Map(owned.map((own, i) => [own, i + 1]));
  const value = (own: string) => isJson(format) ? `_values[${slot.get(own)}]` : `CAST(${quoteIdent(own)} AS VARCHAR)`;
  const canonical = Object.keys(entity.columns).map((c) => {
    const own = shape.mapped.get(c);
    return `${own === undefined ? 'CAST(NULL AS VARCHAR)' : value(own)} AS ${c}`;
  });
  const extra = shape.extras.length === 0
    ? 'CAST(NULL AS VARCHAR)'
    : `CAST(json_object(${shape.extras.map((x) => `${quoteLiteral(x)}, ${value(x)}`).join(', ')}) AS VARCHAR)`;
  // CSV line 1 is the header; DuckDB keeps file order, so row_number() over () is the record's position.
  const line = format === 'parquet' ? 'file_row_number + 1' : format === 'csv' ? 'row_number() OVER () + 1' : 'row_number() OVER ()';
  const source = isJson(format)
    ? `(SELECT json_extract_string(json, [${owned.map((own) => quoteLiteral('$.' + JSON.stringify(own))).join(', ')}]) AS _values FROM ${reader(path, format)})`
    : reader(path, format, shape.columns);
  return bronzeRows(entity, `SELECT ${line} AS _line, ${canonical.join(', ')}, ${extra} AS _extra FROM ${source}`, q);
}

/**
 * The bronze columns over a query (in DuckDB SQL) that gives `_line`, every canonical column as text and `_extra`:
 * provenance and the record's content hash are added here, the same for files, mappings and streams.
 */
export function bronzeRows(entity: EntityContract, records: string, q: BronzeQuery): string {
  const names = Object.keys(entity.columns);
  return `SELECT ${q.batchId} AS _batch_id, _line, ${quoteLiteral(q.source)} AS _source,
  CAST(${quoteLiteral(q.ingestedAt)} AS TIMESTAMPTZ) AS _ingested_at,
  md5(CAST(to_json([${[...names, '_extra'].join(', ')}]) AS VARCHAR)) AS _hash,
  ${names.join(', ')}, _extra
FROM (${records})`;
}
