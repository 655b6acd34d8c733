// PostgreSQL column types (as a result's type OID and modifier) in DuckDB's names, for rows that leave the server
// as CSV and are read back typed. What is not listed is read as text.
const BY_OID: Record<number, string> = {
  16: 'BOOLEAN', 20: 'BIGINT', 21: 'SMALLINT', 23: 'INTEGER', 700: 'FLOAT', 701: 'DOUBLE',
  1082: 'DATE', 1114: 'TIMESTAMP', 1184: 'TIMESTAMP WITH TIME ZONE',
};
const NUMERIC = 1700;

export function duckdbTypeOf(oid: number, modifier: number): string {
  if (oid !== NUMERIC) return BY_OID[oid] ?? 'VARCHAR';
  // numeric(p, s) carries ((p << 16) | s) + 4; an unconstrained numeric (a SUM, say) is read as the exact money type.
  if (modifier < 4) return 'DECIMAL(38,12)';
  const precision = ((modifier - 4) >> 16) & 0xffff;
  const scale = (modifier - 4) & 0xffff;
  return precision <= 38 ? `DECIMAL(${precision},${scale})` : 'DOUBLE';
}
