// The KPIs the CLI prints are checked against an independent computation straight over the generated files
// (independent-kpis.ts): clean data, filters and breakdowns, faulty data with every record accounted for,
// re-delivery, and day files arriving out of order across several runs.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSegments } from '../../src/kpi/dashboard-queries.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { storepulse, storepulseJson, tempDir, type TempDir } from '../helpers/cli.js';
import {
  addDays, csvFilesUnder, IndependentKpis, KPI_NAMES, type KpiName, type KpiValues, type Request,
} from './independent-kpis.js';

const MONEY: readonly KpiName[] = ['gross_revenue', 'discounts', 'refunds', 'net_revenue', 'aov'];
const RATIOS: readonly KpiName[] = ['conversion_rate', 'fulfilment_sla', 'return_rate', 'csat'];
const ADDITIVE: readonly KpiName[] = ['orders', 'units', 'gross_revenue', 'discounts', 'refunds', 'net_revenue'];

interface KpiTotalJson {
  from: string;
  to: string;
  filters: Record<string, string | null>;
  kpis: KpiValues;
}

interface KpiRowsJson {
  from: string;
  to: string;
  by: string;
  rows: (Record<string, string | number | null>)[];
}

interface EntityStatus {
  entity: string;
  records: number;
  accepted: number;
  rejected: number;
  pending: number;
  pendingReasons: Record<string, number>;
  unprocessed: number;
  current: number;
}

interface StatusJson {
  warehouse: string;
  lastRun: { run_id: number; status: string } | null;
  entities: EntityStatus[];
}

interface RejectJson {
  entity: string;
  key: string | null;
  rule: string;
  reason: string;
  source: string;
  line: number;
  batch_id: number;
  raw: Record<string, unknown>;
  run_id: number;
  rejected_at: string;
}

interface IngestJson {
  files: { status: string; path: string; entity?: string; reason?: string; records?: number }[];
  loaded: number;
  skipped: number;
  refused: number;
  records: number;
}

/** Every KPI that differs: counts exactly, money to the cent, ratios within 1e-9, null only where null is expected. */
function kpiDifferences(actual: Record<string, unknown>, expected: KpiValues, label: string): string[] {
  const out: string[] = [];
  for (const k of KPI_NAMES) {
    const a = actual[k];
    const e = expected[k];
    const show = () => `${label} ${k}: CLI ${JSON.stringify(a)}, independent ${JSON.stringify(e)}`;
    if (e === null || a === null || a === undefined) {
      if (a !== e) out.push(show());
    } else if (typeof a !== 'number') {
      out.push(show());
    } else if (MONEY.includes(k)) {
      if (Math.round(a * 100) !== Math.round(e * 100)) out.push(show());
    } else if (RATIOS.includes(k)) {
      if (Math.abs(a - e) > 1e-9) out.push(show());
    } else if (a !== e) {
      out.push(show());
    }
  }
  return out;
}

function argsOf(req: Request): string[] {
  const args: string[] = [];
  for (const k of ['from', 'to', 'channel', 'country', 'category'] as const) if (req[k] !== undefined) args.push(`--${k}`, req[k]!);
  return args;
}

async function ingestAndRun(home: string, paths: readonly string[]): Promise<IngestJson> {
  const r = await storepulse(['ingest', '--json', ...paths], { home });
  expect([0, 2], r.stderr).toContain(r.code);
  const landed = JSON.parse(r.stdout) as IngestJson;
  await storepulseJson(['run', '--json', '--quiet'], { home });
  return landed;
}

async function generate(out: string, extra: readonly string[]): Promise<void> {
  const r = await storepulse(['generate', '--out', out, '--quiet', ...extra]);
  expect(r.code, r.stderr).toBe(0);
}

