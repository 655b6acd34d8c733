// What a text value must look like to be read as a contract type or format. One list, used by the silver
// SQL checks (regex-guarded casts) and by the JSON Schema of each contract, so both accept the same values.
import type { ColumnType, Format } from './types.js';

// Checked before casting so that every engine agrees on what parses (PostgreSQL alone would take 'now', 'NaN'
// or 'Jan 1 2026'; DuckDB would round '2.5' into an integer).
export const TYPE_PATTERNS: Partial<Record<ColumnType, string>> = {
  integer: '[+-]?[0-9]{1,18}',
  money: '[+-]?([0-9]{1,15}([.][0-9]*)?|[.][0-9]+)',
  rate: '[+-]?([0-9]{1,9}([.][0-9]*)?|[.][0-9]+)',
  number: '[+-]?([0-9]{1,15}([.][0-9]*)?|[.][0-9]+)',
  date: '[0-9]{4}-[0-9]{2}-[0-9]{2}',
  timestamp: '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?)? ?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?',
};

export const FORMAT_PATTERNS: Record<Format, { regex: string; what: string }> = {
  email: { regex: '[^@\\s]+@[^@\\s]+\\.[^@\\s]+', what: 'an email address' },
  country: { regex: '[A-Z]{2}', what: 'an ISO 3166-1 alpha-2 country code' },
  currency: { regex: '[A-Z]{3}', what: 'an ISO 4217 currency code' },
};

/** Text accepted as a boolean (compared in lower case). */
export const BOOLEAN_WORDS = { true: ['true', 't', '1', 'yes', 'y'], false: ['false', 'f', '0', 'no', 'n'] } as const;
