// `storepulse test`: every model's tests and the reconciliations on demand, for people and for scripts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/index.js';
import { storepulse, storepulseJson } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'sp-testcmd-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await generate({ out: join(root, 'data'), seed: 5, orders: 800, days: 10, faults: true });
  expect((await storepulse(['ingest', join(root, 'data')], { home })).code).toBe(0);
  expect((await storepulse(['run', '--quiet'], { home })).code).toBe(0);
});

interface Report { passed: number; warned: number; failed: number; outcomes: { model: string; test: string; status: string; rows: number }[] }

describe('storepulse test', () => {
  it('passes on a freshly built warehouse and reports every test and reconciliation as JSON', async () => {
    const report = await storepulseJson<Report>(['test', '--json'], { home });
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThan(40);
    const names = report.outcomes.map((o) => `${o.model} ${o.test}`);
    expect(names).toEqual(expect.arrayContaining([
      'gold.fact_order_line unique(order_id, line_number)', 'silver.orders reconcile(records)', 'gold.mart_daily_revenue reconcile(gross_revenue)',
    ]));
    expect(report.outcomes.find((o) => o.test === 'unique(order_id)')?.rows).toBeGreaterThan(700);
  });

  it('prints a table for people, runs one model on request, and refuses an unknown model clearly', async () => {
    const one = await storepulse(['test', '--model', 'fact_order'], { home });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/gold\.fact_order\s+unique\(order_id\)\s+pass/);
    expect(one.stdout).not.toMatch(/fact_order_line/);
    expect(one.stdout).toMatch(/\d+ passed, \d+ warned, 0 failed\./);
    const bad = await storepulse(['test', '--model', 'nope'], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/SP_ERR_BAD_OPTION.*--model/);
    expect((await storepulse(['test', '--help'], { home })).stdout).toMatch(/Exits 1 when a test fails/);
  });
});
