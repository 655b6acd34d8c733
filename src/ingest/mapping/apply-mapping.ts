// `ingest --mapping`: every batch the plan names lands in bronze, each atomically and once. The whole mapping is
// checked first (required columns mapped, every expression binds), so a broken mapping loads nothing at all.
import { Errors, StorePulseError } from '../../errors/catalogue.js';
import type { Warehouse } from '../../warehouse/engine.js';
import { bronzeRows } from '../file-query.js';
import { landBatch, type FileOutcome } from '../ingest-file.js';
import { bindingProblems, planMapping, refuseIfBroken, type MappingPlan, type PlannedBatch } from './mapping-plan.js';
import { FAN_OUT_MARKER, entityQuery } from './mapping-sql.js';
import type { Mapping } from './mapping-types.js';

/** Plans the mapping over the paths and refuses it whole when it cannot work. */
export async function readyMapping(wh: Warehouse, mapping: Mapping, paths: readonly string[]): Promise<MappingPlan> {
  const plan = await planMapping(wh, mapping, paths);
  refuseIfBroken(plan, [...plan.problems, ...await bindingProblems(wh, plan)]);
  return plan;
}

export async function landPlannedBatch(wh: Warehouse, plan: MappingPlan, batch: PlannedBatch): Promise<FileOutcome> {
  const { mapping } = plan;
  const path = batch.files.main.path;
  const query = entityQuery(mapping, batch.entity, batch.files);
  try {
    const landed = await landBatch(wh, {
      entity: query.entity, source: path, contentHash: batch.contentHash,
      select: (q) => bronzeRows(query.entity, query.records, q),
      readError: (e) => {
        const fanOut = new RegExp(`${FAN_OUT_MARKER}(\\d+)`).exec(e.message);
        return fanOut ? Errors.mappingFanOut(mapping.file, batch.entity, batch.files.main.rel, Number(fanOut[1]))
          : Errors.unreadableFile(path, e.message.split('\n')[0]);
      },
    });
    return landed.status === 'skipped'
      ? { status: 'skipped', path, entity: batch.entity, batchId: landed.batchId, reason: `already ingested through ${mapping.name} as batch ${landed.batchId} at ${landed.ingestedAt}; nothing changed` }
      : { status: 'loaded', path, entity: batch.entity, batchId: landed.batchId, records: landed.records, extras: [] };
  } catch (e) {
    if (e instanceof StorePulseError) return { status: 'refused', path, entity: batch.entity, code: e.code, reason: e.message };
    throw e;
  }
}

/** Lands the whole mapping; onOutcome hears about each batch as it is done. */
export async function applyMapping(
  wh: Warehouse, mapping: Mapping, paths: readonly string[], onOutcome?: (o: FileOutcome, i: number, n: number) => void,
  onPlanned?: (plan: MappingPlan) => void,
): Promise<{ plan: MappingPlan; outcomes: FileOutcome[] }> {
  const plan = await readyMapping(wh, mapping, paths);
  onPlanned?.(plan);
  const outcomes: FileOutcome[] = [];
  for (const [i, batch] of plan.batches.entries()) {
    const o = await landPlannedBatch(wh, plan, batch);
    outcomes.push(o);
    onOutcome?.(o, i, plan.batches.length);
  }
  return { plan, outcomes };
}
