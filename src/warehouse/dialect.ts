// The SQL that really differs between engines, in one place; models and derived checks call these.

export type SqlType = 'string' | 'timestamp' | 'date' | 'money' | 'rate' | 'integer' | 'number' | 'boolean' | 'exact';

export interface Dialect {
  /** Column type for a logical type. `exact` is wide decimal for exact money sums. */
  type(t: SqlType): string;
  /** Casts text that already matches the type's pattern to date or timestamp, NULL when it is no real day or time. */
  tryCast(expr: string, t: SqlType): string;
  /** True when the whole text matches the regular expression. */
  fullMatch(expr: string, regex: string): string;
  /** A JSON object text built from name/expression pairs. */
  jsonObject(pairs: readonly [string, string][]): string;
  /** JSON object text of `a` with the keys of JSON object text `b` (may be NULL) added. */
  jsonMerge(a: string, b: string): string;
  /** Text value of a key of a JSON text column. */
  jsonText(expr: string, key: string): string;
  /** Seconds since the epoch of a timestamp, as a number. */
  epochSeconds(expr: string): string;
  /** Aggregate: the first non-null value in the given order (orderBy: a comma-separated list of expressions). */
  firstNonNull(value: string, orderBy: string): string;
  /** A statement that sets a value for this session's (PostgreSQL: this transaction's) later statements; $1 is the value. */
  setSessionValue(name: string): string;
  /** The value set by setSessionValue, as text. */
  sessionValue(name: string): string;
  /** Hex HMAC-SHA256 of text `value`, given the hex of the key XOR ipad and XOR opad (RFC 2104), computed by the engine. */
  hmacSha256Hex(value: string, innerKeyHex: string, outerKeyHex: string): string;
  /** Statements that make the session behave as the models expect (UTC, …). */
  sessionSetup: readonly string[];
  /** Helper functions created once per warehouse (after the schemas exist). */
  functions: readonly string[];
  /** Whether gold tables get the indexes their models declare (row stores need them; DuckDB does not). */
  usesIndexes: boolean;
  /** A statement that serialises bootstraps of several processes inside a transaction, if the engine needs it. */
  bootstrapLock?: string;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
