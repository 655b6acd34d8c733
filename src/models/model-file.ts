// Reads a gold model: a SQL file with a YAML header naming how it is built and which changes affect it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Errors } from '../errors/catalogue.js';
import { parseTests, type TestSpec } from '../quality/model-tests.js';

export interface Model {
  /** Table name, e.g. gold.fact_order. */
  name: string;
  file: string;
  description: string;
  /** `incremental`: only affected partitions are rebuilt; `table`: rebuilt whole when an input changed. */
  materialized: 'incremental' | 'table';
  partitionBy?: string;
  /**
   * How an incremental model takes a change. `delete+insert`: the affected partitions are rebuilt. `sum`: the model
   * is sums by `uniqueKey` over its inputs read through {{ signed('table') }}; a run adds to them the sums of the
   * affected partitions' rows after the change (sign +1) and takes away those of the rows before it (sign -1), so
   * a change costs what it touches, not the whole history of every key it touches.
   */
  strategy: 'delete+insert' | 'sum';
  /**
   * `sum` models: the inputs read through {{ signed('table') }}, each with rows before and after a change. Every
   * other table it reads (its `affected` lists them all) is read as it is now: a change of one that re-opens a
   * partition rebuilds the model whole, as the sums before that change are not kept.
   */
  summedInputs: string[];
  /**
   * `sum` models: what a run reads of the input. `partitions`: every row of each affected partition, before and
   * after (a model that joins a partition's rows with each other, pairs of an order's products). `changed_rows`:
   * the input's change set alone, its new rows added and its old rows taken away, for a model whose every input
   * row adds to its sums on its own; a partition's unchanged rows would cancel out.
   */
  sumOver: 'partitions' | 'changed_rows';
  /** `sum` models: the columns a row is identified by, and the summed columns (a key whose sums reach 0 goes). */
  uniqueKey: string[];
  sums: string[];
  /** Upstream table → SQL listing the partition values its changes affect ({{ changes }} is its change set). */
  affected: Record<string, string>;
  /** Tables the SQL reads, named explicitly in it. */
  dependsOn: string[];
  /**
   * Upstream models read through {{ rebuilt('…') }}: for this model's own partitions only, so an incremental build
   * may read them from the upstream's rows just rebuilt (render.ts).
   */
  readsRebuilt: string[];
  sql: string;
  hash: string;
  /**
   * How many statements a full build is made of, each over one part of the partition values (by hash), the first
   * creating the table and the others appending: for a model whose aggregates hold their groups' rows in memory
   * (ordered aggregates), a part holds a fraction of them. 1: one statement.
   */
  fullBuildParts: number;
  /** Column lists to index on engines that use indexes (PostgreSQL); DuckDB relies on its zone maps. */
  indexes: string[][];
  /** Declared data tests, run after the model builds in every run (and by `storepulse test`). */
  tests: TestSpec[];
}