/** The CLI's total KPIs and the independent ones for the same request. */
async function compareTotal(home: string, model: IndependentKpis, req: Request): Promise<{ cli: KpiTotalJson; differences: string[] }> {
  const cli = await storepulseJson<KpiTotalJson>(['kpis', '--json', ...argsOf(req)], { home });
  const mine = await model.total(req);
  const label = `kpis ${argsOf(req).join(' ') || '(all data)'}`;
  const differences = [
    ...(cli.from !== mine.from || cli.to !== mine.to ? [`${label} window: CLI ${cli.from}..${cli.to}, independent ${mine.from}..${mine.to}`] : []),
    ...kpiDifferences(cli.kpis, mine.kpis, label),
  ];
  return { cli, differences };
}

/** The CLI's breakdown against the independent one, and the groups against the total. */
async function compareBreakdown(home: string, model: IndependentKpis, by: 'channel' | 'country' | 'date', req: Request = {}): Promise<{ cli: KpiRowsJson; differences: string[] }> {
  const cli = await storepulseJson<KpiRowsJson>(['kpis', '--json', '--by', by, ...argsOf(req)], { home });
  const mine = await model.breakdown(by, req);
  const differences: string[] = [];
  const label = `kpis --by ${by}`;
  if (cli.by !== by) differences.push(`${label}: by is ${cli.by}`);
  if (cli.from !== mine.from || cli.to !== mine.to) differences.push(`${label} window: CLI ${cli.from}..${cli.to}, independent ${mine.from}..${mine.to}`);
  const cliKeys = cli.rows.map((r) => (r[by] === null ? null : String(r[by])));
  if (new Set(cliKeys).size !== cliKeys.length) differences.push(`${label}: a group appears twice: ${JSON.stringify(cliKeys)}`);
  const mineKeys = [...mine.rows.keys()];
  const missing = mineKeys.filter((k) => !cliKeys.includes(k));
  const extra = cliKeys.filter((k) => !mine.rows.has(k));
  if (missing.length) differences.push(`${label}: groups missing from the CLI: ${JSON.stringify(missing)}`);
  if (extra.length) differences.push(`${label}: groups the independent computation does not have: ${JSON.stringify(extra)}`);
  for (const row of cli.rows) {
    const key = row[by] === null ? null : String(row[by]);
    const expected = mine.rows.get(key);
    if (expected) differences.push(...kpiDifferences(row, expected, `${label} [${key}]`));
  }
  return { cli, differences };
}

