// `storepulse quality` (table, --json, filters, --help, bad options) and `storepulse run --log-json`.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scorecard } from '../../src/quality/scorecard.js';
import { storepulse, storepulseJson, tempDir, type TempDir } from '../helpers/cli.js';
import { HEADERS, item, order, writeCsv } from '../helpers/fixtures.js';

describe('storepulse quality and run --log-json', () => {
  let dir: TempDir;
  let home: string;
  let runLog: { stderr: string; stdout: string; code: number };
  beforeAll(async () => {
    dir = tempDir('sp-quality-cli');
    home = join(dir.path, 'home');
    const data = join(dir.path, 'data');
    writeCsv(join(data, 'orders.csv'), HEADERS.orders, [order('O1'), order('O1'), order('O2', { customer_id: '' }), order('O3', { channel: 'fax' })]);
    writeCsv(join(data, 'order_items.csv'), HEADERS.order_items, [item('O1', 1), item('O7', 1)]);
    expect((await storepulse(['ingest', data, '--quiet'], { home })).code).toBe(0);
    runLog = await storepulse(['run', '--log-json'], { home, env: { STOREPULSE_LOG_LEVEL: 'debug' } });
  }, 60_000);
  afterAll(() => dir?.cleanup());

  it('run --log-json writes pino lines, every one with the run_id, and keeps stdout for the summary', () => {
    expect(runLog.code, runLog.stderr).toBe(0);
    expect(runLog.stdout).toMatch(/^Run 1 succeeded/);
    const lines = runLog.stderr.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; run_id?: number; level: number });
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.filter((l) => l.run_id !== 1)).toEqual([]);
    expect(lines[0].msg).toBe('run started');
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining([
      'step finished', 'run succeeded', expect.stringMatching(/^silver\.orders: 4 read, 2 accepted .*2 rejected/),
    ]));
  });

  it('prints pass rates per entity and dimension, and the failures by rule', async () => {
    const r = await storepulse(['quality'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Pass rates, records ingested in \[\d{4}-\d{2}-\d{2}, \d{4}-\d{2}-\d{2}\)/);
    expect(r.stdout).toMatch(/entity\s+completeness\s+validity\s+uniqueness\s+referential_integrity/);
    // Orders: 4 judged, one missing customer, one bad channel; of the 2 valid, one repeats O1.
    expect(r.stdout).toMatch(/^orders\s+75\.00 %\s+75\.00 %\s+50\.00 %\s+100\.00 %$/m);
    expect(r.stdout).toMatch(/^order_items\s+100\.00 %\s+100\.00 %\s+100\.00 %\s+50\.00 %$/m);
    expect(r.stdout).toMatch(/^orders\s+completeness\s+required:customer_id\s+1$/m);
    expect(r.stdout).toMatch(/^order_items\s+referential_integrity\s+pending:awaiting_order\s+1$/m);
  });

  it('answers --json, --entity, --from and --to, and refuses bad options with exit code 2', async () => {
    const all = await storepulseJson<Scorecard>(['quality', '--json'], { home });
    expect(all.entities.find((e) => e.entity === 'orders' && e.dimension === 'uniqueness')).toMatchObject({ checked: 2, failed: 1, pass_rate: 0.5 });
    const one = await storepulseJson<Scorecard>(['quality', '--json', '--entity', 'order_items', '--from', all.from!, '--to', all.to!], { home });
    expect(one).toMatchObject({ entity: 'order_items', from: all.from, to: all.to });
    expect(new Set(one.entities.map((e) => e.entity))).toEqual(new Set(['order_items']));
    const empty = await storepulse(['quality', '--from', '2020-01-01', '--to', '2020-01-02'], { home });
    expect(empty.stdout).toMatch(/No processed records ingested in \[2020-01-01, 2020-01-02\)/);
    const bad = await storepulse(['quality', '--entity', 'widgets'], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/SP_ERR_BAD_OPTION: Invalid value "widgets" for --entity: expected one of fx_rates, customers, products, orders, /);
    const help = await storepulse(['quality', '--help']);
    expect(help.stdout).toMatch(/Pass rate = passed ÷ checked records/);
    expect(help.stdout).toMatch(/--from <date>[\s\S]*--to <date>[\s\S]*--entity <name>[\s\S]*--json/);
  });
});
