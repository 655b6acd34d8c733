// `mapping check`: before anything lands, what the mapping would make of the files. Required columns left
// unmapped and SQL that does not bind are problems; records that would be rejected are counted per contract rule,
// with a few examples, using the very checks silver applies (so the check and the load agree).
import { getEntity } from '../../contracts/index.js';
import { describeRules } from '../../models/silver/checks.js';
import { conformSelect } from '../../models/silver/conform.js';
import { duckdbDialect } from '../../warehouse/duckdb/duckdb-dialect.js';
import type { Warehouse } from '../../warehouse/engine.js';
import { bindingProblems, planMapping, type MappingProblem } from './mapping-plan.js';
import { entityQuery } from './mapping-sql.js';
import type { Mapping } from './mapping-types.js';

export interface RejectSample {
  file: string;
  line: number;
  key: string | null;
  /** The mapped text of the column the rule is about (absent for a rule across columns). */
  value?: string | null;
}

export interface EntityCheck {
  entity: string;
  from: string;
  files: string[];
  /** False when its SQL does not work, so nothing could be counted. */
  checked: boolean;
  records: number;
  problems: MappingProblem[];
  /** Foreign lines that became more than one record (a join that matched several rows). */
  fanOut: { file: string; line: number; records: number }[];
  rejects: { rule: string; reason: string; records: number; examples: RejectSample[] }[];
  /** Why the entity gets no records, when it gets none. */
  idle?: string;
}

export interface MappingCheck {
  mapping: string;
  file: string;
  /** True when the mapping can be loaded: nothing unmapped, every expression binds, no fan-out. */
  ok: boolean;
  records: number;
  rejected: number;
  entities: EntityCheck[];
  /** Files under the paths that no source names. */
  unmatched: string[];
}

const EXAMPLES = 3;

export async function checkMapping(
  wh: Warehouse, mapping: Mapping, paths: readonly string[], baseCurrency: string, onProgress?: (message: string) => void,
): Promise<MappingCheck> {
  const plan = await planMapping(wh, mapping, paths);
  const problems = [...plan.problems, ...await bindingProblems(wh, plan)];
  const entities: EntityCheck[] = [];
  for (const entity of Object.keys(mapping.entities)) {
    const e = mapping.entities[entity];
    const batches = plan.batches.filter((b) => b.entity === entity);
    const check: EntityCheck = {
      entity, from: e.from, files: batches.map((b) => b.files.main.rel), checked: false, records: 0,
      problems: problems.filter((p) => p.entity === entity), fanOut: [], rejects: [],
      idle: plan.idle.find((i) => i.entity === entity)?.reason,
    };
    entities.push(check);
    if (check.problems.some((p) => !p.message.startsWith('required column'))) continue;
    check.checked = true;
    onProgress?.(`checking ${entity} (${batches.length} file(s))`);
    const contract = getEntity(entity)!;
    // The first reason of a rule, as silver's rejects give it (range rules share a name).
    const reasons = new Map<string, string>();
    for (const r of describeRules(contract, duckdbDialect, baseCurrency)) if (!reasons.has(r.rule)) reasons.set(r.rule, r.reason);
    const rejects = new Map<string, EntityCheck['rejects'][number]>();
    for (const batch of batches) {
      const records = entityQuery(mapping, entity, batch.files, { guardFanOut: false }).records;
      const [{ n }] = await wh.inspectFiles<{ n: number }>(`SELECT COUNT(*) AS n FROM (${records})`);
      check.records += Number(n);
      const fans = await wh.inspectFiles<{ line: number; n: number }>(
        `SELECT _line AS line, COUNT(*) AS n FROM (${records}) GROUP BY _line HAVING COUNT(*) > 1 ORDER BY _line LIMIT ${EXAMPLES}`);
      check.fanOut.push(...fans.map((f) => ({ file: batch.files.main.rel, line: Number(f.line), records: Number(f.n) })));
      const staged = `(SELECT 0 AS _batch_id, '' AS _source, CAST('2000-01-01' AS TIMESTAMPTZ) AS _ingested_at, * FROM (${records}))`;
      const conformed = `WITH m AS (${records}), c AS (${conformSelect(contract, staged, duckdbDialect, baseCurrency)})`;
      const entry = (rule: string) => {
        if (!rejects.has(rule)) rejects.set(rule, { rule, reason: reasons.get(rule) ?? rule, records: 0, examples: [] });
        return rejects.get(rule)!;
      };
      for (const r of await wh.inspectFiles<{ rule: string; n: number }>(`${conformed} SELECT _rule AS rule, COUNT(*) AS n FROM c WHERE _rule IS NOT NULL GROUP BY _rule`)) {
        entry(r.rule).records += Number(r.n);
      }
      const examples = await wh.inspectFiles<{ rule: string; line: number; key: string | null; rec: string }>(`${conformed}
        SELECT c._rule AS rule, c._line AS line, c._key AS key, CAST(to_json(m) AS VARCHAR) AS rec
        FROM c JOIN m ON m._line = c._line
        WHERE c._rule IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY c._rule ORDER BY c._line) <= ${EXAMPLES}
        ORDER BY rule, line`);
      for (const r of examples) {
        const list = entry(r.rule).examples;
        if (list.length >= EXAMPLES) continue;
        // Rules are named kind:column (required:order_id, enum:status), or rule:name for a rule across columns.
        const column = r.rule.startsWith('rule:') ? undefined : r.rule.slice(r.rule.indexOf(':') + 1);
        const rec = JSON.parse(r.rec) as Record<string, string | null>;
        list.push({ file: batch.files.main.rel, line: Number(r.line), key: r.key, ...(column ? { value: rec[column] ?? null } : {}) });
      }
    }
    check.rejects = [...rejects.values()];
  }
  const ok = problems.length === 0 && entities.every((e) => e.fanOut.length === 0) && plan.batches.length > 0;
  return {
    mapping: mapping.name, file: mapping.file, ok,
    records: entities.reduce((n, e) => n + e.records, 0),
    rejected: entities.reduce((n, e) => n + e.rejects.reduce((m, r) => m + r.records, 0), 0),
    entities,
    unmatched: plan.unmatched,
  };
}
