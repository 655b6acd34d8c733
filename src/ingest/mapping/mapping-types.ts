// A source mapping: how a foreign data set (a shop platform's export, a marketplace's tables) becomes the
// canonical entities. Everything it says is turned into one SQL query per entity and file (see mapping-sql.ts).

/** A file set of the foreign data set, read as one table. */
export interface MappingSource {
  /** Glob patterns matched against each file's name (or its path below the folder given to ingest). */
  files: string[];
  /** csv, ndjson, json or parquet; default: from the file extension. */
  format?: 'csv' | 'ndjson' | 'json' | 'parquet';
}

/** How one canonical column is made: exactly one of column, sql or value; then an optional map and time format. */
export interface ColumnMapping {
  /** A column of the entity's tables, by its own name. */
  column?: string;
  /** A DuckDB SQL expression over the entity's tables (aggregates when the entity has group_by). */
  sql?: string;
  /** A constant. */
  value?: string | number | boolean | null;
  /** Foreign values (matched ignoring case and surrounding spaces) to canonical ones. */
  map?: Record<string, string | number | boolean | null>;
  /** What a value that is not in `map` becomes; absent: it stays as it is (and silver rejects it if it is not allowed). */
  otherwise?: string | number | boolean | null;
  /** strptime format of a foreign date or time, e.g. "%d/%m/%Y %H:%M" (unparseable values stay as they are, to be rejected). */
  format?: string;
  /** IANA time zone of foreign times that carry no offset, e.g. "America/Sao_Paulo"; default UTC. */
  timezone?: string;
}

export interface MappingJoin {
  /** A source or view name. */
  table: string;
  /** Alias in the entity's SQL; default: the table name. */
  as?: string;
  /** Join condition in SQL, e.g. "p.order_id = orders.order_id". */
  on: string;
  /** left (default) keeps every row of `from`; inner drops rows without a match. */
  type?: 'left' | 'inner';
}

export interface EntityMapping {
  /** The source (or view) whose rows become the entity's records; each of its files lands as one batch. */
  from: string;
  joins?: MappingJoin[];
  /** SQL condition: only rows for which it holds become records. */
  where?: string;
  /** One record per distinct value of these expressions (e.g. an order spread over one row per line item). */
  group_by?: string[];
  columns: Record<string, ColumnMapping>;
}

export interface Mapping {
  name: string;
  description?: string;
  /** The file the mapping was read from (for messages). */
  file: string;
  sources: Record<string, MappingSource>;
  /** Named SQL queries over sources (and earlier views), e.g. payments summed per order. */
  views: Record<string, string>;
  /** Canonical entity name → how it is made. */
  entities: Record<string, EntityMapping>;
  /** Where each key path sits in the file ("line 12, key entities.orders.columns.status"). */
  locate(path: readonly (string | number)[]): string;
}
