// Alerts: the config and its errors, rule evaluation on a controlled clock, once-per-breach notification (kept
// across a restart, retried when the webhook fails), and end to end: `serve` posts to a local webhook receiver
// exactly once per breach and once on recovery, and lists the alert at GET /api/alerts.
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/api/snapshots.js';
import { generate } from '../../src/generate/index.js';
import type { Kpis } from '../../src/kpi/kpi-keys.js';
import { parseAlertsConfig, parseDuration, type AlertsConfig } from '../../src/ops/alerts/config.js';
import { evaluateRules, type AlertFacts } from '../../src/ops/alerts/rules.js';
import { AlertService, type AlertsView } from '../../src/ops/alerts/service.js';
import type { AlertPayload } from '../../src/ops/alerts/webhook.js';
import type { Warehouse } from '../../src/warehouse/engine.js';
import { storepulse } from '../helpers/cli.js';
import { eventually, startServe, type ServedProcess } from '../helpers/serve.js';

const T0 = Date.parse('2026-03-02T12:00:00Z');
const MIN = 60_000;
const config = (text: string) => parseAlertsConfig(text, 'alerts.yaml', {});
const kpis = (over: Partial<Kpis>): Kpis => ({
  orders: 100, units: 250, gross_revenue: 1000, discounts: 0, refunds: 0, net_revenue: 1000, aov: 10, unique_customers: 80,
  conversion_rate: 0.05, fulfilment_sla: 0.9, return_rate: 0.05, csat: 4.2, inventory_at_risk: 3, ...over,
});

interface Receiver { url: string; posts: AlertPayload[]; failNext(n: number): void; close(): Promise<void> }

