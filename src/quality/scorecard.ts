// The data-quality scorecard: pass rates per entity, quality dimension and day, computed in the warehouse in one
// query (DuckDB and PostgreSQL alike) from what silver recorded: rejects, pending records and bronze itself.
//
// Definition. A record is counted on the day its batch was ingested (UTC), once a run has judged that batch.
// For an entity, a dimension and a day:   pass rate = passed ÷ checked,   passed = checked − failed
// (null when nothing was checked). What each dimension checks and counts as failed:
//   completeness           checked: every judged record.  failed: rejected by a `required:<column>` check.
//   validity               checked: every judged record.  failed: rejected by a `type:`, `enum:`, `format:`,
//                          `range:` or `rule:` check (bad type, format, range, allowed value, cross-column rule).
//                          A record is rejected for the first check it fails, so it fails one dimension only.
//   uniqueness             checked: the records that passed the contract (not rejected).  failed: those that repeat
//                          the key AND the version time (`updated_at`, else the ingestion time) of an earlier valid
//                          record: exact re-deliveries, which silver collapses. A later version of a key is no duplicate.
//   referential_integrity  checked: the records that passed the contract, for entities that wait for something
//                          (order items, shipments and returns for their order, orders for an exchange rate).
//                          failed: the records still waiting in silver.pending (the condition is not met yet; the
//                          rate rises when the parent arrives). Entities without such a dependency are not scored.
// Over a period (or all entities), checked and failed are summed before dividing.
import { ENTITIES, ENTITY_NAMES, type EntityContract } from '../contracts/index.js';
import { Errors } from '../errors/catalogue.js';
import { cleanText, typed } from '../models/silver/conform.js';
import { quoteLiteral, type Dialect } from '../warehouse/dialect.js';
import type { Warehouse } from '../warehouse/engine.js';

export const DIMENSIONS = ['completeness', 'validity', 'uniqueness', 'referential_integrity'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Silver's reject rule codes are `<kind>:<column or rule name>`; the kind names the dimension. */
export const RULE_DIMENSIONS: Record<string, Dimension> = {
  required: 'completeness',
  type: 'validity',
  enum: 'validity',
  format: 'validity',
  range: 'validity',
  rule: 'validity',
};

export interface Score {
  checked: number;
  passed: number;
  failed: number;
  /** passed ÷ checked, a fraction 0..1; null when nothing was checked. */
  pass_rate: number | null;
}

export interface Scorecard {
  /** Ingestion days [from, to); null when no batch has been processed yet (and none was asked for). */
  from: string | null;
  to: string | null;
  entity: string | null;
  /** Per dimension, all entities, the whole period. */
  dimensions: (Score & { dimension: Dimension })[];
  /** Per ingestion day and dimension, all entities. */
  daily: (Score & { day: string; dimension: Dimension })[];
  /** Per entity and dimension, the whole period. */
  entities: (Score & { entity: string; dimension: Dimension })[];
  /** Per ingestion day, entity and dimension. */
  days: (Score & { day: string; entity: string; dimension: Dimension })[];
  /** Failed records per entity and rule over the period: reject rules, `unique:<key>`, `pending:<reason>`. */
  rules: { entity: string; dimension: Dimension; rule: string; failed: number }[];
}

export interface ScorecardRequest {
  from?: string;
  to?: string;
  entity?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // The round trip refuses days that do not exist (2026-02-30), which Date.parse would roll over.
  const parsed = DATE.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) throw Errors.badOption(option, value, 'a date YYYY-MM-DD');
  return value;
}

const day = (expr: string) => `CAST(${expr} AS DATE)`;

function dimensionOfRule(ruleExpr: string): string {
  const whens = Object.entries(RULE_DIMENSIONS).map(([kind, dim]) => `WHEN ${ruleExpr} LIKE ${quoteLiteral(`${kind}:%`)} THEN ${quoteLiteral(dim)}`);
  return `CASE ${whens.join(' ')} ELSE 'validity' END`;
}

/**
 * Valid records (not rejected) of the judged batches that repeat an earlier valid record's key and version time,
 * per ingestion day: the key and version are typed exactly as silver types them, so `01` and `1` are one line number.
 */
