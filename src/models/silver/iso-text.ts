// ISO 8601 text that already matches its pattern (contracts/value-patterns.ts), made safe and alike to cast on
// every engine: whether its day exists, and the one spelling both engines parse to the same instant.
// Plain SQL on both engines: no error-trapping function, so PostgreSQL can scan in parallel and pays no
// subtransaction per value (a PL/pgSQL try-cast doubled the cost of conforming orders).

/** TRUE when the YYYY-MM-DD that `t` starts with is a day of its month (February 29 in leap years only). */
export function realDay(t: string): string {
  const day = `substr(${t}, 9, 2)`;
  const year = `CAST(substr(${t}, 1, 4) AS INTEGER)`;
  const leap = `(${year} % 4 = 0 AND (${year} % 100 <> 0 OR ${year} % 400 = 0))`;
  const last = `CASE substr(${t}, 6, 2) WHEN '02' THEN CASE WHEN ${leap} THEN '29' ELSE '28' END
    WHEN '04' THEN '30' WHEN '06' THEN '30' WHEN '09' THEN '30' WHEN '11' THEN '30' ELSE '31' END`;
  return `(${day} <= '28' OR ${day} <= ${last})`;
}

/**
 * The timestamp `t` as both engines read it alike: upper case (RFC 3339's `t` and `z`), seconds present (DuckDB
 * refuses `10:00Z`), at most microseconds (beyond, DuckDB truncates and PostgreSQL rounds), no space before the
 * offset (DuckDB refuses `10:00:00 +02:00`). The canonical spelling never pays for a regular expression.
 */
export function alikeTimestamp(t: string): string {
  const upper = `UPPER(${t})`;
  const withSeconds = `CASE WHEN length(${t}) >= 16 AND substr(${t}, 14, 1) = ':' AND (length(${t}) = 16 OR substr(${t}, 17, 1) <> ':')
    THEN substr(${upper}, 1, 16) || ':00' || substr(${upper}, 17) ELSE ${upper} END`;
  const rare = `regexp_replace(regexp_replace(${withSeconds}, '([.][0-9]{6})[0-9]+', '\\1'), ' ([Z+-])', '\\1')`;
  return `CASE WHEN ${t} LIKE '%.%' OR ${t} LIKE '% %' THEN ${rare} ELSE ${withSeconds} END`;
}
