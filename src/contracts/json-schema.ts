// The JSON Schema (draft 2020-12) of each contract, derived from the same definition as the silver checks:
// what a record may look like when a source sends it. Values may arrive as text (CSV, most feeds) or as JSON
// numbers and booleans; text must have the shape the type needs. Cross-field rules and ranges on text values
// are checked by silver (and listed under x-storepulse-rules), not here. The schema states the canonical
// spelling (lower-case enum values and booleans, upper-case codes); silver also accepts other cases and
// surrounding spaces.
import type { Column, EntityContract } from './types.js';
import { BOOLEAN_WORDS, FORMAT_PATTERNS, TYPE_PATTERNS } from './value-patterns.js';

export type JsonSchema = Record<string, unknown>;

const JSON_TYPE: Partial<Record<Column['type'], string>> = { integer: 'integer', money: 'number', rate: 'number', number: 'number', boolean: 'boolean' };

function bounds(col: Column): JsonSchema {
  const out: JsonSchema = {};
  if (col.min !== undefined) out.minimum = col.min;
  if (col.max !== undefined) out.maximum = col.max;
  if (col.greaterThan !== undefined) out.exclusiveMinimum = col.greaterThan;
  return out;
}

function textShape(col: Column): JsonSchema {
  if (col.enum) return { type: 'string', enum: [...col.enum] };
  if (col.format) return { type: 'string', pattern: `^(?:${FORMAT_PATTERNS[col.format].regex})$` };
  if (col.type === 'boolean') return { type: 'string', enum: [...BOOLEAN_WORDS.true, ...BOOLEAN_WORDS.false] };
  const pattern = TYPE_PATTERNS[col.type];
  return pattern ? { type: 'string', pattern: `^(?:${pattern})$` } : { type: 'string' };
}

export function columnSchema(col: Column): JsonSchema {
  const branches: JsonSchema[] = [textShape(col)];
  const jsonType = JSON_TYPE[col.type];
  if (jsonType) branches.push({ type: jsonType, ...(jsonType === 'boolean' ? {} : bounds(col)) });
  if (!col.required) branches.push({ type: 'null' });
  const schema: JsonSchema = branches.length === 1 ? branches[0] : { anyOf: branches };
  if (col.description) schema.description = col.description;
  if (col.default !== undefined) schema.default = col.default;
  return schema;
}

export function contractJsonSchema(entity: EntityContract): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, col] of Object.entries(entity.columns)) properties[name] = columnSchema(col);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:storepulse:contract:${entity.name}`,
    title: entity.name,
    description: entity.description,
    type: 'object',
    properties,
    required: Object.entries(entity.columns).filter(([, c]) => c.required).map(([n]) => n),
    // Unknown columns are kept in bronze and ignored downstream: schema drift never breaks a load.
    additionalProperties: true,
    'x-storepulse-key': [...entity.key],
    'x-storepulse-rules': (entity.rules ?? []).map((r) => ({ name: r.name, description: r.description })),
  };
}
