// `storepulse erase`: a right-to-be-forgotten request from the command line, on a warehouse built from files. It
// prints the audit record, lists it afterwards, names the source file that still holds the records outside the
// warehouse, and leaves the KPIs as they were.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS, item, order, writeCsv } from '../helpers/fixtures.js';
import { storepulse, storepulseJson, tempDir } from '../helpers/cli.js';

describe('storepulse erase', () => {
  const home = tempDir('sp-erase');
  const data = join(home.path, 'feed');
  beforeAll(async () => {
    writeCsv(join(data, 'customers.csv'), HEADERS.customers, [
      { customer_id: 'C1', email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', country: 'DE', city: 'Berlin', signup_at: '2025-01-01T00:00:00Z' },
      { customer_id: 'C2', email: 'grace@example.com', first_name: 'Grace', country: 'US', signup_at: '2025-01-01T00:00:00Z' },
    ]);
    writeCsv(join(data, 'orders.csv'), HEADERS.orders, [order('O1', { customer_id: 'C1' }), order('O2', { customer_id: 'C2' })]);
    writeCsv(join(data, 'order_items.csv'), HEADERS.order_items, [item('O1', 1), item('O2', 1, { quantity: 2 })]);
    expect((await storepulse(['ingest', data], { home: home.path })).code).toBe(0);
    expect((await storepulse(['run', '--quiet'], { home: home.path })).code).toBe(0);
  });
  afterAll(() => home.cleanup());

  it('clears the customer, prints and keeps the audit, names the source file, and keeps the KPIs', async () => {
    const before = await storepulseJson<{ kpis: Record<string, number> }>(['kpis', '--json'], { home: home.path });
    const erasure = await storepulseJson<{ erasure_id: number; customer_id: string; reason: string; cleared: Record<string, number>; files_outside: string[] }>(
      ['erase', '--customer', 'C1', '--reason', 'ticket 7', '--requested-by', 'dpo', '--json'], { home: home.path });
    expect(erasure).toMatchObject({ erasure_id: 1, customer_id: 'C1', reason: 'ticket 7', files_outside: [join(data, 'customers.csv')] });
    expect(erasure.cleared).toMatchObject({ 'bronze.customers': 1, 'silver.customers': 1, 'gold.dim_customer': 1 });
    expect(await storepulseJson(['kpis', '--json'], { home: home.path })).toEqual(before);
    const list = await storepulseJson<{ customer_id: string; requested_by: string }[]>(['erase', '--list', '--json'], { home: home.path });
    expect(list).toEqual([expect.objectContaining({ customer_id: 'C1', requested_by: 'dpo' })]);
    const human = await storepulse(['erase', '--customer', 'C2'], { home: home.path });
    expect(human.stdout).toMatch(/Erasure 2: personal data of customer C2 cleared/);
    expect(human.stdout).toMatch(/still hold the customer's records outside the warehouse/);
    const none = await storepulse(['erase'], { home: home.path });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--customer: expected the customer_id to erase/);
  });
});
