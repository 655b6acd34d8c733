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

/**
 * Functions the models need that PostgreSQL 15 lacks (it has no error-free cast before version 16).
 * PARALLEL UNSAFE: the EXCEPTION block opens a subtransaction, which PostgreSQL refuses inside a parallel
 * query (seen on 100k order lines, where the planner starts choosing parallel plans). STABLE, not IMMUTABLE:
 * text without an offset is read in the session's time zone.
 */
export const POSTGRES_FUNCTIONS: readonly string[] = [
  `CREATE OR REPLACE FUNCTION meta.try_timestamptz(t text) RETURNS timestamptz LANGUAGE plpgsql STABLE PARALLEL UNSAFE AS $$
   BEGIN RETURN t::timestamptz; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  `CREATE OR REPLACE FUNCTION meta.try_date(t text) RETURNS date LANGUAGE plpgsql STABLE PARALLEL UNSAFE AS $$
   BEGIN RETURN t::date; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
];

export const postgresDialect: Dialect = {
  type: (t) => TYPES[t],
  tryCast(expr, t) {
    if (t === 'timestamp') return `meta.try_timestamptz(${expr})`;
    if (t === 'date') return `meta.try_date(${expr})`;
    return `CAST(${expr} AS ${TYPES[t]})`;
  },
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
  usesIndexes: true,
  functions: POSTGRES_FUNCTIONS,
  bootstrapLock: 'SELECT pg_advisory_xact_lock(727274000)',
};
