// Lands one batch of stream messages in bronze exactly once: messages whose positions already landed (a
// redelivery after a crash between landing and ack) are left out, and the positions of the rest are recorded in
// the same transaction as their records, so a record is either in bronze with its position or in neither.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEntity } from '../../contracts/index.js';
import type { Warehouse } from '../../warehouse/engine.js';
import { fileBatch, landBatch } from '../ingest-file.js';
import { writeRecordsFile } from '../record-ingest.js';
import type { StreamMessage } from './stream-source.js';

export interface StreamLanding {
  batchId?: number;
  /** Messages new to bronze, and records they held. */
  messages: number;
  records: number;
  /** Messages that had landed before (redeliveries). */
  redelivered: number;
}

/** Contiguous runs of sorted offsets, [first, last] each. */
export function offsetRanges(offsets: readonly number[]): [number, number][] {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const o of sorted) {
    const last = out[out.length - 1];
    if (last && o === last[1] + 1) last[1] = o;
    else out.push([o, o]);
  }
  return out;
}

/**
 * A message is one JSON record, a JSON array of records or NDJSON. What does not parse is kept as the record
 * {"_unparsed": text}: it lacks every required column, so silver rejects it with the text in its raw record.
 */
export function recordsOf(m: StreamMessage): Record<string, unknown>[] {
  const text = Buffer.from(m.data).toString('utf8');
  const meta = { _subject: m.subject, _offset: m.offset };
  const asRecords = (v: unknown): Record<string, unknown>[] | undefined => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return [v as Record<string, unknown>];
    if (Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) return v as Record<string, unknown>[];
    return undefined;
  };
  let records: Record<string, unknown>[] | undefined;
  try {
    records = asRecords(JSON.parse(text));
  } catch {
    try {
      const lines = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
      records = lines.every((l) => asRecords(l)?.length === 1) ? lines as Record<string, unknown>[] : undefined;
    } catch {
      records = undefined;
    }
  }
  return (records ?? [{ _unparsed: text }]).map((r) => ({ ...r, ...meta }));
}

async function landedBefore(wh: Warehouse, source: string, messages: readonly StreamMessage[]): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const partition of new Set(messages.map((m) => m.partition))) {
    const offsets = messages.filter((m) => m.partition === partition).map((m) => m.offset);
    const ranges = await wh.all<{ first_offset: number; last_offset: number }>(
      `SELECT first_offset, last_offset FROM meta.stream_positions
       WHERE source = $1 AND stream_partition = $2 AND last_offset >= $3 AND first_offset <= $4`,
      [source, partition, Math.min(...offsets), Math.max(...offsets)]);
    for (const o of offsets) {
      if (ranges.some((r) => Number(r.first_offset) <= o && o <= Number(r.last_offset))) seen.add(`${partition}#${o}`);
    }
  }
  return seen;
}

export async function landMessages(wh: Warehouse, source: string, entityName: string, messages: readonly StreamMessage[]): Promise<StreamLanding> {
  const entity = getEntity(entityName)!;
  const seen = await landedBefore(wh, source, messages);
  const fresh = new Map<string, StreamMessage>();
  for (const m of messages) {
    const id = `${m.partition}#${m.offset}`;
    if (!seen.has(id)) fresh.set(id, m);
  }
  const redelivered = messages.length - fresh.size;
  if (fresh.size === 0) return { messages: 0, records: 0, redelivered };
  const batch = [...fresh.values()].sort((a, b) => a.partition.localeCompare(b.partition) || a.offset - b.offset);
  const records = batch.flatMap(recordsOf);
  const dir = mkdtempSync(join(tmpdir(), 'storepulse-stream-'));
  const file = writeRecordsFile(entity, records, join(dir, `${entity.name}.ndjson`));
  try {
    const positions = [...new Set(batch.map((m) => m.partition))].flatMap((p) =>
      offsetRanges(batch.filter((m) => m.partition === p).map((m) => m.offset)).map(([first, last]) => ({ p, first, last })));
    // Positions are unique to this batch (those landed before were left out), so its content never repeats.
    const contentHash = `stream:${source}:${positions.map((r) => `${r.p}:${r.first}-${r.last}`).join(',')}`;
    const landed = await landBatch(wh, {
      ...fileBatch(wh, file, entity, source, contentHash),
      inTransaction: async (batchId) => {
        for (const r of positions) {
          await wh.run('INSERT INTO meta.stream_positions (source, stream_partition, first_offset, last_offset, batch_id) VALUES ($1, $2, $3, $4, $5)',
            [source, r.p, r.first, r.last, batchId]);
        }
      },
    });
    return { batchId: landed.batchId, messages: batch.length, records: landed.status === 'loaded' ? landed.records : 0, redelivered };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
