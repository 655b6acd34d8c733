// The JSON Schema editors use (mappings/mapping.schema.json) is the one the loader validates with, the shipped
// mappings pass it, and the loader's messages for schema mistakes name the line and say what was expected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENTITIES } from '../../../src/contracts/index.js';
import { parseMapping } from '../../../src/ingest/mapping/load-mapping.js';
import { mappingJsonSchema } from '../../../src/ingest/mapping/mapping-schema.js';
import { MAPPINGS_DIR, shippedMappings } from '../../../src/ingest/mapping/shipped-mappings.js';

describe('the mapping JSON Schema', () => {
  it('is the committed file editors point at', () => {
    const committed = JSON.parse(readFileSync(join(MAPPINGS_DIR, 'mapping.schema.json'), 'utf8'));
    expect(committed, 'regenerate with: storepulse mapping schema > mappings/mapping.schema.json').toEqual(mappingJsonSchema());
  });

  it('offers every canonical entity and column', () => {
    const entities = (mappingJsonSchema().properties as Record<string, { properties: Record<string, { properties: { columns: { properties: object } } }> }>).entities.properties;
    expect(Object.keys(entities)).toEqual(ENTITIES.map((e) => e.name));
    expect(Object.keys(entities.orders.properties.columns.properties)).toEqual(Object.keys(ENTITIES.find((e) => e.name === 'orders')!.columns));
  });

  it('accepts the shipped mappings, as a stand-alone validator does', () => {
    expect(shippedMappings()).toEqual(['marketplace', 'shopify']);
    const validate = new Ajv2020({ strict: false }).compile(mappingJsonSchema());
    for (const name of shippedMappings()) {
      const file = join(MAPPINGS_DIR, name, 'mapping.yaml');
      expect(validate(parse(readFileSync(file, 'utf8'))), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(Object.keys(parseMapping(readFileSync(file, 'utf8'), file).entities).length).toBeGreaterThan(3);
    }
  });

  it('says where a mistake is and what was expected', () => {
    const bad = (yaml: string) => () => parseMapping(yaml, 'm.yaml');
    const base = 'name: m\nsources:\n  a: { files: "*.csv" }\nentities:\n  orders:\n    from: a\n';
    expect(bad(`${base}    columns:\n      order_id: { column: id, sql: "x" }\n`)).toThrow(/line 8, key entities\.orders\.columns\.order_id: .*exactly one of column, sql or value/);
    expect(bad(`${base}    columns:\n      order_id: id\n    group_by: []\n`)).toThrow(/line 9, key entities\.orders\.group_by/);
    expect(bad(`${base}    columns: { order_id: id }\n    joins: [{ table: a, on: "x", type: outer }]\n`)).toThrow(/must be one of left, inner/);
    expect(bad(`${base}    columns: { order_id: id }\n  invoices: { from: a, columns: {} }\n`)).toThrow(/line 8, key entities\.invoices: unknown key "invoices".*not a canonical entity/);
    expect(bad(`${base}    columns: { order_id: id }\nviews:\n  a: SELECT 1\n`)).toThrow(/view "a" has the name of a source/);
    expect(bad('name: m\nsources: [\n')).toThrow(/m\.yaml line \d+: not valid YAML or JSON/);
  });
});
