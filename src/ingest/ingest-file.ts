// Lands one file in bronze as one batch, atomically: all its records or none; the same bytes twice is a no-op.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ENTITY_NAMES, getEntity } from '../contracts/index.js';
import { Errors, StorePulseError } from '../errors/catalogue.js';
import type { Warehouse } from '../warehouse/engine.js';
import { bronzeColumns, bronzeTable } from './bronze-schema.js';
import type { DataFile } from './discover.js';
import { bronzeSelect, inspectFile } from './file-query.js';

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

export async function ingestFile(wh: Warehouse, file: DataFile, source = file.path): Promise<FileOutcome> {
  const entityName = file.entity;
  const entity = entityName ? getEntity(entityName) : undefined;
  if (!entity) {
    const e = Errors.unknownEntity(file.path, ENTITY_NAMES);
    return { status: 'refused', path: file.path, code: e.code, reason: e.message };
  }
  try {
    const contentHash = await sha256File(file.path);
    const seen = await wh.all<{ batch_id: number; ingested_at: string }>(
      'SELECT batch_id, ingested_at FROM meta.batches WHERE content_hash = $1 AND entity = $2 LIMIT 1', [contentHash, entity.name]);
    if (seen.length > 0) {
      return { status: 'skipped', path: file.path, entity: entity.name, batchId: seen[0].batch_id,
        reason: `already ingested as batch ${seen[0].batch_id} at ${seen[0].ingested_at}; nothing changed` };
    }
    const shape = await inspectFile(wh, file.path, file.format, entity);
    return await wh.transaction(async () => {
      const batchId = await nextBatchId(wh);
      const ingestedAt = new Date().toISOString();
      const select = bronzeSelect(file.path, file.format, entity, shape, { batchId, source, ingestedAt });
      let records: number;
      try {
        records = await wh.loadFromFileQuery(bronzeTable(entity), bronzeColumns(entity), select);
      } catch (e) {
        throw Errors.unreadableFile(file.path, (e as Error).message.split('\n')[0]);
      }
      await wh.run(
        'INSERT INTO meta.batches (batch_id, entity, source, content_hash, records, ingested_at) VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMPTZ))',
        [batchId, entity.name, source, contentHash, records, ingestedAt]);
      return { status: 'loaded' as const, path: file.path, entity: entity.name, batchId, records, extras: shape.extras };
    });
  } catch (e) {
    if (e instanceof StorePulseError) return { status: 'refused', path: file.path, entity: entity.name, code: e.code, reason: e.message };
    throw e;
  }
}
