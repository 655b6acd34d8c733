import { quoteLiteral, type Dialect, type SqlType } from '../dialect.js';

const TYPES: Record<SqlType, string> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  date: 'DATE',
  money: 'DECIMAL(18,2)',
  rate: 'DECIMAL(20,10)',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  exact: 'DECIMAL(38,12)',
};

const DIGITS = (n: number) => '[0-9]'.repeat(n);
const CANONICAL_DAY = `${DIGITS(4)}-${DIGITS(2)}-${DIGITS(2)}`;

export const duckdbDialect: Dialect = {
  type: (t) => TYPES[t],
  // TRY_CAST costs nothing more here, and keeps an edge case the checks missed a reject, not a failed run.
  castTime: (expr, t) => `TRY_CAST(${expr} AS ${TYPES[t]})`,
  // Text read as a 24-digit decimal costs DuckDB about 1 µs (a 128-bit integer), 60× an 18-digit one: the narrow
  // cast serves every amount below 10^12 and the wide one, tried only when it overflows, the rest. Same values.
  castMoney: (expr) => `COALESCE(CAST(ROUND(TRY_CAST(${expr} AS DECIMAL(18,6)), 2) AS DECIMAL(18,2)), CAST(ROUND(CAST(${expr} AS DECIMAL(24,6)), 2) AS DECIMAL(18,2)))`,
  // A glob costs DuckDB about a third of the pattern's regular expression (0.6 against 1.9 s for the whole check of
  // 10M instants): what feeds send is read at half the cost (bench/findings.md, finding 40). A glob alone is not
  // enough: DuckDB reads year 0000 as 1 BC, and 24:00:00 as the next midnight.
  canonicalTime: (expr, t) => t === 'date'
    ? `(${expr} GLOB '${CANONICAL_DAY}' AND ${expr} NOT LIKE '0000%')`
    : `(${expr} GLOB '${CANONICAL_DAY}T${DIGITS(2)}:${DIGITS(2)}:${DIGITS(2)}Z' AND ${expr} NOT LIKE '0000%' AND ${expr} NOT LIKE '___________24%')`,
  fullMatch: (expr, regex) => `regexp_full_match(${expr}, ${quoteLiteral(regex)})`,
  jsonObject: (pairs) => `CAST(json_object(${pairs.map(([k, v]) => `${quoteLiteral(k)}, ${v}`).join(', ')}) AS VARCHAR)`,
  // Not json_merge_patch: as a JSON merge patch it deletes keys whose value is null, and an empty extra column
  // must stay in the raw record as it arrived. The keys of the two objects never overlap (extras are by
  // definition not canonical columns), so splicing the serialised objects is exact.
  jsonMerge: (a, b) => `(CASE WHEN ${b} IS NULL OR ${b} = '{}' THEN ${a} WHEN ${a} = '{}' THEN ${b}
    ELSE substr(${a}, 1, length(${a}) - 1) || ',' || substr(${b}, 2) END)`,
  jsonText: (expr, key) => `json_extract_string(${expr}, ${quoteLiteral('$.' + key)})`,
  epochSeconds: (expr) => `CAST(epoch(${expr}) AS DOUBLE)`,
  // An ordered first: over the 5.7M events of 1.2M sessions 0.78 s, where arg_min over a row key took 1.1–1.3 s
  // (DuckDB compares row keys through generic sort keys) and an ordered array_agg 3× that.
  firstNonNull: (value, orderBy) => `first(${value} ORDER BY ${orderBy}) FILTER (WHERE ${value} IS NOT NULL)`,
  hashPart: (expr, parts) => `(hash(${expr}) % ${parts})`,
  setSessionValue: (name) => `SET VARIABLE sp_${name} = $1`,
  sessionValue: (name) => `getvariable('sp_${name}')`,
  hmacSha256Hex: (value, inner, outer) => `sha256(unhex(${outer}) || unhex(sha256(unhex(${inner}) || encode(${value}))))`,
  sessionSetup: ["SET TimeZone = 'UTC'"],
  subqueryFence: '',
  bronzeIndexes: () => [],
  usesIndexes: false,
  conformAgainFromRows: 122_880,
  buildsApart: true,
  rowIds: { column: 'rowid', allBut: (column) => `* EXCLUDE (${column})` },
  keyHash: (exprs) => `hash(${exprs.join(', ')})`,
  antiJoinByNotIn: true,
  functions: [],
};
