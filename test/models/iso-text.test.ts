// Dates, timestamps and amounts in the forms a feed sends: every engine must accept the same ones and read them
// as the same instant or amount, and refuse the same ones (as a type reject, never a failed statement).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src/contracts/index.js';
import { conformSelect } from '../../src/models/silver/conform.js';
import { quoteLiteral } from '../../src/warehouse/dialect.js';
import { ENGINES } from '../helpers/engines.js';

/** Text as it arrives → the UTC instant it means, or null when it must be refused. */
const TIMESTAMPS: [string, string | null][] = [
  ['2026-01-01', '2026-01-01 00:00:00'],
  ['2026-01-01T10:00:00Z', '2026-01-01 10:00:00'],
  ['2026-01-01 10:00:00', '2026-01-01 10:00:00'],
  ['2026-01-01T10:00Z', '2026-01-01 10:00:00'],
  ['2026-01-01T10:00 Z', '2026-01-01 10:00:00'],
  ['2026-01-01 10:00', '2026-01-01 10:00:00'],
  ['2026-01-01t10:00:00z', '2026-01-01 10:00:00'],
  ['2026-01-01T10:00:00+0200', '2026-01-01 08:00:00'],
  ['2026-01-01T10:00:00+02:00', '2026-01-01 08:00:00'],
  ['2026-01-01T10:00:00 +02:00', '2026-01-01 08:00:00'],
  ['2026-01-01T10:00:00+05', '2026-01-01 05:00:00'],
  ['2026-01-01T10:00:00-14:00', '2026-01-02 00:00:00'],
  ['2026-01-01T10:00:00.5Z', '2026-01-01 10:00:00.5'],
  ['2026-01-01T10:00:00.123456789Z', '2026-01-01 10:00:00.123456'],
  ['2024-02-29T12:00:00Z', '2024-02-29 12:00:00'],
  ['0001-01-01T00:00:00Z', '0001-01-01 00:00:00'],
  ['2023-02-29T12:00:00Z', null],
  ['2026-04-31', null],
  ['2026-13-01', null],
  ['0000-01-01', null],
  ['2026-01-01T24:00:00Z', null],
  ['2026-01-01T23:59:60Z', null],
  ['2026-01-01T10:00:00+16:00', null],
  ['2026-01-01Z', null],
  ['2026-02-30T25:61:00', null],
  ['31/02/2026', null],
  ['now', null],
];

const DATES: [string, string | null][] = [
  ['2026-01-31', '2026-01-31'],
  ['2000-02-29', '2000-02-29'],
  ['1900-02-29', null],
  ['2026-06-31', null],
  ['2026-1-5', null],
];

/** Amount text → the money it means: read to 6 decimals, then rounded half away from zero to 2. */
const AMOUNTS: [string, string][] = [
  ['7', '7.00'], ['.5', '0.50'], ['+3.1', '3.10'], ['1.23456789', '1.23'],
  ['1.005', '1.01'], ['-1.005', '-1.01'], ['0.125', '0.13'], ['2.675', '2.68'],
  // Read to 6 decimals first: 1.0049996 is 1.005000, which rounds up.
  ['1.0049996', '1.01'], ['1.0049994', '1.00'],
  // Around 10^12, where DuckDB's narrow decimal ends (see castMoney), and the widest the pattern admits.
  ['999999999999.994', '999999999999.99'], ['999999999999.9999999', '1000000000000.00'],
  ['-999999999999.9999999', '-1000000000000.00'], ['123456789012345.994999', '123456789012345.99'],
  ['999999999999999.995', '1000000000000000.00'],
];

const events = ENTITIES.find((e) => e.name === 'events')!;
const fxRates = ENTITIES.find((e) => e.name === 'fx_rates')!;
const orderItems = ENTITIES.find((e) => e.name === 'order_items')!;
const root = mkdtempSync(join(tmpdir(), 'sp-iso-text-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Bronze-shaped rows of one entity, every canonical column as text, with `column` set to each value. */
function source(entity: typeof events, column: string, values: readonly string[]): string {
  const names = Object.keys(entity.columns);
  const rows = values.map((v, i) => `SELECT ${i + 1} AS _line, ${names.map((n) => `${quoteLiteral(n === column ? v : n === 'event_type' ? 'page_view' : n === 'device' ? 'desktop' : n === 'currency' ? 'USD' : n === 'rate_to_base' ? '1.1' : `x${i}`)} AS ${n}`).join(', ')}`);
  return `(SELECT 1 AS _batch_id, _line, 'test' AS _source, CAST('2026-01-01T00:00:00Z' AS TIMESTAMPTZ) AS _ingested_at, ${names.join(', ')} FROM (${rows.join(' UNION ALL ')}) v)`;
}

describe.each(ENGINES)('Dates, times and amounts as text on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);

  it('reads every accepted timestamp as the same UTC instant, and refuses the rest as a type reject', async () => {
    const { wh, drop } = await engine.open(mkdtempSync(join(root, engine.name)));
    try {
      const rows = await wh.all<{ _line: number; event_ts: string | null; _rule: string | null }>(
        `SELECT _line, CAST(event_ts AS VARCHAR) AS event_ts, _rule FROM (${conformSelect(events, source(events, 'event_ts', TIMESTAMPS.map(([t]) => t)), wh.dialect, 'EUR')}) c ORDER BY _line`);
      const read = rows.map((r) => [TIMESTAMPS[Number(r._line) - 1][0], r.event_ts === null ? null : r.event_ts.replace(/\+00(:00)?$/, ''), r._rule]);
      expect(read).toEqual(TIMESTAMPS.map(([t, instant]) => [t, instant, instant === null ? 'type:event_ts' : null]));
    } finally {
      await wh.close();
      await drop();
    }
  });

  it('refuses dates that are no day of their month', async () => {
    const { wh, drop } = await engine.open(mkdtempSync(join(root, `${engine.name}-dates`)));
    try {
      const rows = await wh.all<{ _line: number; rate_date: string | null; _rule: string | null }>(
        `SELECT _line, CAST(rate_date AS VARCHAR) AS rate_date, _rule FROM (${conformSelect(fxRates, source(fxRates, 'rate_date', DATES.map(([t]) => t)), wh.dialect, 'EUR')}) c ORDER BY _line`);
      expect(rows.map((r) => [DATES[Number(r._line) - 1][0], r.rate_date, r._rule]))
        .toEqual(DATES.map(([t, day]) => [t, day, day === null ? 'type:rate_date' : null]));
    } finally {
      await wh.close();
      await drop();
    }
  });

  it('reads every amount to the same cents', async () => {
    const { wh, drop } = await engine.open(mkdtempSync(join(root, `${engine.name}-amounts`)));
    try {
      const rows = await wh.all<{ _line: number; unit_price: string | null }>(
        `SELECT _line, CAST(unit_price AS VARCHAR) AS unit_price FROM (${conformSelect(orderItems, source(orderItems, 'unit_price', AMOUNTS.map(([t]) => t)), wh.dialect, 'EUR')}) c ORDER BY _line`);
      expect(rows.map((r) => [AMOUNTS[Number(r._line) - 1][0], r.unit_price])).toEqual(AMOUNTS);
    } finally {
      await wh.close();
      await drop();
    }
  });
});
