// Reads a mapping file (YAML or JSON), validates it against its JSON Schema and checks what a schema cannot
// (names that must refer to a source or view, views that shadow sources). Every mistake names its line and key.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { Errors } from '../../errors/catalogue.js';
import { locate, parseYaml, readConfigText } from '../../home/yaml-location.js';
import { mappingJsonSchema } from './mapping-schema.js';
import type { ColumnMapping, EntityMapping, Mapping, MappingSource } from './mapping-types.js';

let validator: ReturnType<Ajv2020['compile']> | undefined;

function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(mappingJsonSchema());
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

/** The most useful of ajv's errors: the deepest path, and of those not the generic oneOf summaries. */
function describe(errors: ErrorObject[]): { path: string[]; problem: string } {
  const depth = (e: ErrorObject) => e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 1 : 0);
  const rank = (e: ErrorObject) => (e.keyword === 'type' ? 2 : e.keyword === 'oneOf' ? 1 : 0);
  const best = [...errors].sort((a, b) => depth(b) - depth(a) || rank(a) - rank(b))[0];
  const path = best.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const at = path.length ? `"${path.join('.')}"` : 'the mapping';
  const p = best.params as Record<string, unknown>;
  switch (best.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const parent = path[path.length - 1];
      const hint = path.length === 3 && path[2] === 'columns' ? ` (not a column of ${path[1]}; \`storepulse contracts ${path[1]}\` lists them)`
        : path.length === 1 && parent === 'entities' ? ' (not a canonical entity; `storepulse contracts` lists them)' : '';
      return { path: [...path, key], problem: `unknown key "${key}" in ${at}${hint}` };
    }
    case 'required': return { path, problem: `${at} needs "${String(p.missingProperty)}"` };
    case 'enum': return { path, problem: `${at} must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'pattern': return { path, problem: `${at} must be a lower-case name (letters, digits, _)` };
    case 'oneOf':
      return { path, problem: path.includes('columns') ? `${at} must be a column name or an object with exactly one of column, sql or value` : `${at} ${best.message}` };
    default: return { path, problem: `${at} ${best.message}` };
  }
}

function columnOf(spec: string | ColumnMapping): ColumnMapping {
  return typeof spec === 'string' ? { column: spec } : spec;
}

export function parseMapping(text: string, file: string): Mapping {
  const { doc, lines, syntaxError } = parseYaml(text);
  if (syntaxError) throw Errors.badMapping(file, `line ${syntaxError.line}`, `not valid YAML or JSON (${syntaxError.message})`);
  const where = (path: readonly (string | number)[]) => locate(doc, lines, path);
  const raw: unknown = doc.toJS();
  const errors = validate(raw);
  if (errors.length > 0) {
    const { path, problem } = describe(errors);
    throw Errors.badMapping(file, where(path), problem);
  }
  const m = raw as {
    name: string; description?: string; sources: Record<string, { files: string | string[]; format?: MappingSource['format'] }>;
    views?: Record<string, string>; entities: Record<string, Omit<EntityMapping, 'columns'> & { columns: Record<string, string | ColumnMapping> }>;
  };
  const sources: Record<string, MappingSource> = {};
  for (const [name, s] of Object.entries(m.sources)) sources[name] = { files: Array.isArray(s.files) ? s.files : [s.files], format: s.format };
  const views = m.views ?? {};
  const known = new Set(Object.keys(sources));
  for (const name of Object.keys(views)) {
    if (known.has(name)) throw Errors.badMapping(file, where(['views', name]), `view "${name}" has the name of a source; give it another name`);
    known.add(name);
  }
  const tables = [...known].join(', ');
  const entities: Record<string, EntityMapping> = {};
  for (const [entity, e] of Object.entries(m.entities)) {
    if (!sources[e.from]) {
      throw Errors.badMapping(file, where(['entities', entity, 'from']), `"${e.from}" is not a source of this mapping (it has ${Object.keys(sources).join(', ')}); ` +
        'from names a source, each of whose files lands as one batch (views can be joined)');
    }
    for (const [i, j] of (e.joins ?? []).entries()) {
      if (!known.has(j.table)) throw Errors.badMapping(file, where(['entities', entity, 'joins', i, 'table']), `"${j.table}" is not a source or view of this mapping (it has ${tables})`);
    }
    const columns: Record<string, ColumnMapping> = {};
    for (const [c, spec] of Object.entries(e.columns)) columns[c] = columnOf(spec);
    entities[entity] = { ...e, columns };
  }
  return { name: m.name, description: m.description, file, sources, views, entities, locate: where };
}

export function loadMapping(file: string): Mapping {
  return parseMapping(readConfigText(file, (problem) => Errors.badMapping(file, '', problem)), file);
}
