// Records posted over HTTP (or produced by the demo) take the same path as files: one NDJSON batch in bronze.
// The answer says at once how many records pass their contract, with the reasons of the first few that do not.
// Posts that arrive while others land wait and land together (post-queue.ts), each still a batch of its own.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityContract } from '../contracts/index.js';
import { StorePulseError } from '../errors/catalogue.js';
import { describeRules } from '../models/silver/checks.js';
import { conformSelect } from '../models/silver/conform.js';
import type { Warehouse } from '../warehouse/engine.js';
import { bronzeColumns, bronzeTable } from './bronze-schema.js';
import type { DataFile } from './discover.js';
import { fileBatch, landBatch, type LandedBatch } from './ingest-file.js';
import { PostQueue, type QueuedPost } from './post-queue.js';

export interface RecordRejection { line: number; key: string | null; rule: string; reason: string }

export interface RecordIngestResult {
  batch_id: number;
  received: number;
  accepted: number;
  rejected: number;
  rejects: RecordRejection[];
  duplicate?: boolean;
}

const FIRST_REJECTS = 10;

/**
 * Writes the records as NDJSON with every canonical key present, so a missing field is a per-record reject, not a
 * refused batch. The answer names the file's keys as DuckDB lists them (byte order), so it is not read back to find
 * them, and the hash of the bytes written, so they are not read back to hash them either.
 */
export function writeRecordsFile(entity: EntityContract, records: readonly Record<string, unknown>[], path: string): DataFile & { contentHash: string } {
  const names = Object.keys(entity.columns);
  const keys = new Set(names);
  const lines = records.map((r) => {
    const out: Record<string, unknown> = {};
    for (const n of names) out[n] = r[n] ?? null;
    for (const [k, v] of Object.entries(r)) {
      if (k in out) continue;
      out[k] = v;
      // JSON.stringify leaves an undefined value out, key and all.
      if (v !== undefined) keys.add(k);
    }
    return JSON.stringify(out);
  });
  const bytes = Buffer.from(lines.join('\n') + '\n');
  writeFileSync(path, bytes);
  const columns = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return { path, format: 'ndjson', entity: entity.name, columns, contentHash: createHash('sha256').update(bytes).digest('hex') };
}

// One queue per warehouse: the process's posts to it take turns, and those that waited land together.
const queues = new WeakMap<Warehouse, PostQueue<RecordIngestResult>>();

export async function ingestRecords(
  wh: Warehouse, entity: EntityContract, records: readonly Record<string, unknown>[],
  options: { source: string; baseCurrency: string; lockWaitMs: number },
): Promise<RecordIngestResult> {
  const dir = mkdtempSync(join(tmpdir(), 'storepulse-post-'));
  const { contentHash, ...file } = writeRecordsFile(entity, records, join(dir, `${entity.name}-${randomUUID()}.ndjson`));
  try {
    let queue = queues.get(wh);
    if (!queue) queues.set(wh, queue = new PostQueue(wh, landPosts));
    return await queue.submit({ entity, file, contentHash, received: records.length, ...options });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Lands posts of one entity, beside a running micro-batch rather than behind it, and settles each. A group is one
 * transaction; if it fails, nothing of it landed and each post lands again alone, so a bad post fails only itself.
 */
export async function landPosts(wh: Warehouse, posts: readonly QueuedPost[]): Promise<PromiseSettledResult<RecordIngestResult>[]> {
  const { entity, baseCurrency } = posts[0];
  const landOne = (post: QueuedPost) => wh.landing('ingest', post.lockWaitMs, async (w) => {
    let landed: LandedBatch;
    try {
      landed = await landBatch(w, fileBatch(w, post.file, entity, post.source, post.contentHash));
    } catch (e) {
      if (e instanceof StorePulseError) throw Object.assign(new Error(e.message), { code: e.code, httpStatus: 400 });
      throw e;
    }
    return (await answer(w, [{ batchId: landed.batchId, received: post.received, duplicate: landed.status === 'skipped' }], entity, baseCurrency))[0];
  });
  // One after another, so that a later post stays the later batch.
  const alone = async () => {
    const settled: PromiseSettledResult<RecordIngestResult>[] = [];
    for (const post of posts) {
      settled.push(await landOne(post).then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason })));
    }
    return settled;
  };
  if (posts.length === 1) return alone();
  const answers = await wh.landing('ingest', posts[0].lockWaitMs, async (w) => {
    let batches: LandedPost[];
    try {
      batches = await landGroup(w, posts);
    } catch {
      return undefined;
    }
    return answer(w, batches, entity, baseCurrency);
  });
  return answers ? answers.map((value) => ({ status: 'fulfilled' as const, value })) : alone();
}

interface LandedPost { batchId: number; received: number; duplicate: boolean }

