import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/index.js';
import { storepulse, storepulseJson } from '../helpers/cli.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../helpers/postgres.js';

const BREAKDOWNS = ['date', 'channel', 'country', 'category'];

interface Answers { total: unknown; breakdowns: unknown[]; filtered: unknown; rejects: unknown[] }

/** Ingests the data set, runs, and collects every KPI answer and the rejects (without times that differ). */
async function answers(home: string, warehouse?: string): Promise<Answers> {
  const w = warehouse ? ['--warehouse', warehouse] : [];
  expect((await storepulse(['ingest', ...w, dataDir], { home })).code).toBe(0);
  await storepulseJson(['run', '--json', ...w], { home });
  const total = await storepulseJson(['kpis', '--json', ...w], { home });
  const breakdowns = [];
  for (const by of BREAKDOWNS) breakdowns.push(await storepulseJson(['kpis', '--json', '--by', by, ...w], { home }));
  const filtered = await storepulseJson(['kpis', '--json', '--channel', 'web', '--country', 'DE', ...w], { home });
  const rejects = (await storepulseJson<Record<string, unknown>[]>(['rejects', '--json', ...w], { home }))
    .map(({ rejected_at: _t, ...r }) => r)
    .sort((a, b) => `${a.source}:${a.line}`.localeCompare(`${b.source}:${b.line}`));
  return { total, breakdowns, filtered, rejects };
}

const root = mkdtempSync(join(tmpdir(), 'sp-parity-'));
const dataDir = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!postgresAvailable)('DuckDB and PostgreSQL', () => {
  let duck: Answers;
  beforeAll(async () => {
    await generate({ out: dataDir, seed: 7, days: 45, orders: 6000, faults: true });
    duck = await answers(join(root, 'duck'));
  });

  it('give identical KPIs, breakdown rows and rejects on the same data set with faults', async () => {
    const db = await createTestDatabase('parity');
    try {
      const pgAnswers = await answers(join(root, 'pg'), db.url);
      expect(duck.rejects.length).toBeGreaterThan(0);
      expect(pgAnswers.total).toEqual(duck.total);
      expect(pgAnswers.breakdowns).toEqual(duck.breakdowns);
      expect(pgAnswers.filtered).toEqual(duck.filtered);
      expect(pgAnswers.rejects).toEqual(duck.rejects);
    } finally {
      await db.drop();
    }
  });

  it('finish two runs started at once with the same KPIs as one run', async () => {
    const db: TestDatabase = await createTestDatabase('concurrent');
    const home = join(root, 'pg-concurrent');
    const w = ['--warehouse', db.url];
    try {
      expect((await storepulse(['ingest', ...w, dataDir], { home })).code).toBe(0);
      const [a, b] = await Promise.all([
        storepulse(['run', '--wait', '300', ...w], { home }),
        storepulse(['run', '--wait', '300', ...w], { home }),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      expect([a, b].filter((r) => /Nothing to do/.test(r.stdout))).toHaveLength(1);
      expect(await storepulseJson(['kpis', '--json', ...w], { home })).toEqual(duck.total);
      expect(await storepulseJson(['kpis', '--json', '--by', 'date', ...w], { home })).toEqual(duck.breakdowns[0]);
    } finally {
      await db.drop();
    }
  });
});