function repeatsSql(entity: EntityContract, d: Dialect, from: string): string {
  const e = entity.name;
  const cols = [...entity.key, ...(entity.versionColumn ? [entity.versionColumn] : [])];
  const texts = cols.map((c) => `${cleanText(c, entity.columns[c])} AS ${c}__t`).join(', ');
  const typedKeys = entity.key.map((k) => `${typed(k, entity.columns[k], d)} AS ${k}`).join(', ');
  const version = entity.versionColumn
    ? `COALESCE(${typed(entity.versionColumn, entity.columns[entity.versionColumn], d)}, c._ingested_at)` : 'c._ingested_at';
  return `SELECT ${quoteLiteral(e)} AS entity, x.day, ${quoteLiteral(`unique:${entity.key.join('+')}`)} AS rule, COUNT(*) AS n FROM (
      SELECT t.day, ROW_NUMBER() OVER (PARTITION BY ${entity.key.join(', ')}, _version_ts ORDER BY t._batch_id, t._line) AS rn
      FROM (
        SELECT c.day, c._batch_id, c._line, ${typedKeys}, ${version} AS _version_ts
        FROM (
          SELECT bt.day, b._batch_id, b._line, b._ingested_at, ${texts}
          FROM bronze.${e} b JOIN judged_batches bt ON bt.batch_id = b._batch_id
          WHERE NOT EXISTS (SELECT 1 FROM silver.rejects r WHERE r.batch_id = b._batch_id AND r.line = b._line)
        ) c
      ) t
    ) x
    WHERE x.rn > 1 AND x.day >= ${day(quoteLiteral(from))}
    GROUP BY x.day`;
}

function scorecardSql(entities: readonly EntityContract[], d: Dialect, from: string, to: string): string {
  const names = entities.map((e) => quoteLiteral(e.name)).join(', ');
  const waiting = entities.filter((e) => (e.dependsOn ?? []).length > 0).map((e) => quoteLiteral(e.name));
  const inPeriod = `day >= ${day(quoteLiteral(from))}`;
  const rate = (checked: string, failed: string) =>
    `CASE WHEN ${checked} > 0 THEN CAST(${checked} - ${failed} AS DOUBLE PRECISION) / ${checked} END`;
  // Earlier batches stay in judged_batches (up to `to`): a duplicate of a record from before `from` still counts.
  return `WITH judged_batches AS (
    SELECT batch_id, entity, ${day('ingested_at')} AS day, records FROM meta.batches
    WHERE processed_run_id IS NOT NULL AND entity IN (${names}) AND ${day('ingested_at')} < ${day(quoteLiteral(to))}
  ),
  judged AS (
    SELECT entity, day, SUM(records) AS n FROM judged_batches WHERE ${inPeriod} GROUP BY entity, day
  ),
  failures AS (
    SELECT r.entity, b.day, ${dimensionOfRule('r.rule')} AS dimension, r.rule, COUNT(*) AS n
    FROM silver.rejects r JOIN judged_batches b ON b.batch_id = r.batch_id WHERE b.${inPeriod}
    GROUP BY r.entity, b.day, r.rule
    UNION ALL
    SELECT p.entity, b.day, 'referential_integrity', 'pending:' || p.reason, COUNT(*)
    FROM silver.pending p JOIN judged_batches b ON b.batch_id = p.batch_id WHERE b.${inPeriod}
    GROUP BY p.entity, b.day, p.reason
    UNION ALL
    SELECT entity, day, 'uniqueness', rule, n FROM (
      ${entities.map((e) => repeatsSql(e, d, from)).join('\n      UNION ALL\n      ')}
    ) u
  ),
  rejected AS (
    SELECT entity, day, SUM(n) AS n FROM failures WHERE dimension IN ('completeness', 'validity') GROUP BY entity, day
  ),
  checks AS (
    SELECT j.entity, j.day, dim.dimension, j.n AS checked
    FROM judged j CROSS JOIN (SELECT 'completeness' AS dimension UNION ALL SELECT 'validity') dim
    UNION ALL
    SELECT j.entity, j.day, dim.dimension, j.n - COALESCE(r.n, 0)
    FROM judged j LEFT JOIN rejected r ON r.entity = j.entity AND r.day = j.day
    CROSS JOIN (SELECT 'uniqueness' AS dimension UNION ALL SELECT 'referential_integrity') dim
    WHERE dim.dimension = 'uniqueness'${waiting.length ? ` OR j.entity IN (${waiting.join(', ')})` : ''}
  ),
  facts AS (
    SELECT c.entity, c.day, c.dimension, c.checked, COALESCE(f.n, 0) AS failed
    FROM checks c LEFT JOIN (SELECT entity, day, dimension, SUM(n) AS n FROM failures GROUP BY entity, day, dimension) f
      ON f.entity = c.entity AND f.day = c.day AND f.dimension = c.dimension
  )
  SELECT CASE WHEN entity IS NULL AND day IS NULL THEN 'dimension' WHEN entity IS NULL THEN 'daily' WHEN day IS NULL THEN 'entity' ELSE 'day' END AS grain,
    entity, CAST(day AS VARCHAR) AS day, dimension, CAST(NULL AS VARCHAR) AS rule,
    SUM(checked) AS checked, SUM(failed) AS failed, ${rate('SUM(checked)', 'SUM(failed)')} AS pass_rate
  FROM facts
  GROUP BY GROUPING SETS ((entity, day, dimension), (entity, dimension), (day, dimension), (dimension))
  UNION ALL
  SELECT 'rule', entity, NULL, dimension, rule, NULL, SUM(n), NULL FROM failures GROUP BY entity, dimension, rule`;
}

