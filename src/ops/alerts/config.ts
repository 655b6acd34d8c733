// The alerts config file (YAML, or JSON, which is YAML too): freshness SLAs per entity, KPI thresholds, pipeline
// lateness and the webhook to notify. Every mistake is reported with its line and key and what was expected.
import { join } from 'node:path';
import { ENTITY_NAMES } from '../../contracts/index.js';
import { Errors } from '../../errors/catalogue.js';
import { KPI_KEYS, type KpiKey } from '../../kpi/kpi-keys.js';
import { chooseConfigFile, locate as where, parseYaml, readConfigText } from '../../home/yaml-location.js';

export interface KpiThreshold {
  kpi: KpiKey;
  /** Breached when the value is below this. */
  below?: number;
  /** Breached when the value is above this. */
  above?: number;
}

export interface AlertsConfig {
  /** Where alerts are posted; null: alerts are evaluated and shown, but not posted. */
  webhook: string | null;
  /** Entity → the oldest its newest landed data (or its oldest waiting data) may be, in ms. */
  freshness: Record<string, number>;
  kpis: KpiThreshold[];
  /** Data waiting and no run has taken it for longer than this (ms); null: not checked. */
  pipelineLateAfterMs: number | null;
  /** How often the rules are evaluated when no snapshot comes (ms). */
  evaluateEveryMs: number;
  /** Timeout of one webhook post (ms). */
  webhookTimeoutMs: number;
}

export const DEFAULT_EVALUATE_EVERY_MS = 5_000;
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;

export const defaultConfigPath = (home: string) => join(home, 'alerts.yaml');

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30s", "5m", "1h", "1h30m", "250ms", "2d" → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(m[1]) * UNITS[m[2]];
  return ms > 0 ? Math.round(ms) : undefined;
}

