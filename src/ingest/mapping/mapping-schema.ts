// The JSON Schema of a mapping file (draft 2020-12), derived from the contracts so that an editor offers the
// canonical entity and column names. The same schema validates every mapping before it is used.
import { ENTITIES } from '../../contracts/index.js';
import type { JsonSchema } from '../../contracts/json-schema.js';

const NAME = '^[a-z_][a-z0-9_]*$';
const NAME_WORDS = 'a lower-case name (letters, digits and _, not starting with a digit)';
const CONSTANT = { type: ['string', 'number', 'boolean', 'null'] };

const columnMapping: JsonSchema = {
  description: 'A foreign column name, or an object with exactly one of column, sql or value (then optionally map/otherwise and format/timezone).',
  oneOf: [
    { type: 'string', minLength: 1, description: 'A column of the entity\'s tables, by its own name.' },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        column: { type: 'string', minLength: 1, description: 'A column of the entity\'s tables, by its own name.' },
        sql: { type: 'string', minLength: 1, description: 'A DuckDB SQL expression over the entity\'s tables (CSV columns are text: CAST before arithmetic).' },
        value: { ...CONSTANT, description: 'A constant, e.g. the currency of a single-currency shop.' },
        map: { type: 'object', additionalProperties: CONSTANT, description: 'Foreign values (matched ignoring case and surrounding spaces) to canonical ones.' },
        otherwise: { ...CONSTANT, description: 'What a value not in map becomes; absent: it is kept (and rejected by silver if not allowed).' },
        format: { type: 'string', minLength: 1, description: 'strptime format of a foreign date or time, e.g. "%d/%m/%Y %H:%M" or "%Y-%m-%d %H:%M:%S %z".' },
        timezone: { type: 'string', minLength: 1, description: 'IANA time zone of foreign times without an offset, e.g. "America/Sao_Paulo" (default UTC).' },
      },
      oneOf: [{ required: ['column'] }, { required: ['sql'] }, { required: ['value'] }],
    },
  ],
};

function entitySchema(columns: string[], description: string): JsonSchema {
  return {
    type: 'object',
    description,
    additionalProperties: false,
    required: ['from', 'columns'],
    properties: {
      from: { type: 'string', pattern: NAME, 'x-expected': NAME_WORDS, description: 'The source or view whose rows become records; each of its files lands as one batch.' },
      joins: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['table', 'on'],
          properties: {
            table: { type: 'string', pattern: NAME, 'x-expected': NAME_WORDS, description: 'A source or view name.' },
            as: { type: 'string', pattern: NAME, 'x-expected': NAME_WORDS, description: 'Alias in SQL (default: the table name).' },
            on: { type: 'string', minLength: 1, description: 'Join condition in SQL.' },
            type: { enum: ['left', 'inner'], description: 'left (default) keeps every row of from.' },
          },
        },
      },
      where: { type: 'string', minLength: 1, description: 'SQL condition: only rows for which it holds become records.' },
      group_by: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'One record per distinct value of these expressions; plain column mappings take the first non-empty value in file order.' },
      columns: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(columns.map((c) => [c, columnMapping])),
        description: 'Canonical column → how it is made.',
      },
    },
  };
}

export function mappingJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:storepulse:mapping',
    title: 'StorePulse source mapping',
    description: 'Turns a foreign data set (a shop platform export, a marketplace\'s tables) into StorePulse\'s canonical entities.',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'sources', 'entities'],
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$', 'x-expected': 'a lower-case name (letters, digits, _ . -)', description: 'Short name, kept with every record it lands.' },
      description: { type: 'string' },
      sources: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: NAME, 'x-expected': NAME_WORDS },
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          required: ['files'],
          properties: {
            files: {
              description: 'Glob pattern(s) matched against file names (or paths below the folder given to ingest), e.g. "orders_export*.csv".',
              oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }],
            },
            format: { enum: ['csv', 'ndjson', 'json', 'parquet'] },
          },
        },
      },
      views: {
        type: 'object',
        propertyNames: { pattern: NAME, 'x-expected': NAME_WORDS },
        additionalProperties: { type: 'string', minLength: 1 },
        description: 'Named DuckDB SQL queries over sources and earlier views (e.g. payments summed per order).',
      },
      entities: {
        type: 'object',
        minProperties: 1,
        additionalProperties: false,
        properties: Object.fromEntries(ENTITIES.map((e) => [e.name, entitySchema(Object.keys(e.columns), e.description)])),
      },
    },
  };
}
