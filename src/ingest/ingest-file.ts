// Lands one file in bronze as one batch, atomically: all its records or none; the same bytes twice is a no-op.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ENTITY_NAMES, getEntity, type EntityContract } from '../contracts/index.js';
import { Errors, StorePulseError } from '../errors/catalogue.js';
import type { Warehouse } from '../warehouse/engine.js';
import { bronzeColumns, bronzeTable } from './bronze-schema.js';
import type { DataFile } from './discover.js';
import { bronzeSelect, inspectFile, type BronzeQuery } from './file-query.js';

export type FileOutcome =
  | { status: 'loaded'; path: string; entity: string; batchId: number; records: number; extras: string[] }
  | { status: 'skipped'; path: string; entity: string; batchId: number; reason: string }
  | { status: 'refused'; path: string; entity?: string; code: string; reason: string };

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function nextBatchId(wh: Warehouse): Promise<number> {
  const [row] = await wh.all<{ id: number }>("SELECT nextval('meta.batch_seq') AS id");
  return Number(row.id);
}

export interface BatchToLand {
  entity: EntityContract;
  /** The file or request the batch came from (kept with every record and in meta.batches). */
  source: string;
  /** Identifies the content: a batch whose hash already landed for the entity is skipped. */
  contentHash: string;
  /** The bronze SELECT (see bronzeRows) for the batch's id and ingestion time; asked for only when the batch is new. */
  select(q: BronzeQuery): string | Promise<string>;
  /** What a failure to read the rows means for the user (a file that does not parse, a mapping that fans out). */
  readError?: (e: Error) => Error;
  /** More bookkeeping in the batch's transaction (a stream's positions, say). */
  inTransaction?: (batchId: number) => Promise<void>;
}

export type LandedBatch =
  | { status: 'loaded'; batchId: number; records: number }
  | { status: 'skipped'; batchId: number; ingestedAt: string };

/** Lands one batch in bronze atomically, unless the same content already landed. Files, mappings and streams all land here. */
export async function landBatch(wh: Warehouse, batch: BatchToLand): Promise<LandedBatch> {
  const seen = await wh.all<{ batch_id: number; ingested_at: string }>(
    'SELECT batch_id, ingested_at FROM meta.batches WHERE content_hash = $1 AND entity = $2 LIMIT 1', [batch.contentHash, batch.entity.name]);
  if (seen.length > 0) return { status: 'skipped', batchId: Number(seen[0].batch_id), ingestedAt: seen[0].ingested_at };
  return wh.transaction(async () => {
    const batchId = await nextBatchId(wh);
    const ingestedAt = new Date().toISOString();
    const select = await batch.select({ batchId, source: batch.source, ingestedAt });
    let records: number;
    try {
      records = await wh.loadFromFileQuery(bronzeTable(batch.entity), bronzeColumns(batch.entity), select);
    } catch (e) {
      throw batch.readError && !wh.isTransient(e) ? batch.readError(e as Error) : e;
    }
    await wh.run(
      'INSERT INTO meta.batches (batch_id, entity, source, content_hash, records, ingested_at) VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMPTZ))',
      [batchId, batch.entity.name, batch.source, batch.contentHash, records, ingestedAt]);
    await batch.inTransaction?.(batchId);
    return { status: 'loaded' as const, batchId, records };
  });
}

/** A file as a batch: its columns are read (and a missing required one refuses it) only when it is new. */
export function fileBatch(wh: Warehouse, file: DataFile, entity: EntityContract, source: string, contentHash: string): BatchToLand & { extras(): string[] } {
  let extras: string[] = [];
  return {
    entity, source, contentHash,
    select: async (q) => {
      const shape = await inspectFile(wh, file.path, file.format, entity, file.columns);
      extras = shape.extras;
      return bronzeSelect(file.path, file.format, entity, shape, q);
    },
    readError: (e) => Errors.unreadableFile(file.path, e.message.split('\n')[0]),
    extras: () => extras,
  };
}

export async function ingestFile(wh: Warehouse, file: DataFile, source = file.path): Promise<FileOutcome> {
  const entityName = file.entity;
  const entity = entityName ? getEntity(entityName) : undefined;
  if (!entity) {
    const e = Errors.unknownEntity(file.path, ENTITY_NAMES);
    return { status: 'refused', path: file.path, code: e.code, reason: e.message };
  }
  try {
    const batch = fileBatch(wh, file, entity, source, await sha256File(file.path));
    const landed = await landBatch(wh, batch);
    return landed.status === 'skipped'
      ? { status: 'skipped', path: file.path, entity: entity.name, batchId: landed.batchId, reason: `already ingested as batch ${landed.batchId} at ${landed.ingestedAt}; nothing changed` }
      : { status: 'loaded', path: file.path, entity: entity.name, batchId: landed.batchId, records: landed.records, extras: batch.extras() };
  } catch (e) {
    if (e instanceof StorePulseError) return { status: 'refused', path: file.path, entity: entity.name, code: e.code, reason: e.message };
    throw e;
  }
}