/** The group's new contents as batches in bronze, in one transaction; a content seen before keeps its batch. */
async function landGroup(w: Warehouse, posts: readonly QueuedPost[]): Promise<LandedPost[]> {
  const entity = posts[0].entity;
  const hashes = [...new Set(posts.map((p) => p.contentHash))];
  const seen = new Map((await w.all<{ content_hash: string; batch_id: number }>(
    `SELECT content_hash, MIN(batch_id) AS batch_id FROM meta.batches WHERE entity = $1 AND content_hash IN (${hashes.map((_, i) => `$${i + 2}`).join(', ')})
     GROUP BY content_hash`, [entity.name, ...hashes])).map((r) => [r.content_hash, Number(r.batch_id)]));
  // The first post of each new content lands; a later post with the same body repeats it.
  const first = new Map<string, number>();
  posts.forEach((p, i) => { if (!first.has(p.contentHash)) first.set(p.contentHash, i); });
  const fresh = posts.filter((p, i) => !seen.has(p.contentHash) && first.get(p.contentHash) === i);
  const landedAs = fresh.length === 0 ? new Map<string, number>() : await w.transaction(async () => {
    const ids = (await w.all<{ id: number }>(`SELECT nextval('meta.batch_seq') AS id FROM generate_series(1, ${fresh.length})`))
      .map((r) => Number(r.id)).sort((a, b) => a - b);
    const ingestedAt = new Date().toISOString();
    // One statement reads every new post's file: each its own SELECT, as it would land alone.
    const selects: string[] = [];
    for (const [i, post] of fresh.entries()) {
      selects.push(await fileBatch(w, post.file, entity, post.source, post.contentHash).select({ batchId: ids[i], source: post.source, ingestedAt }));
    }
    const loaded = await w.loadFromFileQuery(bronzeTable(entity), bronzeColumns(entity), selects.map((s) => `(${s})`).join(' UNION ALL '));
    // A file holds one line per record posted (writeRecordsFile).
    const expected = fresh.reduce((n, p) => n + p.received, 0);
    if (loaded !== expected) throw new Error(`landed ${loaded} records of ${expected}`);
    const rows = fresh.map((post, i) => [ids[i], entity.name, post.source, post.contentHash, post.received, ingestedAt]);
    await w.run(`INSERT INTO meta.batches (batch_id, entity, source, content_hash, records, ingested_at) VALUES
      ${rows.map((_, r) => `(${[1, 2, 3, 4, 5].map((c) => `$${r * 6 + c}`).join(', ')}, CAST($${r * 6 + 6} AS TIMESTAMPTZ))`).join(', ')}`, rows.flat());
    return new Map(fresh.map((p, i) => [p.contentHash, ids[i]]));
  });
  return posts.map((p, i) => ({
    batchId: seen.get(p.contentHash) ?? landedAs.get(p.contentHash)!,
    received: p.received,
    duplicate: seen.has(p.contentHash) || first.get(p.contentHash) !== i,
  }));
}

/** Each landed post's answer: which of its batch's records pass their contract, from one query over all the batches. */
async function answer(w: Warehouse, landed: readonly LandedPost[], entity: EntityContract, baseCurrency: string): Promise<RecordIngestResult[]> {
  const batches = [...new Map(landed.map((l) => [l.batchId, l.received])).entries()];
  const rows = batches.reduce((n, [, received]) => n + received, 0);
  // The LIMIT (the batches' own size, so it drops nothing) keeps the filter on the first broken rule out of the
  // conforming subquery: pushed down into it, DuckDB took about twice as long over a post of 100 orders.
  const failures = await w.all<{ _batch_id: number; _line: number; _key: string | null; _rule: string }>(
    `SELECT _batch_id, _line, _key, _rule FROM (SELECT _batch_id, _line, _key, _rule FROM (${conformSelect(entity,
      `(SELECT * FROM bronze.${entity.name} WHERE _batch_id IN (${batches.map(([id]) => id).join(', ')}))`, w.dialect, baseCurrency)}) c0
       LIMIT ${Math.max(1, rows)}) c
     WHERE _rule IS NOT NULL ORDER BY _batch_id, _line`);
  const reasons = new Map(describeRules(entity, w.dialect, baseCurrency).map((r) => [r.rule, r.reason]));
  return landed.map((l) => {
    const own = failures.filter((f) => Number(f._batch_id) === l.batchId);
    return {
      batch_id: l.batchId,
      received: l.received,
      accepted: l.received - own.length,
      rejected: own.length,
      rejects: own.slice(0, FIRST_REJECTS).map((f) => ({ line: Number(f._line), key: f._key, rule: f._rule, reason: reasons.get(f._rule) ?? f._rule })),
      ...(l.duplicate ? { duplicate: true } : {}),
    };
  });
}