interface ScoreSqlRow {
  grain: 'day' | 'daily' | 'entity' | 'dimension' | 'rule';
  entity: string | null;
  day: string | null;
  dimension: Dimension;
  rule: string | null;
  checked: number | string | null;
  failed: number | string;
  pass_rate: number | string | null;
}

const order = (d: Dimension) => DIMENSIONS.indexOf(d);
const entityOrder = (e: string) => ENTITY_NAMES.indexOf(e);

/** The scorecard over ingestion days [from, to) (default: every day a judged batch was ingested), optionally of one entity. */
export async function qualityScorecard(wh: Warehouse, request: ScorecardRequest = {}): Promise<Scorecard> {
  let from = validDate('--from', request.from);
  let to = validDate('--to', request.to);
  if (from && to && from >= to) throw Errors.badOption('--to', to, `a day after --from ${from} (the period is [from, to))`);
  if (request.entity !== undefined && !ENTITY_NAMES.includes(request.entity)) {
    throw Errors.badOption('--entity', request.entity, `one of ${ENTITY_NAMES.join(', ')}`);
  }
  const entities = ENTITIES.filter((e) => request.entity === undefined || e.name === request.entity);
  const entityFilter = request.entity === undefined ? '' : ` AND entity = ${quoteLiteral(request.entity)}`;
  if (!from || !to) {
    const [span] = await wh.read<{ first_day: string | null; last_day: string | null }>(
      `SELECT CAST(MIN(${day('ingested_at')}) AS VARCHAR) AS first_day, CAST(MAX(${day('ingested_at')}) + 1 AS VARCHAR) AS last_day
       FROM meta.batches WHERE processed_run_id IS NOT NULL${entityFilter}`);
    from ??= span.first_day ?? undefined;
    to ??= span.last_day ?? undefined;
  }
  const card: Scorecard = { from: from ?? null, to: to ?? null, entity: request.entity ?? null, dimensions: [], daily: [], entities: [], days: [], rules: [] };
  if (!from || !to || from >= to) return card;

  const rows = await wh.read<ScoreSqlRow>(scorecardSql(entities, wh.dialect, from, to));
  for (const r of rows) {
    const failed = Number(r.failed);
    if (r.grain === 'rule') {
      card.rules.push({ entity: r.entity!, dimension: r.dimension, rule: r.rule!, failed });
      continue;
    }
    const checked = Number(r.checked);
    const score: Score = { checked, passed: checked - failed, failed, pass_rate: r.pass_rate === null ? null : Number(r.pass_rate) };
    if (r.grain === 'dimension') card.dimensions.push({ dimension: r.dimension, ...score });
    else if (r.grain === 'daily') card.daily.push({ day: r.day!, dimension: r.dimension, ...score });
    else if (r.grain === 'entity') card.entities.push({ entity: r.entity!, dimension: r.dimension, ...score });
    else card.days.push({ day: r.day!, entity: r.entity!, dimension: r.dimension, ...score });
  }
  card.dimensions.sort((a, b) => order(a.dimension) - order(b.dimension));
  card.daily.sort((a, b) => a.day.localeCompare(b.day) || order(a.dimension) - order(b.dimension));
  card.entities.sort((a, b) => entityOrder(a.entity) - entityOrder(b.entity) || order(a.dimension) - order(b.dimension));
  card.days.sort((a, b) => a.day.localeCompare(b.day) || entityOrder(a.entity) - entityOrder(b.entity) || order(a.dimension) - order(b.dimension));
  card.rules.sort((a, b) => entityOrder(a.entity) - entityOrder(b.entity) || order(a.dimension) - order(b.dimension) || b.failed - a.failed || a.rule.localeCompare(b.rule));
  return card;
}