/** 90000 → "1m30s"; for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1_000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}

const DURATION = 'a duration such as 30s, 5m or 1h';

/** Parses and validates the config text; `file` names it in errors; env supplies STOREPULSE_ALERT_WEBHOOK. */
export function parseAlertsConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): AlertsConfig {
  const { doc, lines, syntaxError } = parseYaml(text);
  if (syntaxError) throw Errors.badConfig(file, `line ${syntaxError.line}`, `not valid YAML or JSON (${syntaxError.message})`);
  const fail = (path: (string | number)[], problem: string): never => {
    throw Errors.badConfig(file, where(doc, lines, path), problem);
  };
  const root: unknown = doc.toJS() ?? {};
  if (!isPlain(root)) fail([], 'expected a mapping with webhook, freshness, kpis and pipeline');
  const top = root as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!['webhook', 'freshness', 'kpis', 'pipeline', 'evaluate_every', 'webhook_timeout'].includes(key)) {
      fail([key], `unknown key "${key}": expected webhook, freshness, kpis, pipeline, evaluate_every or webhook_timeout`);
    }
  }

  const duration = (path: (string | number)[], value: unknown): number => {
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    return ms ?? fail(path, `"${path.join('.')}" is ${JSON.stringify(value)}: expected ${DURATION}`);
  };

  let webhook: string | null = env.STOREPULSE_ALERT_WEBHOOK || null;
  if (!webhook && top.webhook !== undefined && top.webhook !== null) {
    if (typeof top.webhook !== 'string' || !/^https?:\/\/[^\s]+$/.test(top.webhook)) {
      fail(['webhook'], `"webhook" is ${JSON.stringify(top.webhook)}: expected an http:// or https:// URL`);
    }
    webhook = top.webhook as string;
  }
  if (webhook && !/^https?:\/\/[^\s]+$/.test(webhook)) {
    throw Errors.badOption('STOREPULSE_ALERT_WEBHOOK', webhook, 'an http:// or https:// URL');
  }

  const freshness: Record<string, number> = {};
  if (top.freshness !== undefined && top.freshness !== null) {
    if (!isPlain(top.freshness)) fail(['freshness'], `"freshness" must map entities to durations, e.g. "orders: 5m"`);
    for (const [entity, value] of Object.entries(top.freshness as Record<string, unknown>)) {
      if (!ENTITY_NAMES.includes(entity)) fail(['freshness', entity], `unknown entity "freshness.${entity}": expected one of ${ENTITY_NAMES.join(', ')}`);
      freshness[entity] = duration(['freshness', entity], value);
    }
  }

  const kpis: KpiThreshold[] = [];
  if (top.kpis !== undefined && top.kpis !== null) {
    if (!isPlain(top.kpis)) fail(['kpis'], `"kpis" must map KPI names to thresholds, e.g. "conversion_rate: { below: 0.02 }"`);
    for (const [kpi, value] of Object.entries(top.kpis as Record<string, unknown>)) {
      if (!(KPI_KEYS as readonly string[]).includes(kpi)) fail(['kpis', kpi], `unknown KPI "kpis.${kpi}": expected one of ${KPI_KEYS.join(', ')}`);
      if (!isPlain(value)) fail(['kpis', kpi], `"kpis.${kpi}" must be { below: NUMBER } and/or { above: NUMBER }`);
      const bounds = value as Record<string, unknown>;
      const rule: KpiThreshold = { kpi: kpi as KpiKey };
      for (const [k, v] of Object.entries(bounds)) {
        if (k !== 'below' && k !== 'above') fail(['kpis', kpi, k], `unknown key "kpis.${kpi}.${k}": expected below or above`);
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(['kpis', kpi, k], `"kpis.${kpi}.${k}" is ${JSON.stringify(v)}: expected a number (ratios are fractions: 2 % is 0.02)`);
        rule[k as 'below' | 'above'] = v as number;
      }
      if (rule.below === undefined && rule.above === undefined) fail(['kpis', kpi], `"kpis.${kpi}" needs below and/or above`);
      if (rule.below !== undefined && rule.above !== undefined && rule.above < rule.below) {
        fail(['kpis', kpi], `"kpis.${kpi}" can never be met: above (${rule.above}) is less than below (${rule.below})`);
      }
      kpis.push(rule);
    }
  }

  let pipelineLateAfterMs: number | null = null;
  if (top.pipeline !== undefined && top.pipeline !== null) {
    if (!isPlain(top.pipeline)) fail(['pipeline'], `"pipeline" must be a mapping such as "late_after: 2m"`);
    for (const [k, v] of Object.entries(top.pipeline as Record<string, unknown>)) {
      if (k !== 'late_after') fail(['pipeline', k], `unknown key "pipeline.${k}": expected late_after`);
      pipelineLateAfterMs = duration(['pipeline', 'late_after'], v);
    }
  }

  const evaluateEveryMs = top.evaluate_every === undefined ? DEFAULT_EVALUATE_EVERY_MS : duration(['evaluate_every'], top.evaluate_every);
  const webhookTimeoutMs = top.webhook_timeout === undefined ? DEFAULT_WEBHOOK_TIMEOUT_MS : duration(['webhook_timeout'], top.webhook_timeout);
  return { webhook, freshness, kpis, pipelineLateAfterMs, evaluateEveryMs, webhookTimeoutMs };
}

export function loadAlertsConfig(file: string, env: NodeJS.ProcessEnv = process.env): AlertsConfig {
  const text = readConfigText(file, (problem) => Errors.badConfig(file, '', problem), 'no such file (write one, see `storepulse alerts --help`)');
  return parseAlertsConfig(text, file, env);
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Which config file to use: the one named (--alerts / --config), else STOREPULSE_ALERTS, else <home>/alerts.yaml
 * when it exists; null: alerts are off. A named file that is missing is an error when it is loaded.
 */
export function resolveAlertsConfigPath(home: string, named: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  return chooseConfigFile(named, env.STOREPULSE_ALERTS, defaultConfigPath(home));
}
