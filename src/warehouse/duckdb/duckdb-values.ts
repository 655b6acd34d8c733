// Turns DuckDB's JS values into plain JSON-friendly ones: bigint → number, Date → ISO string.
import type { Row } from '../engine.js';

function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const v = value as { toDouble?: () => number; toString(): string };
    if (typeof v.toDouble === 'function') return v.toDouble();
    const out: Row = {};
    for (const [k, x] of Object.entries(value)) out[k] = plain(x);
    return out;
  }
  return value;
}

export function toPlainRows(rows: Record<string, unknown>[]): Row[] {
  return rows.map((r) => {
    const out: Row = {};
    for (const k in r) out[k] = plain(r[k]);
    return out;
  });
}