/** Additive KPIs of the groups add up to the total: counts exactly, money within a cent per group. */
function sumDifferences(rows: KpiRowsJson['rows'], total: KpiValues, label: string): string[] {
  const out: string[] = [];
  for (const k of ADDITIVE) {
    const sum = rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
    const t = Number(total[k]);
    const tolerance = MONEY.includes(k) ? 0.01 * rows.length + 1e-6 : 0;
    if (Math.abs(sum - t) > tolerance) out.push(`${label}: Σ ${k} over ${rows.length} groups = ${sum}, total ${t}`);
  }
  return out;
}

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('KPIs on clean data (seed 7, 20 000 orders)', () => {
  let tmp: TempDir;
  let data: string;
  let home: string;
  let model: IndependentKpis;
  let firstTotal: KpiTotalJson;
  let firstByDate: KpiRowsJson;
  let firstByChannel: KpiRowsJson;

  beforeAll(async () => {
    tmp = tempDir('sp-kpi-clean');
    data = join(tmp.path, 'data');
    home = join(tmp.path, 'home');
    await generate(data, ['--seed', '7', '--orders', '20000']);
    const landed = await ingestAndRun(home, [data]);
    expect(landed.refused, JSON.stringify(landed.files.filter((f) => f.status === 'refused'))).toBe(0);
    model = await IndependentKpis.load(data);
  });

  afterAll(() => {
    model?.close();
    tmp?.cleanup();
  });

  it('prints every KPI of all data exactly as computed independently from the files', async () => {
    const { cli, differences } = await compareTotal(home, model, {});
    firstTotal = cli;
    expect(Object.keys(cli.kpis).sort()).toEqual([...KPI_NAMES].sort());
    expect(cli.filters).toEqual({ channel: null, country: null, category: null });
    expect(cli.kpis.orders).toBeGreaterThan(15_000);
    expect(differences).toEqual([]);
  });

  it('agrees for a window, a window and a channel, a country, a category, and for a country within a category', async () => {
    const window = await model.dataWindow();
    const from = addDays(window.from, 10);
    const to = addDays(window.from, 40);
    const [top] = (await model.categories()).filter((c) => c.category !== 'unknown');
    expect(top, 'the data has product categories').toBeDefined();
    const requests: Request[] = [
      { from, to },
      { from, to, channel: 'web' },
      { country: 'DE' },
      { category: top.category },
      { from, to, country: 'DE', category: top.category },
    ];
    const differences: string[] = [];
    for (const req of requests) {
      const { cli, differences: d } = await compareTotal(home, model, req);
      expect(cli.kpis.orders, argsOf(req).join(' ')).toBeGreaterThan(0);
      differences.push(...d);
    }
    expect(differences).toEqual([]);
  });

  it('breaks down by channel, country and date with the same figures, and the groups add up to the total', async () => {
    const total = await storepulseJson<KpiTotalJson>(['kpis', '--json'], { home });
    const differences: string[] = [];
    for (const by of ['channel', 'country', 'date'] as const) {
      const { cli, differences: d } = await compareBreakdown(home, model, by);
      differences.push(...d, ...sumDifferences(cli.rows, total.kpis, `kpis --by ${by}`));
      expect(cli.rows.length, by).toBeGreaterThan(1);
      if (by === 'channel') firstByChannel = cli;
      else if (by === 'date') firstByDate = cli;
    }
    expect(differences).toEqual([]);
  });

  it('breaks down by date within a window, and past the last day with data, as computed independently', async () => {
    // Past the last day with sales the stock cover mart has no rows; the query reads the units per day instead.
    const window = await model.dataWindow();
    const differences: string[] = [];
    for (const req of [{ from: addDays(window.from, 20), to: addDays(window.from, 45) }, { from: addDays(window.to, -20), to: addDays(window.to, 10) }]) {
      const { cli, differences: d } = await compareBreakdown(home, model, 'date', req);
      expect(cli.rows.length).toBeGreaterThan(10);
      differences.push(...d);
      const total = await compareTotal(home, model, req);
      differences.push(...total.differences);
    }
    expect(differences).toEqual([]);
  });

  it('gives each category of the breakdown by category the KPIs of that category alone', async () => {
    // The category filter is checked against the independent computation above; a breakdown row must equal it.
    const breakdown = await storepulseJson<KpiRowsJson>(['kpis', '--json', '--by', 'category'], { home });
    expect(breakdown.rows.length).toBeGreaterThan(3);
    const differences: string[] = [];
    for (const row of breakdown.rows) {
      const alone = await storepulseJson<KpiTotalJson>(['kpis', '--json', '--category', String(row.category)], { home });
      differences.push(...kpiDifferences(row, alone.kpis, `kpis --by category [${row.category}]`));
    }
    expect(differences).toEqual([]);
  });

  it('segments customers by lifetime value as kpis.md defines them, as computed independently', async () => {
    const wh = await DuckDBWarehouse.open(join(home, 'warehouse.duckdb'));
    try {
      const { rows } = await customerSegments(wh);
      const expected = await model.segments();
      expect(rows.map((r) => r.segment)).toEqual(['Platinum', 'Gold', 'Silver', 'Bronze']);
      expect(rows.map((r) => ({ segment: r.segment, customers: Number(r.customers), orders: Number(r.orders), lifetime_value: Number(r.lifetime_value) })))
        .toEqual(expected);
    } finally {
      await wh.close();
    }
  });

  it('changes nothing when the same folder is delivered again', async () => {
    const again = await storepulse(['ingest', '--json', data], { home });
    expect(again.code, again.stderr).toBe(0);
    const landed = JSON.parse(again.stdout) as IngestJson;
    expect(landed.loaded).toBe(0);
    expect(landed.refused).toBe(0);
    expect(landed.skipped).toBe(csvFilesUnder(data).length);
    for (const f of landed.files) {
      expect(f.status, f.path).toBe('skipped');
      expect(f.reason, f.path).toMatch(/already ingested/);
    }
    const run = await storepulseJson<{ status: string }>(['run', '--json', '--quiet'], { home });
    expect(run.status).toBe('nothing_to_do');
    expect(await storepulseJson<KpiTotalJson>(['kpis', '--json'], { home })).toEqual(firstTotal ?? await storepulseJson(['kpis', '--json'], { home }));
    if (firstByDate) expect(await storepulseJson<KpiRowsJson>(['kpis', '--json', '--by', 'date'], { home })).toEqual(firstByDate);
    if (firstByChannel) expect(await storepulseJson<KpiRowsJson>(['kpis', '--json', '--by', 'channel'], { home })).toEqual(firstByChannel);
  });
});

