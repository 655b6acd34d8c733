// The SQL that really differs between engines, in one place; models and derived checks call these.

export type SqlType = 'string' | 'timestamp' | 'date' | 'money' | 'rate' | 'integer' | 'number' | 'boolean' | 'exact';

export interface Dialect {
  /** Column type for a logical type. `exact` is wide decimal for exact money sums. */
  type(t: SqlType): string;
  /** Casts ISO text already checked (its pattern, a real day) to a date or timestamp. */
  castTime(expr: string, t: 'date' | 'timestamp'): string;
  /**
   * Money from text already checked against its pattern (up to 15 digits before the point): the text read to
   * 6 decimals, then rounded half away from zero to 2.
   */
  castMoney(expr: string): string;
  /**
   * True only for text spelled exactly as the canonical day or instant (`2026-01-31`, `2026-01-31T10:00:00Z`, digits
   * where the digits go, a year from 0001) and tested faster than fullMatch; castTime reads it with no other check,
   * refusing a day its month lacks or a time past 23:59:59. Unset: every value goes through the pattern.
   */
  canonicalTime?(expr: string, t: 'date' | 'timestamp'): string;
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
  /**
   * Which of `parts` parts (0 to parts - 1) a value falls in, by its hash. Set on engines that build a model
   * with `full_build_parts` in parts: DuckDB, whose ordered aggregates keep their groups' rows in memory.
   * PostgreSQL's sorts spill to disk, so it builds every model in one statement.
   */
  hashPart?(expr: string, parts: number): string;
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
  /**
   * Ends a subquery whose expressions must be computed once, not inlined into every reference to them
   * (PostgreSQL's planner inlines subqueries; ` OFFSET 0` is its documented way to keep one apart).
   */
  subqueryFence: string;
  /**
   * A statement giving the planner statistics for a table just filled, or undefined where the engine needs
   * none. PostgreSQL never analyses temp tables by itself, and without statistics it takes a staged million
   * rows for two and joins them in nested loops.
   */
  analyze?(table: string): string;
  /**
   * Index statements for a bronze table, where the engine needs them to find a run's batches without reading
   * all of bronze (PostgreSQL; DuckDB's zone maps do it already).
   */
  bronzeIndexes(table: string, name: string): string[];
  /** Whether gold tables get the indexes their models declare (row stores need them; DuckDB does not). */
  usesIndexes: boolean;
  /**
   * Set where the engine scans the rows its open transaction wrote on one thread: the load size (records) from
   * which silver conforms a clean load again from committed bronze instead of reading its staged copy. DuckDB
   * does (a run is one transaction): copying 5.7M staged events into silver took 9.3 s where conforming them
   * again took 6.6 s on two cores. Below one of its row groups (122,880 rows) a scan has one thread either way.
   */
  conformAgainFromRows?: number;
  /**
   * Whether a run builds the tables it makes whole before its transaction, committed, and swaps them in
   * (pipeline/built-apart.ts): for an engine that reads its open transaction's rows slower than committed ones.
   */
  buildsApart?: boolean;
  /**
   * Where a row can be named for the rest of a transaction more cheaply than by a value: DuckDB's `rowid`, a hidden
   * column a scan reads without touching any stored one. A rebuild that keeps a partition's rows before the change
   * keeps each one's row id with it, and deletes the rows of the partitions that changed by it (model-runner.ts).
   * `allBut(c)` selects every column of such a table but `c`. PostgreSQL deletes by the partition's index instead.
   */
  rowIds?: { column: string; allBut(column: string): string };
  /**
   * A 64-bit hash of a key's values, where the engine counts distinct hashes faster than it groups the values
   * themselves (DuckDB: at 10M order lines, `fact_session`'s 12M session ids 2.1 → 1.3 s). A uniqueness test then
   * first compares the rows with their distinct hashes: as many proves every key distinct (equal keys hash alike),
   * and only fewer (a duplicate, or two keys of one hash) sends it to group the values. Unset: it groups them.
   */
  keyHash?(exprs: readonly string[]): string;
  /**
   * Whether a relationship test over a whole table finds its orphans faster with `NOT IN` over the parent's non-null
   * keys than with `NOT EXISTS`, which means the same there. DuckDB plans that `NOT EXISTS` as a join of the distinct
   * child keys first (at 10M order lines, `fact_order`'s customers 1.0–1.3 s against 0.4–0.5 s); PostgreSQL plans
   * `NOT IN` as a hashed lookup only when the parent's keys fit in its working memory, and row by row when not.
   */
  antiJoinByNotIn?: boolean;
  /** A statement that serialises bootstraps of several processes inside a transaction, if the engine needs it. */
  bootstrapLock?: string;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
