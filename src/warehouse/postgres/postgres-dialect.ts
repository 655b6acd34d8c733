import { quoteLiteral, type Dialect, type SqlType } from '../dialect.js';

const TYPES: Record<SqlType, string> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  date: 'DATE',
  money: 'NUMERIC(18,2)',
  rate: 'NUMERIC(20,10)',
  integer: 'BIGINT',
  number: 'DOUBLE PRECISION',
  boolean: 'BOOLEAN',
  exact: 'NUMERIC(38,12)',
};

export const postgresDialect: Dialect = {
  type: (t) => TYPES[t],
  castTime: (expr, t) => `CAST(${expr} AS ${TYPES[t]})`,
  castMoney: (expr) => `ROUND(CAST(${expr} AS DECIMAL(24,6)), 2)`,
  fullMatch: (expr, regex) => `(${expr} ~ ${quoteLiteral(`^(?:${regex})$`)})`,
  jsonObject: (pairs) => `CAST(json_build_object(${pairs.map(([k, v]) => `${quoteLiteral(k)}, ${v}`).join(', ')}) AS VARCHAR)`,
  jsonMerge: (a, b) => `CAST(CAST(${a} AS JSONB) || CAST(COALESCE(${b}, '{}') AS JSONB) AS VARCHAR)`,
  jsonText: (expr, key) => `(CAST(${expr} AS JSON) ->> ${quoteLiteral(key)})`,
  epochSeconds: (expr) => `CAST(EXTRACT(EPOCH FROM ${expr}) AS DOUBLE PRECISION)`,
  firstNonNull: (value, orderBy) => `(array_agg(${value} ORDER BY ${orderBy}) FILTER (WHERE ${value} IS NOT NULL))[1]`,
  // Local to the transaction: a pooled connection keeps nothing of it for its next user.
  setSessionValue: (name) => `SELECT set_config('storepulse.${name}', $1, true)`,
  sessionValue: (name) => `current_setting('storepulse.${name}')`,
  hmacSha256Hex: (value, inner, outer) =>
    `encode(sha256(decode(${outer}, 'hex') || sha256(decode(${inner}, 'hex') || convert_to(${value}, 'UTF8'))), 'hex')`,
  sessionSetup: ["SET TIME ZONE 'UTC'"],
  subqueryFence: ' OFFSET 0',
  analyze: (table) => `ANALYZE ${table}`,
  // Batches land in order, so a block-range index on the batch id is tiny, costs a landing almost nothing, and
  // turns a micro-batch's read of bronze (its batches, the records waiting in earlier ones) into a few blocks.
  bronzeIndexes: (table, name) => [`CREATE INDEX IF NOT EXISTS ${name}_batch_brin ON ${table} USING brin (_batch_id)`],
  usesIndexes: true,
  functions: [],
  bootstrapLock: 'SELECT pg_advisory_xact_lock(727274000)',
};