describe('KPIs on faulty data (seed 7, 5 000 orders, --faults)', () => {
  let tmp: TempDir;
  let data: string;
  let home: string;
  let model: IndependentKpis;
  let landed: IngestJson;

  beforeAll(async () => {
    tmp = tempDir('sp-kpi-faults');
    data = join(tmp.path, 'data');
    home = join(tmp.path, 'home');
    await generate(data, ['--seed', '7', '--orders', '5000', '--faults']);
    landed = await ingestAndRun(home, [data]);
    model = await IndependentKpis.load(data);
  });

  afterAll(() => {
    model?.close();
    tmp?.cleanup();
  });

  it('refuses exactly the files that lack a required column', () => {
    const refused = landed.files.filter((f) => f.status === 'refused').map((f) => f.path).sort();
    expect(refused).toEqual(model.refused.map((f) => f.path).sort());
  });

  it('accounts for every record: landed = accepted + rejected + pending, with the reasons of what waits', async () => {
    const status = await storepulseJson<StatusJson>(['status', '--json'], { home });
    expect(status.lastRun?.status).toBe('succeeded');
    const mine = await model.accounting();
    expect(status.entities.map((e) => e.entity).sort()).toEqual(mine.map((e) => e.entity).sort());
    for (const e of status.entities) {
      expect(e.unprocessed, e.entity).toBe(0);
      expect(e.records, e.entity).toBe(e.accepted + e.rejected + e.pending);
      expect(Object.values(e.pendingReasons).reduce((a, b) => a + b, 0), e.entity).toBe(e.pending);
    }
    // The same counts, entity by entity, as judged independently from the files.
    const pick = (e: EntityStatus | (typeof mine)[number]) => ({
      entity: e.entity, records: e.records, accepted: e.accepted, rejected: e.rejected, pending: e.pending,
      pendingReasons: e.pendingReasons, current: e.current,
    });
    const byName = (a: { entity: string }, b: { entity: string }) => a.entity.localeCompare(b.entity);
    expect(status.entities.map(pick).sort(byName)).toEqual(mine.map(pick).sort(byName));
    // Faults were injected: something was rejected.
    expect(status.entities.reduce((n, e) => n + e.rejected, 0)).toBeGreaterThan(0);
  });

  it('lists every reject with entity, key, rule, source, line and the raw record as it arrived', async () => {
    const rejects = await storepulseJson<RejectJson[]>(['rejects', '--json'], { home });
    const mine = await model.rejected();
    expect(rejects.length).toBeGreaterThan(0);
    for (const r of rejects) {
      expect(typeof r.entity).toBe('string');
      expect(r.rule, JSON.stringify(r)).toMatch(/^(required|type|enum|format|range|rule):[a-z_]+$/);
      expect(r.reason.length, JSON.stringify(r)).toBeGreaterThan(0);
      expect(Number.isInteger(r.line) && r.line >= 2, JSON.stringify(r)).toBe(true);
      for (const v of Object.values(r.raw)) expect(v === null || typeof v === 'string', JSON.stringify(r)).toBe(true);
    }
    const id = (x: { entity: string; source: string; line: number }) => `${x.entity} ${x.source}:${x.line}`;
    expect(rejects.map(id).sort()).toEqual(mine.map(id).sort());
    const byId = new Map(mine.map((m) => [id(m), m]));
    const differences: string[] = [];
    for (const r of rejects) {
      const m = byId.get(id(r));
      if (!m) continue;
      if (r.key !== m.key) differences.push(`${id(r)} key: CLI ${JSON.stringify(r.key)}, file ${JSON.stringify(m.key)}`);
      for (const [c, v] of Object.entries(m.raw)) {
        if ((r.raw[c] ?? null) !== v) differences.push(`${id(r)} raw.${c}: CLI ${JSON.stringify(r.raw[c])}, file ${JSON.stringify(v)}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('prints the KPIs of the faulty data exactly as computed independently, total and by channel', async () => {
    const { differences } = await compareTotal(home, model, {});
    const byChannel = await compareBreakdown(home, model, 'channel');
    expect([...differences, ...byChannel.differences]).toEqual([]);
  });
});

describe('day files arriving out of order (--by-day --faults, 20 days, 3 000 orders)', () => {
  let tmp: TempDir;
  let data: string;
  const kpisOf = async (home: string) => ({
    total: await storepulseJson<KpiTotalJson>(['kpis', '--json'], { home }),
    byDate: await storepulseJson<KpiRowsJson>(['kpis', '--json', '--by', 'date'], { home }),
    byChannel: await storepulseJson<KpiRowsJson>(['kpis', '--json', '--by', 'channel'], { home }),
  });

  beforeAll(async () => {
    tmp = tempDir('sp-kpi-days');
    data = join(tmp.path, 'data');
    await generate(data, ['--seed', '7', '--orders', '3000', '--days', '20', '--by-day', '--faults']);
  });

  afterAll(() => tmp?.cleanup());

  it('gives the same KPIs whether the days arrive shuffled over several runs or in order at once', async () => {
    const files = csvFilesUnder(data);
    // One file per entity per day: <data>/<entity>/<day>.csv.
    const dayOf = (f: string) => /(\d{4}-\d{2}-\d{2})[^/\\]*$/.exec(f)?.[1];
    expect(files.every((f) => dayOf(f) !== undefined), files.slice(0, 5).join(', ')).toBe(true);
    expect(readdirSync(data).length).toBeGreaterThan(1);
    const days = [...new Set(files.map((f) => dayOf(f)!))].sort();
    expect(days.length).toBeGreaterThanOrEqual(20);

    const inOrder = join(tmp.path, 'home-in-order');
    await ingestAndRun(inOrder, [data]);

    const shuffledHome = join(tmp.path, 'home-shuffled');
    const order = shuffled(days, 7);
    for (let i = 0; i < order.length; i += 3) {
      const chunk = new Set(order.slice(i, i + 3));
      await ingestAndRun(shuffledHome, shuffled(files.filter((f) => chunk.has(dayOf(f)!)), 100 + i));
    }

    const a = await kpisOf(inOrder);
    const b = await kpisOf(shuffledHome);
    expect(b.total).toEqual(a.total);
    expect(b.byDate).toEqual(a.byDate);
    expect(b.byChannel).toEqual(a.byChannel);

    // Both homes account for the same records the same way, and nothing is left unprocessed.
    const counts = async (home: string) => (await storepulseJson<StatusJson>(['status', '--json'], { home })).entities
      .map((e) => ({ entity: e.entity, records: e.records, accepted: e.accepted, rejected: e.rejected, pending: e.pending, unprocessed: e.unprocessed, current: e.current }))
      .sort((x, y) => x.entity.localeCompare(y.entity));
    const ca = await counts(inOrder);
    expect(await counts(shuffledHome)).toEqual(ca);
    for (const e of ca) {
      expect(e.unprocessed, e.entity).toBe(0);
      expect(e.records, e.entity).toBe(e.accepted + e.rejected + e.pending);
    }

    // And the in-order home agrees with the independent computation over the same files.
    const model = await IndependentKpis.load(data);
    try {
      const { differences } = await compareTotal(inOrder, model, {});
      const byDate = await compareBreakdown(inOrder, model, 'date');
      expect([...differences, ...byDate.differences]).toEqual([]);
    } finally {
      model.close();
    }
  });
});
