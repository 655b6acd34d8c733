// Derives every contract check as SQL, in the order a record is judged: required, type, enum, format, range, rules.
// The first failing check names the reject rule; ingest (HTTP) and silver both use these, so no rule is written twice.
import type { Column, EntityContract } from '../../contracts/index.js';
import { FORMAT_PATTERNS } from '../../contracts/value-patterns.js';
import type { Dialect } from '../../warehouse/dialect.js';
import { quoteLiteral } from '../../warehouse/dialect.js';

export interface Check {
  rule: string;
  reason: string;
  /** SQL that is TRUE when the record FAILS the check; reads `<col>__t` (clean text) and `<col>` (typed). */
  failsWhen: string;
}

const TYPE_WORDS: Record<Column['type'], string> = {
  string: 'text', timestamp: 'an ISO 8601 timestamp', date: 'a date (YYYY-MM-DD)', money: 'a decimal amount',
  rate: 'a decimal rate', integer: 'an integer', number: 'a number', boolean: 'true or false',
};

export function substituteBase(sql: string, baseCurrency: string): string {
  return sql.replace(/\{\{\s*base\s*\}\}/g, quoteLiteral(baseCurrency));
}

export function columnChecks(name: string, col: Column, d: Dialect): Check[] {
  const t = `${name}__t`;
  const checks: Check[] = [];
  if (col.required) checks.push({ rule: `required:${name}`, reason: `${name} is required`, failsWhen: `${t} IS NULL` });
  if (col.type !== 'string') {
    checks.push({ rule: `type:${name}`, reason: `${name} must be ${TYPE_WORDS[col.type]}`, failsWhen: `${t} IS NOT NULL AND ${name} IS NULL` });
  }
  if (col.enum) {
    checks.push({
      rule: `enum:${name}`, reason: `${name} must be one of ${col.enum.join(', ')}`,
      failsWhen: `${name} IS NOT NULL AND ${name} NOT IN (${col.enum.map(quoteLiteral).join(', ')})`,
    });
  }
  if (col.format) {
    const f = FORMAT_PATTERNS[col.format];
    checks.push({ rule: `format:${name}`, reason: `${name} must be ${f.what}`, failsWhen: `${name} IS NOT NULL AND NOT ${d.fullMatch(name, f.regex)}` });
  }
  if (col.min !== undefined) checks.push({ rule: `range:${name}`, reason: `${name} must be ≥ ${col.min}`, failsWhen: `${name} < ${col.min}` });
  if (col.max !== undefined) checks.push({ rule: `range:${name}`, reason: `${name} must be ≤ ${col.max}`, failsWhen: `${name} > ${col.max}` });
  if (col.greaterThan !== undefined) {
    checks.push({ rule: `range:${name}`, reason: `${name} must be > ${col.greaterThan}`, failsWhen: `${name} <= ${col.greaterThan}` });
  }
  return checks;
}

export function entityChecks(entity: EntityContract, d: Dialect, baseCurrency: string): Check[] {
  const checks = Object.entries(entity.columns).flatMap(([name, col]) => columnChecks(name, col, d));
  for (const r of entity.rules ?? []) {
    // NULL means an optional column is absent: the rule does not apply.
    checks.push({ rule: `rule:${r.name}`, reason: r.description, failsWhen: `NOT COALESCE((${substituteBase(r.sql, baseCurrency)}), TRUE)` });
  }
  return checks;
}

/** CASE expression giving the first failing rule (or NULL), and one mapping rules to reasons. */
export function ruleCase(checks: readonly Check[]): string {
  return `CASE ${checks.map((c) => `WHEN ${c.failsWhen} THEN ${quoteLiteral(c.rule)}`).join(' ')} END`;
}

export function reasonCase(ruleExpr: string, checks: readonly Check[]): string {
  const seen = new Set<string>();
  const whens = checks.filter((c) => !seen.has(c.rule) && seen.add(c.rule))
    .map((c) => `WHEN ${quoteLiteral(c.rule)} THEN ${quoteLiteral(c.reason)}`);
  return `CASE ${ruleExpr} ${whens.join(' ')} END`;
}

/** Reject rules for the range checks share a name; the reason lists every bound. */
export function describeRules(entity: EntityContract, d: Dialect, baseCurrency: string): { rule: string; reason: string }[] {
  return entityChecks(entity, d, baseCurrency).map(({ rule, reason }) => ({ rule, reason }));
}