const HEADER = /^\s*\/\*\s*---\s*\n([\s\S]*?)\n\s*---\s*\*\/\s*\n/;
/** A silver or gold table named in SQL (models, and the renames of tables built apart). */
export const TABLE_REF = /\b(silver|gold)\.([a-z_][a-z0-9_]*)/g;
const REBUILT = /\{\{\s*rebuilt\(\s*'([^']*)'\s*\)\s*\}\}/g;
const SIGNED = /\{\{\s*signed\(\s*'([^']*)'\s*\)\s*\}\}/g;

export const GOLD_MODELS_DIR = fileURLToPath(new URL('../../src/models/gold/', import.meta.url));

export function parseModel(file: string, text: string): Model {
  const m = HEADER.exec(text);
  if (!m) throw Errors.badModel(file, 'it must start with a /* --- YAML --- */ header');
  let header: Record<string, unknown>;
  try {
    header = (parse(m[1]) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw Errors.badModel(file, `its YAML header does not parse: ${(e as Error).message.split('\n')[0]}`);
  }
  const sql = text.slice(m[0].length).trim().replace(/;\s*$/, '');
  const name = `gold.${basename(file, '.sql')}`;
  const materialized = header.materialized ?? 'incremental';
  if (materialized !== 'incremental' && materialized !== 'table') throw Errors.badModel(file, `materialized must be incremental or table`);
  const affected = (header.affected ?? {}) as Record<string, string>;
  if (materialized === 'incremental' && (!header.partition_by || Object.keys(affected).length === 0)) {
    throw Errors.badModel(file, 'an incremental model needs partition_by and affected');
  }
  const refs = new Set<string>();
  for (const r of sql.matchAll(TABLE_REF)) if (`${r[1]}.${r[2]}` !== name) refs.add(`${r[1]}.${r[2]}`);
  const strategy = header.incremental_strategy ?? 'delete+insert';
  if (strategy !== 'delete+insert' && strategy !== 'sum') throw Errors.badModel(file, 'incremental_strategy must be delete+insert or sum');
  const columnList = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
  const uniqueKey = columnList(header.unique_key);
  const sums = columnList(header.sum);
  const sumOver = header.sum_over ?? 'partitions';
  if (sumOver !== 'partitions' && sumOver !== 'changed_rows') throw Errors.badModel(file, 'sum_over must be partitions or changed_rows');
  if (header.sum_over !== undefined && strategy !== 'sum') throw Errors.badModel(file, 'sum_over belongs to incremental_strategy: sum models');
  const readsRebuilt = [...sql.matchAll(REBUILT)].map((r) => r[1]);
  if (readsRebuilt.length > 0 && (strategy !== 'delete+insert' || materialized !== 'incremental')) {
    throw Errors.badModel(file, "{{ rebuilt('table') }} belongs to delete+insert incremental models");
  }
  const summedInputs = [...new Set([...sql.matchAll(SIGNED)].map((r) => r[1]))].sort();
  if (strategy === 'sum') checkSumModel(file, materialized, affected, refs, summedInputs, sumOver, uniqueKey, sums);
  else if (/\{\{\s*signed\(/.test(sql)) throw Errors.badModel(file, "{{ signed('table') }} belongs to incremental_strategy: sum models");
  const fullBuildParts = header.full_build_parts ?? 1;
  if (typeof fullBuildParts !== 'number' || !Number.isInteger(fullBuildParts) || fullBuildParts < 1) {
    throw Errors.badModel(file, 'full_build_parts must be a whole number of at least 1');
  }
  // The parts are told apart by partition_filter, so its rows must all pass through it, grouped by the partition.
  if (fullBuildParts > 1 && (strategy !== 'delete+insert' || materialized !== 'incremental' || !/\{\{\s*partition_filter\(/.test(sql))) {
    throw Errors.badModel(file, 'full_build_parts needs a delete+insert incremental model whose rows all pass its {{ partition_filter(...) }}');
  }
  return {
    name, file, materialized,
    description: String(header.description ?? ''),
    partitionBy: header.partition_by as string | undefined,
    strategy, summedInputs, sumOver, uniqueKey, sums,
    affected,
    fullBuildParts,
    dependsOn: [...refs].sort(),
    readsRebuilt: [...new Set(readsRebuilt)].sort(),
    sql,
    hash: createHash('sha256').update(text).digest('hex').slice(0, 16),
    indexes: ((header.indexes ?? []) as (string | string[])[]).map((i) => (Array.isArray(i) ? i : [i])),
    tests: strategy === 'sum' ? withUniqueKey(file, uniqueKey, parseTests(file, header.tests)) : parseTests(file, header.tests),
  };
}

/**
 * A sum model reads gold models alone, each named in its `affected`: a gold model's change set is all a run knows of
 * what changed, and only it holds every row before and after. Those it sums over it reads through {{ signed('…') }},
 * all partitioned as the model is (their rows before and after are those of its affected partitions); any other is
 * read as it is now, and a change of it that re-opens a partition rebuilds the model whole.
 */
function checkSumModel(file: string, materialized: unknown, affected: Record<string, string>, refs: Set<string>, summedInputs: string[],
  sumOver: string, uniqueKey: string[], sums: string[]): void {
  if (materialized !== 'incremental') throw Errors.badModel(file, 'incremental_strategy: sum needs materialized: incremental');
  if (uniqueKey.length === 0 || sums.length === 0) throw Errors.badModel(file, 'incremental_strategy: sum needs unique_key and sum');
  const inputs = Object.keys(affected);
  const notGold = inputs.find((t) => !t.startsWith('gold.'));
  if (notGold) throw Errors.badModel(file, `a sum model is affected by gold models alone, not ${notGold}`);
  if (summedInputs.length === 0) throw Errors.badModel(file, "a sum model reads what it sums as {{ signed('table') }}");
  const unlisted = [...refs].find((t) => !inputs.includes(t));
  if (unlisted) throw Errors.badModel(file, `a sum model reads ${unlisted}, which its affected does not list`);
  const unread = inputs.find((t) => !refs.has(t));
  if (unread) throw Errors.badModel(file, `a sum model's affected lists ${unread}, which it does not read`);
  if (sumOver === 'changed_rows' && inputs.length !== 1) {
    throw Errors.badModel(file, 'sum_over: changed_rows reads the change set of one input, which the model reads alone');
  }
}

/** A sum model's key is what its merge joins on: it is always tested as unique (and names a row in samples). */
function withUniqueKey(file: string, uniqueKey: string[], tests: TestSpec[]): TestSpec[] {
  const same = (t: TestSpec) => t.kind === 'unique' && t.columns.join() === uniqueKey.join();
  return tests.some(same) ? tests : [...parseTests(file, [{ unique: uniqueKey }]), ...tests];
}

/**
 * Each model file's last parse, with the text it parsed. Every run reads the files again, so that an edited model is
 * rebuilt by the next micro-batch of a running service, but parses only a file whose text changed: parsing all of
 * them was about 26 ms of each micro-batch (bench/findings.md, finding 52). Nothing changes a Model once parsed.
 */
const parsed = new Map<string, { text: string; model: Model }>();

function readModel(file: string): Model {
  const text = readFileSync(file, 'utf8');
  const last = parsed.get(file);
  if (last?.text === text) return last.model;
  const model = parseModel(file, text);
  parsed.set(file, { text, model });
  return model;
}

/** All gold models in an order where every model comes after the models it reads. */
export function loadModels(dir = GOLD_MODELS_DIR): Model[] {
  const models = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => readModel(join(dir, f)));
  const byName = new Map(models.map((m) => [m.name, m]));
  const ordered: Model[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: Model, path: string[]) => {
    if (state.get(m.name) === 'done') return;
    if (state.get(m.name) === 'visiting') throw Errors.badModel(m.file, `dependency cycle: ${[...path, m.name].join(' → ')}`);
    state.set(m.name, 'visiting');
    for (const dep of m.dependsOn) {
      const up = byName.get(dep);
      if (up) visit(up, [...path, m.name]);
      else if (dep.startsWith('gold.')) throw Errors.badModel(m.file, `reads ${dep}, which no model builds`);
    }
    state.set(m.name, 'done');
    ordered.push(m);
  };
  for (const m of models) visit(m, []);
  // What each model reads, directly or through the models it reads (ordered: upstream models come first).
  const reads = new Map<string, Set<string>>();
  for (const m of ordered) reads.set(m.name, new Set(m.dependsOn.flatMap((d) => [d, ...(reads.get(d) ?? [])])));
  for (const m of ordered) {
    for (const up of Object.keys(m.affected)) {
      // Silver is complete before any gold model runs, and a gold model is built after every model it reads, so a
      // model may be affected by a table it reads through another model (fact_order by silver.fx_rates via
      // gold.dim_fx_rate; the loyalty mart by fact_order via the lifetime value mart); it must read it somehow.
      if (up.startsWith('gold.') && !reads.get(m.name)!.has(up)) throw Errors.badModel(m.file, `affected names ${up}, which the SQL does not read, directly or through the models it reads`);
      if (byName.get(up)?.materialized === 'table') throw Errors.badModel(m.file, `affected cannot name ${up}: table models keep no change set`);
      if (byName.get(up)?.strategy === 'sum') throw Errors.badModel(m.file, `affected cannot name ${up}: sum models keep no change set`);
    }
    // Its rows just rebuilt stand for the table only where they are this model's partitions' rows: the same
    // partition column, and an upstream rebuilt by partition (delete+insert) that keeps its rows after. A sum model
    // takes the rows before and after of what it sums from there too.
    const keptRowsRead = [...m.readsRebuilt.map((up) => [up, `{{ rebuilt('${up}') }}`]),
      ...(m.strategy === 'sum' ? m.summedInputs.map((up) => [up, `{{ signed('${up}') }}`]) : [])];
    for (const [up, use] of keptRowsRead) {
      const u = byName.get(up);
      if (!u || u.materialized !== 'incremental' || u.strategy !== 'delete+insert') {
        throw Errors.badModel(m.file, `${use} needs a gold model rebuilt by partition (delete+insert)`);
      }
      if (u.partitionBy !== m.partitionBy) {
        throw Errors.badModel(m.file, `${use} needs ${up} partitioned as this model is (by ${m.partitionBy}, not ${u.partitionBy})`);
      }
    }
  }
  return ordered;
}
