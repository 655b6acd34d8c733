// What a text value must look like to be read as a contract type or format. One list, used by the silver
// SQL checks (regex-guarded casts) and by the JSON Schema of each contract, so both accept the same values.
import type { ColumnType, Format } from './types.js';

// A calendar day: year 0001-9999 (PostgreSQL has no year 0, DuckDB reads it as 1 BC), month 01-12, day 01-31.
// Whether the day exists in its month is checked in SQL beside the pattern (models/silver/iso-text.ts).
const DAY = '([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])';
// A time of day as both engines read it: hours 00-23 (PostgreSQL alone takes 24:00), no leap second
// (DuckDB refuses :60), seconds optional, up to nanoseconds (kept to microseconds).
const TIME = '[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9})?)?';
// An offset after the time (a bare date takes none: ISO 8601 has no zone for a day); PostgreSQL refuses beyond ±15 h.
const OFFSET = ' ?([Zz]|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)';

// Checked before casting so that every engine agrees on what parses (PostgreSQL alone would take 'now', 'NaN'
// or 'Jan 1 2026'; DuckDB would round '2.5' into an integer).
export const TYPE_PATTERNS: Partial<Record<ColumnType, string>> = {
  integer: '[+-]?[0-9]{1,18}',
  money: '[+-]?([0-9]{1,15}([.][0-9]*)?|[.][0-9]+)',
  rate: '[+-]?([0-9]{1,9}([.][0-9]*)?|[.][0-9]+)',
  number: '[+-]?([0-9]{1,15}([.][0-9]*)?|[.][0-9]+)',
  date: DAY,
  timestamp: `${DAY}(${TIME}(${OFFSET})?)?`,
};

export const FORMAT_PATTERNS: Record<Format, { regex: string; what: string }> = {
  email: { regex: '[^@\\s]+@[^@\\s]+\\.[^@\\s]+', what: 'an email address' },
  country: { regex: '[A-Z]{2}', what: 'an ISO 3166-1 alpha-2 country code' },
  currency: { regex: '[A-Z]{3}', what: 'an ISO 4217 currency code' },
};

/** Text accepted as a boolean (compared in lower case). */
export const BOOLEAN_WORDS = { true: ['true', 't', '1', 'yes', 'y'], false: ['false', 'f', '0', 'no', 'n'] } as const;
