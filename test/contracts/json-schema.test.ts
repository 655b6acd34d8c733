// The JSON Schema derived from each contract accepts every record of a clean generated data set (as text, the
// way CSV delivers it, and as typed JSON) and refuses what the contract refuses at the shape level.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES, getEntity } from '../../src/contracts/index.js';
import { contractJsonSchema } from '../../src/contracts/json-schema.js';
import { generate } from '../../src/generate/index.js';
import { tempDir } from '../helpers/cli.js';

const tmp = tempDir('sp-json-schema');
afterAll(() => tmp.cleanup());

/** The generated CSV as objects; an empty field is absent, as ingest reads it. */
function records(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  // No generated value holds a comma, so a plain split is exact here.
  return lines.map((line) => {
    const values = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, values[i]]).filter(([, v]) => v !== ''));
  });
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
const validator = (entity: string) => ajv.getSchema(`urn:storepulse:contract:${entity}`) ?? ajv.compile(contractJsonSchema(getEntity(entity)!));

describe('contract JSON Schemas', () => {
  const dir = join(tmp.path, 'data');
  beforeAll(async () => {
    await generate({ out: dir, seed: 2, days: 10, orders: 400 });
  });

  it('accept every record of a clean data set, for all ten entities', () => {
    for (const entity of ENTITIES) {
      const validate = validator(entity.name);
      const rows = records(join(dir, `${entity.name}.csv`));
      expect(rows.length, entity.name).toBeGreaterThan(0);
      const failures = rows.filter((r) => !validate(r)).slice(0, 3).map((r) => ({ r, errors: validate.errors }));
      expect(failures, entity.name).toEqual([]);
    }
  });

  it('accept typed JSON values and enforce ranges on them', () => {
    const validate = validator('order_items');
    const line = { order_id: 'O1', line_number: 1, product_id: 'P1', quantity: 2, unit_price: 9.99, discount_amount: 0 };
    expect(validate(line)).toBe(true);
    expect(validate({ ...line, quantity: 0 })).toBe(false);
    expect(validate({ ...line, unit_price: -1 })).toBe(false);
    expect(validate({ ...line, quantity: 1.5 })).toBe(false);
    expect(validate({ ...line, gift_wrap: true }), 'unknown columns are allowed').toBe(true);
  });

  it('refuse missing required fields, unknown enum values and text that is not a date, number or code', () => {
    const orders = validator('orders');
    const order = { order_id: 'O1', customer_id: 'C1', order_ts: '2026-01-05T10:00:00Z', channel: 'web', country: 'DE', currency: 'EUR', status: 'paid' };
    expect(orders(order)).toBe(true);
    const { customer_id: _dropped, ...missing } = order;
    expect(orders(missing)).toBe(false);
    expect(orders({ ...order, channel: 'fax' })).toBe(false);
    expect(orders({ ...order, order_ts: 'last tuesday' })).toBe(false);
    expect(orders({ ...order, currency: 'euro' })).toBe(false);
    expect(orders({ ...order, shipping_amount: 'twelve' })).toBe(false);
    expect(orders({ ...order, shipping_amount: null }), 'optional fields may be null').toBe(true);
    expect(orders({ ...order, status: null }), 'required fields may not').toBe(false);
  });
});
