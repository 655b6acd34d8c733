// DuckDB reads the canonical spelling of a day or an instant without the pattern's regular expression
// (Dialect.canonicalTime). The shortcut must read every text exactly as the pattern's path does: the same
// instant, or null for the same texts. Compared over the canonical texts with one or two characters changed.
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { Column } from '../../src/contracts/index.js';
import { typed } from '../../src/models/silver/conform.js';
import { duckdbDialect } from '../../src/warehouse/duckdb/duckdb-dialect.js';

const ODD = [' ', '+', '-', '.', ':', 'T', 't', 'Z', 'a', '0', '1', '2', '3', '5', '9', '/'];

/** `base` with one character changed at every position, and two at every pair of positions (from ODD). */
function variants(base: string): string[] {
  const out = new Set<string>([base]);
  const put = (s: string, i: number, c: string) => s.slice(0, i) + c + s.slice(i + 1);
  for (let i = 0; i < base.length; i++) {
    for (const a of ODD) {
      out.add(put(base, i, a));
      for (let j = i + 1; j < base.length; j++) for (const b of ODD) out.add(put(put(base, i, a), j, b));
    }
  }
  return [...out];
}

/** Every year, month, day and time field at its edges, around leap days. */
function edges(withTime: boolean): string[] {
  const out: string[] = [];
  for (const y of ['0000', '0001', '1900', '2000', '2023', '2024', '9999']) {
    for (const m of ['00', '01', '02', '04', '12', '13']) {
      for (const d of ['00', '01', '28', '29', '30', '31', '32']) {
        const day = `${y}-${m}-${d}`;
        if (!withTime) out.push(day);
        else for (const time of ['00:00:00', '23:59:59', '24:00:00', '23:60:00', '23:59:60', '99:99:99']) out.push(`${day}T${time}Z`);
      }
    }
  }
  return out;
}

/** The texts read differently with the shortcut; how many took it, and how many of those it read as a value. */
async function compare(type: 'date' | 'timestamp', texts: readonly string[]): Promise<{ differ: string[]; canonical: number; read: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    await conn.run('CREATE TABLE texts (v__t VARCHAR)');
    const appender = await conn.createAppender('texts');
    for (const t of texts) { appender.appendVarchar(t); appender.endRow(); }
    appender.closeSync();
    const col: Column = { type } as Column;
    const shortcut = typed('v', col, duckdbDialect);
    const pattern = typed('v', col, { ...duckdbDialect, canonicalTime: undefined });
    const differ = (await conn.runAndReadAll(`SELECT v__t FROM texts WHERE (${shortcut}) IS DISTINCT FROM (${pattern})`)).getRows().map((r) => String(r[0]));
    const [[canonical, read]] = (await conn.runAndReadAll(`SELECT COUNT(*), COUNT(${shortcut})
      FROM texts WHERE ${duckdbDialect.canonicalTime!('v__t', type)}`)).getRows();
    return { differ, canonical: Number(canonical), read: Number(read) };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const CASES = [
  { type: 'timestamp' as const, texts: [...variants('2024-02-29T12:34:56Z'), ...variants('1999-12-31T23:59:59Z'), ...edges(true)] },
  { type: 'date' as const, texts: [...variants('2024-02-29'), ...variants('2023-03-01'), ...edges(false)] },
];

describe('the canonical spelling read without the regular expression (DuckDB)', () => {
  it.each(CASES)('reads every $type as the pattern does', async ({ type, texts }) => {
    const { differ, canonical, read } = await compare(type, texts);
    expect(differ).toEqual([]);
    // Both paths are exercised (over a hundred texts take the shortcut, the rest the pattern), and the shortcut both
    // reads values and refuses some (2023-02-29, 23:59:60).
    expect(canonical).toBeGreaterThan(100);
    expect(canonical).toBeLessThan(texts.length);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(canonical);
  });
});