/** A local webhook receiver: records every JSON post; can answer 500 to the next n posts. */
async function receiver(): Promise<Receiver> {
  const posts: AlertPayload[] = [];
  let failing = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (failing > 0) {
        failing--;
        res.writeHead(500).end('receiver down');
        return;
      }
      posts.push(JSON.parse(body) as AlertPayload);
      res.writeHead(200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/storepulse`,
    posts,
    failNext: (n) => { failing = n; },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('the alerts config', () => {
  it('reads freshness SLAs, KPI thresholds, lateness and durations', () => {
    const c = config(`
webhook: http://127.0.0.1:9000/hooks/storepulse
freshness:
  orders: 5m
  events: 1h30m
kpis:
  conversion_rate: { below: 0.02 }
  return_rate: { above: 0.15 }
pipeline:
  late_after: 2m
evaluate_every: 250ms
`);
    expect(c).toEqual({
      webhook: 'http://127.0.0.1:9000/hooks/storepulse',
      freshness: { orders: 5 * MIN, events: 90 * MIN },
      kpis: [{ kpi: 'conversion_rate', below: 0.02 }, { kpi: 'return_rate', above: 0.15 }],
      pipelineLateAfterMs: 2 * MIN, evaluateEveryMs: 250, webhookTimeoutMs: 5_000,
    } satisfies AlertsConfig);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('5 minutes')).toBeUndefined();
    // JSON is YAML too; the environment's webhook wins over the file's.
    const json = parseAlertsConfig('{"webhook": "http://a.example/x", "kpis": {"aov": {"below": 20}}}', 'alerts.json', { STOREPULSE_ALERT_WEBHOOK: 'https://b.example/y' });
    expect(json.webhook).toBe('https://b.example/y');
    expect(json.kpis).toEqual([{ kpi: 'aov', below: 20 }]);
  });

  it('names the line, the key and what was expected for every mistake', () => {
    const cases: [string, RegExp][] = [
      ['kpis:\n  conversion_rate: { below: two percent }\n', /^alerts\.yaml line 2, key kpis\.conversion_rate\.below: "kpis\.conversion_rate\.below" is "two percent": expected a number/],
      ['freshness:\n  orders: 5m\n  orderz: 5m\n', /line 3, key freshness\.orderz: unknown entity "freshness\.orderz": expected one of fx_rates, customers/],
      ['pipeline:\n  late_after: soon\n', /line 2, key pipeline\.late_after: .*expected a duration such as 30s, 5m or 1h/],
      ['kpis:\n  happiness: { above: 1 }\n', /line 2, key kpis\.happiness: unknown KPI .*expected one of orders, units/],
      ['kpis:\n  aov: { under: 1 }\n', /key kpis\.aov\.under: unknown key .*expected below or above/],
      ['kpis:\n  aov: {}\n', /key kpis\.aov: .*needs below and\/or above/],
      ['webhook: slack please\n', /line 1, key webhook: .*expected an http:\/\/ or https:\/\/ URL/],
      ['freshnes:\n  orders: 5m\n', /line 1, key freshnes: unknown key "freshnes"/],
      ['kpis: [\n', /line \d+: not valid YAML or JSON/],
    ];
    for (const [text, message] of cases) {
      expect(() => config(text), text).toThrow(message);
      try {
        config(text);
      } catch (e) {
        expect((e as { code: string }).code).toBe('SP_ERR_BAD_CONFIG');
      }
    }
  });
});

describe('rule evaluation', () => {
  const c = config(`
freshness: { orders: 5m, events: 2m }
kpis:
  conversion_rate: { below: 0.02 }
  return_rate: { above: 0.15 }
pipeline: { late_after: 2m }
`);
  const facts = (over: Partial<AlertFacts> = {}): AlertFacts => ({
    kpis: kpis({}),
    entities: { orders: { newestMs: T0 - MIN, oldestWaitingMs: null }, events: { newestMs: T0 - MIN, oldestWaitingMs: null } },
    oldestWaitingMs: null, lastSuccessMs: T0 - MIN, ...over,
  });
  const states = (f: AlertFacts, now = T0) => Object.fromEntries(evaluateRules(c, f, now).map((r) => [r.rule, r.state]));

  it('is ok when data is fresh, KPIs are inside their thresholds and nothing waits', () => {
    expect(states(facts())).toEqual({
      'freshness.orders': 'ok', 'freshness.events': 'ok', 'kpi.conversion_rate': 'ok', 'kpi.return_rate': 'ok', 'pipeline.late': 'ok',
    });
  });

  it('breaks a freshness SLA when the newest data is too old, or landed data waits too long', () => {
    const f = facts();
    expect(states(f, T0 + 90_000)['freshness.events']).toBe('breached'); // newest events 2m30s old
    expect(states(f, T0 + 90_000)['freshness.orders']).toBe('ok');
    const waiting = facts({ entities: { ...f.entities, orders: { newestMs: T0 - 1_000, oldestWaitingMs: T0 - 6 * MIN } } });
    const [orders] = evaluateRules(c, waiting, T0);
    expect(orders).toMatchObject({ rule: 'freshness.orders', state: 'breached', value: 6 * MIN, threshold: 5 * MIN, unit: 'ms' });
    expect(orders.message).toMatch(/orders data has waited unprocessed for 6m, longer than the 5m SLA/);
    expect(states(facts({ entities: {} }))['freshness.orders']).toBe('unknown');
  });

  it('breaks KPI thresholds below and above, and judges nothing when a KPI is undefined', () => {
    const rs = evaluateRules(c, facts({ kpis: kpis({ conversion_rate: 0.011, return_rate: 0.2 }) }), T0);
    expect(rs.find((r) => r.rule === 'kpi.conversion_rate')).toMatchObject({ state: 'breached', value: 0.011, threshold: 0.02, message: 'conversion_rate is 0.011, below 0.02' });
    expect(rs.find((r) => r.rule === 'kpi.return_rate')).toMatchObject({ state: 'breached', value: 0.2, threshold: 0.15 });
    expect(states(facts({ kpis: kpis({ conversion_rate: null }) }))['kpi.conversion_rate']).toBe('unknown');
    expect(states(facts({ kpis: null }))['kpi.return_rate']).toBe('unknown');
  });

  it('calls the pipeline late when data waits and no run succeeded for longer than late_after', () => {
    const waiting = { oldestWaitingMs: T0 - 3 * MIN };
    expect(states(facts({ ...waiting, lastSuccessMs: T0 - 10 * MIN }))['pipeline.late']).toBe('breached');
    expect(states(facts({ ...waiting, lastSuccessMs: null }))['pipeline.late']).toBe('breached');
    // A run succeeded a minute ago, so the pipeline is working; data waiting alone is not lateness.
    expect(states(facts({ ...waiting, lastSuccessMs: T0 - MIN }))['pipeline.late']).toBe('ok');
    expect(states(facts({ oldestWaitingMs: null, lastSuccessMs: T0 - 60 * MIN }))['pipeline.late']).toBe('ok');
  });
});

describe('once per breach', () => {
  let dir: string;
  let hook: Receiver;
  let clock = T0;
  let current: Kpis = kpis({});
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => { logs.push(s); } });
  // The warehouse's facts: fresh orders, nothing waiting.
  const wh = {
    dialect: { epochSeconds: (e: string) => e },
    read: async (sql: string) => (sql.includes('meta.runs') ? [{ at: (clock - 1_000) / 1000 }] : [{ entity: 'orders', newest: (clock - 1_000) / 1000, oldest_waiting: null }]),
  } as unknown as Warehouse;
  const snapshots = { current: () => ({ kpis: current }) as Snapshot, subscribe: () => () => true };
  const service = (file: string) => new AlertService({
    wh, configFile: file, stateFile: join(dir, 'alerts-state.json'), logger, snapshots, now: () => clock, retry: { attempts: 2, backoffMs: 5 },
  });
  const run = async (s: AlertService) => {
    await s.evaluateNow();
    await s.idle();
  };
  const statuses = () => hook.posts.map((p) => `${p.alert.rule}:${p.alert.status}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sp-alerts-'));
    hook = await receiver();
    writeFileSync(join(dir, 'alerts.yaml'), `webhook: ${hook.url}\nfreshness: { orders: 5m }\nkpis:\n  conversion_rate: { below: 0.02 }\n  return_rate: { above: 0.15 }\n`);
  });
  afterAll(async () => {
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts a breach once, nothing while it lasts, one recovery, and again for a new breach', async () => {
    const s = service(join(dir, 'alerts.yaml'));
    await run(s);
    expect(hook.posts).toEqual([]); // everything fine: no news
    current = kpis({ conversion_rate: 0.01 });
    clock += 1_000;
    await run(s);
    expect(statuses()).toEqual(['kpi.conversion_rate:firing']);
    const [firing] = hook.posts;
    expect(firing.text).toMatch(/^:rotating_light: StorePulse alert kpi\.conversion_rate is firing: conversion_rate is 0\.01, below 0\.02 \(since 2026-03-02T12:00:01\.000Z\)$/);
    expect(firing.alert).toMatchObject({ rule: 'kpi.conversion_rate', kind: 'kpi', status: 'firing', value: 0.01, threshold: 0.02, since: '2026-03-02T12:00:01.000Z' });
    for (let i = 0; i < 5; i++) {
      clock += 1_000;
      current = kpis({ conversion_rate: 0.01 - i * 0.001 }); // still broken, with another value
      await run(s);
    }
    expect(statuses()).toEqual(['kpi.conversion_rate:firing']);
    expect(s.view().active).toMatchObject([{ rule: 'kpi.conversion_rate', status: 'firing', value: 0.006, since: '2026-03-02T12:00:01.000Z' }]);
    clock += 60_000;
    current = kpis({ conversion_rate: 0.03 });
    await run(s);
    await run(s);
    expect(statuses()).toEqual(['kpi.conversion_rate:firing', 'kpi.conversion_rate:resolved']);
    expect(hook.posts[1].alert).toMatchObject({ status: 'resolved', since: '2026-03-02T12:00:01.000Z', at: '2026-03-02T12:01:06.000Z' });
    expect(hook.posts[1].text).toMatch(/^:white_check_mark: StorePulse alert kpi\.conversion_rate resolved after 1m5s: conversion_rate is 0\.03/);
    clock += 1_000;
    current = kpis({ conversion_rate: 0.01 });
    await run(s);
    expect(statuses()).toEqual(['kpi.conversion_rate:firing', 'kpi.conversion_rate:resolved', 'kpi.conversion_rate:firing']);
    const view = s.view();
    expect(view.active.map((a) => a.rule)).toEqual(['kpi.conversion_rate']);
    expect(view.history.map((h) => h.status)).toEqual(['firing', 'resolved', 'firing']); // newest first
    await s.stop();
  });

  it('does not post again after a restart while the breach lasts, and posts its recovery', async () => {
    const before = hook.posts.length;
    const s = service(join(dir, 'alerts.yaml'));
    expect(s.view().active.map((a) => a.rule)).toEqual(['kpi.conversion_rate']); // read back from alerts-state.json
    clock += 1_000;
    await run(s);
    expect(hook.posts.length).toBe(before);
    current = kpis({});
    clock += 1_000;
    await run(s);
    expect(statuses().slice(before)).toEqual(['kpi.conversion_rate:resolved']);
    await s.stop();
  });

  it('retries a failed post with back-off, and keeps a breach it could not post for the next evaluation', async () => {
    const s = service(join(dir, 'alerts.yaml'));
    const before = hook.posts.length;
    hook.failNext(1); // the first attempt fails, the retry gets through
    current = kpis({ return_rate: 0.3 });
    clock += 1_000;
    await run(s);
    expect(statuses().slice(before)).toEqual(['kpi.return_rate:firing']);

    hook.failNext(2); // both attempts fail: nothing delivered, nothing lost
    current = kpis({});
    clock += 1_000;
    await run(s);
    expect(statuses().slice(before)).toEqual(['kpi.return_rate:firing']);
    expect(s.view().undelivered).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'alerts-state.json'), 'utf8')).outbox).toHaveLength(1);
    expect(logs.some((l) => /"msg":"alert webhook post failed"/.test(l) && /HTTP 500: receiver down/.test(l))).toBe(true);
    expect(logs.some((l) => /alert not delivered; it stays queued/.test(l))).toBe(true);
    clock += 1_000;
    await run(s); // the receiver is back: the recovery goes out, once
    await run(s);
    expect(statuses().slice(before)).toEqual(['kpi.return_rate:firing', 'kpi.return_rate:resolved']);
    expect(s.view().undelivered).toBe(0);
    await s.stop();
  });

  it('re-reads a changed config, and keeps the previous one when the change is invalid', async () => {
    const file = join(dir, 'reload.yaml');
    writeFileSync(file, `webhook: ${hook.url}\nkpis:\n  aov: { below: 5 }\n`);
    const s = service(file);
    await run(s);
    expect(s.view().rules.map((r) => `${r.rule}:${r.state}`)).toEqual(['kpi.aov:ok']);
    writeFileSync(file, `webhook: ${hook.url}\nkpis:\n  aov: { below: 50 }\n`);
    await run(s);
    expect(s.view().rules.map((r) => `${r.rule}:${r.state}`)).toEqual(['kpi.aov:breached']);
    writeFileSync(file, `webhook: ${hook.url}\nkpis:\n  aov: { below: lots }\n`);
    await run(s);
    expect(s.view().rules.map((r) => `${r.rule}:${r.state}`)).toEqual(['kpi.aov:breached']);
    expect(logs.some((l) => /the changed alerts config is invalid, so the previous one stays in force: .*line 3, key kpis\.aov\.below/.test(l))).toBe(true);
    await s.stop();
  });
});

