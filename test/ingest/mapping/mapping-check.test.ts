// `storepulse mapping check` and `ingest --mapping` on deliberately broken mappings: each is flagged with a message
// that names the line, the column and what to do, and a mapping that cannot work loads nothing at all.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MappingCheck } from '../../../src/ingest/mapping/check-mapping.js';
import { MAPPINGS_DIR } from '../../../src/ingest/mapping/shipped-mappings.js';
import { storepulse, storepulseJson, tempDir, type TempDir } from '../../helpers/cli.js';

const SHOP = join(MAPPINGS_DIR, 'shopify');
const MARKET = join(MAPPINGS_DIR, 'marketplace');

interface StatusJson { entities: { entity: string; records: number }[] }

describe('mapping check and ingest --mapping', () => {
  let tmp: TempDir;
  beforeAll(() => { tmp = tempDir('sp-mapping-check'); });
  afterAll(() => tmp?.cleanup());

  /** The shipped mapping with one text replaced, written to a temp file. */
  function broken(dir: string, name: string, from: string, to: string): string {
    const text = readFileSync(join(dir, 'mapping.yaml'), 'utf8');
    expect(text, `the shipped mapping has ${from}`).toContain(from);
    const file = join(tmp.path, `${name}.yaml`);
    writeFileSync(file, text.replace(from, to));
    return file;
  }

  const lineOf = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

  it('passes the shipped mapping, counting the records its sample would have rejected', async () => {
    const home = join(tmp.path, 'ok');
    const r = await storepulse(['mapping', 'check', 'shopify', join(SHOP, 'sample'), '--json'], { home });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as MappingCheck;
    expect(report.ok).toBe(true);
    expect(report.rejected).toBe(2);
    const orders = report.entities.find((e) => e.entity === 'orders')!;
    expect(orders.rejects).toEqual([expect.objectContaining({ rule: 'enum:status', records: 1, examples: [expect.objectContaining({ value: 'expired', line: 7, file: 'orders_export_1.csv' })] })]);
  });

  it('flags a required column left unmapped, and ingest refuses the whole mapping', async () => {
    const file = broken(SHOP, 'no-status', '      status:\n        column: Financial Status', '      order_status_word:\n        column: Financial Status');
    // A key the contract does not know is a schema error, with its line.
    const bad = await storepulse(['mapping', 'check', file, join(SHOP, 'sample')], { home: join(tmp.path, 'h1') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('SP_ERR_BAD_MAPPING');
    expect(bad.stderr).toContain(`line ${lineOf(file, 'order_status_word:')}`);
    expect(bad.stderr).toContain('unknown key "order_status_word"');
    expect(bad.stderr).toContain('storepulse contracts orders');

    // The status block of orders left out altogether.
    const unmapped = broken(SHOP, 'unmapped', '      status:\n        column: Financial Status', '      status_gone:');
    writeFileSync(unmapped, readFileSync(unmapped, 'utf8').replace(/      status_gone:\n(        .*\n)+/, ''));
    expect(readFileSync(unmapped, 'utf8')).not.toContain('voided: cancelled');
    const check = await storepulse(['mapping', 'check', unmapped, join(SHOP, 'sample')], { home: join(tmp.path, 'h2') });
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/✗ line \d+, key entities\.orders\.columns: required column status of orders is not mapped/);
    expect(check.stdout).toContain('cannot be loaded as it is');

    const home = join(tmp.path, 'h3');
    const ingest = await storepulse(['ingest', '--mapping', unmapped, join(SHOP, 'sample')], { home });
    expect(ingest.code).toBe(2);
    expect(ingest.stderr).toContain('required column status of orders is not mapped');
    expect(ingest.stderr).toContain('Nothing was loaded');
    const status = await storepulseJson<StatusJson>(['status', '--json'], { home });
    expect(status.entities.reduce((n, e) => n + e.records, 0)).toBe(0);
  });

  it('names the column whose foreign column does not exist, with the candidates', async () => {
    const file = broken(SHOP, 'misspelt', 'order_ts: { column: Created at,', 'order_ts: { column: Created_at,');
    const r = await storepulse(['mapping', 'check', file, join(SHOP, 'sample'), '--json'], { home: join(tmp.path, 'h4') });
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as MappingCheck;
    expect(report.ok).toBe(false);
    const [problem] = report.entities.find((e) => e.entity === 'orders')!.problems;
    expect(problem.where).toBe(`line ${lineOf(file, 'order_ts:')}, key entities.orders.columns.order_ts`);
    expect(problem.message).toContain('"Created_at" not found');
    expect(problem.message).toContain('Created at');
    // The other entities are still checked.
    expect(report.entities.find((e) => e.entity === 'order_items')!.records).toBe(16);
  });

  it('catches a join that would count an order twice (payments not summed per order)', async () => {
    const file = broken(MARKET, 'fan-out', '{ table: order_paid, as: pay, on: pay.order_id = orders.order_id }',
      '{ table: payments, as: pay, on: pay.order_id = orders.order_id }');
    writeFileSync(file, readFileSync(file, 'utf8').replace('GREATEST(pay.paid - coalesce(g.goods, 0), 0)', 'CAST(pay.payment_value AS DECIMAL(18,2))'));
    const args = ['--base-currency', 'BRL'];
    const check = await storepulse([...args, 'mapping', 'check', file, join(MARKET, 'sample')], { home: join(tmp.path, 'h5') });
    expect(check.code).toBe(2);
    // Order o03 was paid in two parts: its row (line 4) would become two orders.
    expect(check.stdout).toContain('✗ line 4 of olist_orders_dataset.csv became 2 records');

    const home = join(tmp.path, 'h6');
    const ingest = await storepulse([...args, 'ingest', '--json', '--mapping', file, join(MARKET, 'sample')], { home });
    expect(ingest.code).toBe(2);
    const outcome = (JSON.parse(ingest.stdout) as { files: { entity: string; status: string; code?: string; reason?: string }[] }).files.find((f) => f.entity === 'orders')!;
    expect(outcome).toMatchObject({ status: 'refused', code: 'SP_ERR_MAPPING_FANOUT' });
    expect(outcome.reason).toContain('line 4 of olist_orders_dataset.csv');
    const status = await storepulseJson<StatusJson>([...args, 'status', '--json'], { home });
    expect(status.entities.find((e) => e.entity === 'orders')!.records).toBe(0);
    expect(status.entities.find((e) => e.entity === 'order_items')!.records).toBe(12);
  });

  it('reports a YAML mistake and a reference to a source that does not exist by line', async () => {
    const flow = join(tmp.path, 'flow.yaml');
    writeFileSync(flow, 'name: x\nsources:\n  a: { files: "*.csv" }\nentities:\n  orders:\n    from: b\n    columns: { order_id: id }\n');
    const r = await storepulse(['mapping', 'check', flow, join(SHOP, 'sample')], { home: join(tmp.path, 'h7') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 6, key entities.orders.from: "b" is not a source of this mapping (it has a)');
  });
});
