// The shape of a contract: everything ingest validation, silver SQL checks and JSON Schema are derived from.

export type ColumnType =
  | 'string'
  | 'timestamp' // ISO 8601; without an offset it is UTC
  | 'date'
  | 'money' // decimal, rounded to 2 places
  | 'rate' // decimal with up to 10 places (fx rates)
  | 'integer'
  | 'number'
  | 'boolean';

export type Format = 'email' | 'country' | 'currency';

export interface Column {
  type: ColumnType;
  required?: boolean;
  enum?: readonly string[];
  format?: Format;
  /** Inclusive bounds on the typed value. */
  min?: number;
  max?: number;
  /** Strict lower bound (value must be greater). */
  greaterThan?: number;
  /** Value used when the field is absent (e.g. is_active = true). */
  default?: string | number | boolean;
  description?: string;
  /**
   * Personal data. `identifier` (email, names) reaches gold only as a token and is shown in clear only to roles
   * that may see it; `location` (city, region) stays in gold for analytics. Erasure clears both everywhere.
   */
  personal?: 'identifier' | 'location';
}

/** A rule across columns, written once in SQL over the typed columns of the record. */
export interface RecordRule {
  name: string;
  description: string;
  /** SQL boolean over typed column names; NULL counts as passing (optional columns). */
  sql: string;
}

/** A condition outside the record (a parent, an exchange rate) that must hold before the record is promoted. */
export interface Dependency {
  reason: string;
  description: string;
  /** SQL boolean over the candidate row aliased `r`; may read silver tables. {{base}} is the base currency. */
  sql: string;
}

export interface EntityContract {
  name: string;
  description: string;
  key: readonly string[];
  columns: Record<string, Column>;
  rules?: readonly RecordRule[];
  dependsOn?: readonly Dependency[];
  /** Silver keeps SCD type 2 history for these entities. */
  history?: boolean;
  /** Column that orders versions; when absent or null the ingestion time is used. */
  versionColumn?: string;
}

export function defineEntity<const E extends EntityContract>(entity: E): E {
  return entity;
}
