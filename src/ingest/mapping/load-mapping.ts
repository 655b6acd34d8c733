// Reads a mapping file (YAML or JSON), validates it against its JSON Schema and checks what a schema cannot
// (names that must refer to a source or view, views that shadow sources). Every mistake names its line and key.
import { Errors } from '../../errors/catalogue.js';
import { configValidator } from '../../home/config-schema.js';
import { locate, parseYaml, readConfigText } from '../../home/yaml-location.js';
import { mappingJsonSchema } from './mapping-schema.js';
import type { ColumnMapping, EntityMapping, Mapping, MappingSource } from './mapping-types.js';

const validate = configValidator(mappingJsonSchema, {
  unknownKey: (path, key) => path.length === 3 && path[2] === 'columns' ? ` (not a column of ${path[1]}; \`storepulse contracts ${path[1]}\` lists them)`
    : path.length === 1 && path[0] === 'entities' ? ' (not a canonical entity; `storepulse contracts` lists them)' : '',
  oneOf: (path) => path.includes('columns') ? `"${path.join('.')}" must be a column name or an object with exactly one of column, sql or value` : undefined,
});

function columnOf(spec: string | ColumnMapping): ColumnMapping {
  return typeof spec === 'string' ? { column: spec } : spec;
}

export function parseMapping(text: string, file: string): Mapping {
  const { doc, lines, syntaxError } = parseYaml(text);
  if (syntaxError) throw Errors.badMapping(file, `line ${syntaxError.line}`, `not valid YAML or JSON (${syntaxError.message})`);
  const where = (path: readonly (string | number)[]) => locate(doc, lines, path);
  const raw: unknown = doc.toJS();
  const invalid = validate(raw);
  if (invalid) throw Errors.badMapping(file, where(invalid.path), invalid.problem);
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
