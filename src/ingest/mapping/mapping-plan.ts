// Which foreign files feed which entity: each source's files are found under the given paths by their glob
// patterns, their columns read, and one batch planned per entity and file of its `from` source.
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { ENTITY_NAMES, getEntity, requiredColumns } from '../../contracts/index.js';
import { Errors, StorePulseError } from '../../errors/catalogue.js';
import type { Warehouse } from '../../warehouse/engine.js';
import { expandPaths, formatOf } from '../discover.js';
import { fileColumns } from '../file-query.js';
import { sha256File } from '../ingest-file.js';
import { entityQuery, tablesUsed, type BatchFiles, type SourceFile } from './mapping-sql.js';
import type { EntityMapping, Mapping } from './mapping-types.js';

export interface PlannedBatch {
  entity: string;
  files: BatchFiles;
  /** Of the mapping's entity spec and every file the batch reads: the same data through the same mapping lands once. */
  contentHash: string;
}

export interface MappingProblem {
  entity: string;
  /** Where in the mapping file ("line 14, key entities.orders.columns.status"). */
  where: string;
  message: string;
}

export interface MappingPlan {
  mapping: Mapping;
  /** Source name → the files it matched. */
  files: Map<string, SourceFile[]>;
  batches: PlannedBatch[];
  /** Entities of the mapping that get no batch, and why. */
  idle: { entity: string; reason: string }[];
  /** What makes the mapping unusable as it stands (checked before anything lands). */
  problems: MappingProblem[];
  /** Data files under the paths that no source of the mapping names (they are not read). */
  unmatched: string[];
}

async function readSourceFile(wh: Warehouse, path: string, rel: string, format: SourceFile['format']): Promise<SourceFile> {
  try {
    return { path, rel, format, columns: await fileColumns(wh, path, format) };
  } catch (e) {
    throw Errors.unreadableFile(path, (e as Error).message.split('\n')[0]);
  }
}

export async function planMapping(wh: Warehouse, mapping: Mapping, paths: readonly string[]): Promise<MappingPlan> {
  const found = expandPaths(paths);
  const files = new Map<string, SourceFile[]>();
  const matched = new Set<string>();
  for (const [name, source] of Object.entries(mapping.sources)) {
    const matches = picomatch(source.files, { basename: true, dot: false });
    const list: SourceFile[] = [];
    for (const f of found.filter((x) => matches(x.rel))) {
      matched.add(f.path);
      const format = source.format ?? formatOf(f.path);
      if (!format) throw Errors.unsupportedFormat(f.path);
      list.push(await readSourceFile(wh, f.path, f.rel, format));
    }
    files.set(name, list);
  }
  const problems: MappingProblem[] = [];
  const idle: MappingPlan['idle'] = [];
  const batches: PlannedBatch[] = [];
  const hashes = new Map<string, Promise<string>>();
  const hashOf = (path: string) => {
    if (!hashes.has(path)) hashes.set(path, sha256File(path));
    return hashes.get(path)!;
  };
  // Parents before children, as the pipeline processes them.
  for (const entity of ENTITY_NAMES.filter((n) => mapping.entities[n])) {
    const e = mapping.entities[entity];
    const contract = getEntity(entity)!;
    const unmapped = requiredColumns(contract).filter((c) => !e.columns[c]);
    if (unmapped.length > 0) {
      problems.push({
        entity, where: mapping.locate(['entities', entity, 'columns']),
        message: `required column${unmapped.length > 1 ? 's' : ''} ${unmapped.join(', ')} of ${entity} ${unmapped.length > 1 ? 'are' : 'is'} not mapped`,
      });
    }
    const used = tablesUsed(mapping, e);
    const missing = used.sources.filter((s) => s !== e.from && files.get(s)!.length === 0);
    if (missing.length > 0) {
      problems.push({
        entity, where: mapping.locate(['sources', missing[0]]),
        message: `${entity} reads ${missing.map((s) => `source ${s} (${mapping.sources[s].files.join(', ')})`).join(' and ')}, but no file matches it`,
      });
    }
    const mains = files.get(e.from)!;
    if (mains.length === 0) {
      idle.push({ entity, reason: `no file matches source ${e.from} (${mapping.sources[e.from].files.join(', ')})` });
      continue;
    }
    for (const main of mains) {
      const bySource = new Map(used.sources.map((s) => [s, s === e.from ? [main] : files.get(s)!]));
      const read = [...new Set([...bySource.values()].flat().map((f) => f.path))];
      const spec = { mapping: mapping.name, entity, spec: e, views: used.views.map((v) => mapping.views[v]), sources: used.sources.map((s) => mapping.sources[s]) };
      const digest = createHash('sha256').update(JSON.stringify(spec));
      for (const path of read) digest.update(await hashOf(path));
      batches.push({ entity, files: { main, bySource }, contentHash: `mapping:${digest.digest('hex')}` });
    }
  }
  if (batches.length === 0 && problems.length === 0) {
    throw Errors.mappingNoFiles(mapping.file, Object.values(mapping.entities).flatMap((e) => mapping.sources[e.from].files));
  }
  return { mapping, files, batches, idle, problems, unmatched: found.filter((f) => !matched.has(f.path)).map((f) => f.rel) };
}

/** Binds every entity's query once (no data read): a misspelt column or bad SQL is found before anything lands. */
export async function bindingProblems(wh: Warehouse, plan: MappingPlan): Promise<MappingProblem[]> {
  const problems: MappingProblem[] = [];
  const { mapping } = plan;
  const seen = new Set<string>();
  for (const batch of plan.batches) {
    if (seen.has(batch.entity)) continue;
    seen.add(batch.entity);
    const query = entityQuery(mapping, batch.entity, batch.files).records;
    const failure = await bindError(wh, query);
    if (!failure) continue;
    // Point at the column whose SQL fails, or, when even no column binds, at the entity's joins, filter or grouping.
    const e = mapping.entities[batch.entity];
    const only = (columns: EntityMapping['columns']) =>
      entityQuery({ ...mapping, entities: { ...mapping.entities, [batch.entity]: { ...e, columns } } }, batch.entity, batch.files).records;
    let where = mapping.locate(['entities', batch.entity]);
    if (!(await bindError(wh, only({})))) {
      for (const column of Object.keys(e.columns)) {
        if (await bindError(wh, only({ [column]: e.columns[column] }))) {
          where = mapping.locate(['entities', batch.entity, 'columns', column]);
          break;
        }
      }
    }
    problems.push({ entity: batch.entity, where, message: `the SQL does not work on ${batch.files.main.rel}: ${failure}` });
  }
  return problems;
}

async function bindError(wh: Warehouse, query: string): Promise<string | undefined> {
  try {
    await wh.inspectFiles(`DESCRIBE ${query}`);
    return undefined;
  } catch (e) {
    if (e instanceof StorePulseError) throw e;
    // DuckDB's first line names the column or function; the candidates line is worth keeping.
    return (e as Error).message.split('\n').filter((l) => l.trim() && !l.startsWith('LINE ') && !/^\s*\^/.test(l)).slice(0, 2).join(' ');
  }
}

/** Every problem, as one error naming the first few, or nothing. */
export function refuseIfBroken(plan: MappingPlan, problems: readonly MappingProblem[]): void {
  if (problems.length === 0) return;
  const [first, ...rest] = problems;
  const more = rest.slice(0, 4).map((p) => `; ${p.where}: ${p.message}`).join('');
  throw Errors.badMapping(plan.mapping.file, first.where, `${first.message}${more}${rest.length > 4 ? `; and ${rest.length - 4} more` : ''}`);
}