describe('alerts in storepulse serve', () => {
  const home = mkdtempSync(join(tmpdir(), 'sp-alerts-serve-'));
  const file = join(home, 'alerts.yaml');
  let hook: Receiver;
  let server: ServedProcess | undefined;
  const rules = (below: number) => `webhook: ${hook.url}
evaluate_every: 100ms
freshness:
  orders: 1h
kpis:
  conversion_rate: { below: ${below} }
pipeline:
  late_after: 10m
`;
  const getAlerts = async () => (await (await fetch(`${server!.url}/api/alerts`)).json()) as AlertsView;
  const firing = () => hook.posts.filter((p) => p.alert.status === 'firing');
  const resolved = () => hook.posts.filter((p) => p.alert.status === 'resolved');
  const settle = () => new Promise((r) => setTimeout(r, 1_000)); // about ten evaluation intervals

  beforeAll(async () => {
    hook = await receiver();
    // A small generated data set, dropped in the inbox: serve ingests and builds it. Its conversion rate is about
    // a quarter, so "below 0.9" is broken and "below 0.01" is not.
    await generate({ out: join(home, 'inbox'), orders: 150, days: 5, start: '2026-03-01', seed: 3 });
    writeFileSync(file, rules(0.9));
    server = await startServe(home, ['--alerts', file]);
  });
  afterAll(async () => {
    await server?.stop();
    await hook.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('posts a broken KPI threshold to the webhook exactly once, and lists it at GET /api/alerts', async () => {
    await eventually(async () => firing().length > 0, 30_000, 'the firing alert at the webhook');
    await settle();
    expect(firing()).toHaveLength(1);
    expect(resolved()).toHaveLength(0);
    const [post] = firing();
    expect(post.alert).toMatchObject({ rule: 'kpi.conversion_rate', kind: 'kpi', status: 'firing', threshold: 0.9 });
    expect(post.alert.value).toBeGreaterThan(0);
    expect(post.alert.value).toBeLessThan(0.9);
    expect(post.text).toMatch(/StorePulse alert kpi\.conversion_rate is firing: conversion_rate is 0\.\d+, below 0\.9/);
    const view = await getAlerts();
    expect(view).toMatchObject({ enabled: true, notifying: true, undelivered: 0 });
    expect(view.active).toMatchObject([{ rule: 'kpi.conversion_rate', status: 'firing', since: post.alert.since }]);
    expect(view.rules.map((r) => `${r.rule}:${r.state}`)).toEqual(['freshness.orders:ok', 'kpi.conversion_rate:breached', 'pipeline.late:ok']);
    expect(view.history).toMatchObject([{ rule: 'kpi.conversion_rate', status: 'firing' }]);
    const docs = (await (await fetch(`${server!.url}/api/docs`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toContain('/api/alerts');
  });

  it('posts the recovery exactly once when the threshold is no longer broken (the config is re-read)', async () => {
    writeFileSync(file, rules(0.01));
    await eventually(async () => resolved().length > 0, 20_000, 'the recovery at the webhook');
    await settle();
    expect(firing()).toHaveLength(1);
    expect(resolved()).toHaveLength(1);
    expect(resolved()[0].alert).toMatchObject({ rule: 'kpi.conversion_rate', status: 'resolved', since: firing()[0].alert.since });
    const view = await getAlerts();
    expect(view.active).toEqual([]);
    expect(view.history.map((h) => `${h.rule}:${h.status}`)).toEqual(['kpi.conversion_rate:resolved', 'kpi.conversion_rate:firing']);
  });

  it('keeps the breach state in the home, and `storepulse alerts` evaluates the rules once without posting', async () => {
    await server!.stop();
    server = undefined;
    expect(existsSync(join(home, 'alerts-state.json'))).toBe(true);
    writeFileSync(file, rules(0.9));
    const posts = hook.posts.length;
    const r = await storepulse(['alerts', '--json', '--config', file], { home });
    expect(r.code, r.stderr).toBe(1); // a rule is breached
    const out = JSON.parse(r.stdout) as { rules: { rule: string; state: string }[]; notifying: boolean };
    expect(out.rules.map((x) => `${x.rule}:${x.state}`)).toEqual(['freshness.orders:ok', 'kpi.conversion_rate:breached', 'pipeline.late:ok']);
    expect(out.notifying).toBe(false);
    expect(hook.posts.length).toBe(posts);
  });

  it('refuses to start with an invalid config, naming the line and the key', async () => {
    const bad = join(home, 'bad.yaml');
    writeFileSync(bad, 'kpis:\n  conversion_rate: { below: 2% }\n');
    const r = await storepulse(['serve', '--port', '0', '--alerts', bad], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error SP_ERR_BAD_CONFIG: .*bad\.yaml line 2, key kpis\.conversion_rate\.below: .*expected a number/);
  });
});
