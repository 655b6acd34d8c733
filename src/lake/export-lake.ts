// `storepulse export-lake`: silver and gold as Hive-partitioned Parquet with a manifest, so Spark, Trino, Athena or
// DuckDB elsewhere read the same tables. Every table is written to a staging folder first, all from one snapshot
// of committed data, and swapped into place only when all were written: a failed export leaves the lake as it was.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Errors, StorePulseError } from '../errors/catalogue.js';
import type { Warehouse } from '../warehouse/engine.js';
import { lakeTables, type LakeTable } from './lake-layout.js';
import { LAKE_FORMAT, readManifest, writeManifest, type LakeManifest, type ManifestTable } from './lake-manifest.js';

export interface ExportOptions {
  dir: string;
  baseCurrency: string;
  /** Only these tables (schema.table) need writing, e.g. what a run changed; absent: every table. */
  changed?: ReadonlySet<string>;
  onProgress?: (message: string) => void;
}

export interface ExportResult {
  dir: string;
  run_id: number | null;
  exported: { name: string; rows: number; files: number }[];
  /** Tables left as they were (unchanged since the last export). */
  kept: string[];
  ms: number;
}

function countFiles(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    n += statSync(full).isDirectory() ? countFiles(full) : name.endsWith('.parquet') ? 1 : 0;
  }
  return n;
}

/** One export at a time per lake; a lock left behind by a process that died is taken over. */
function takeLock(dir: string): () => void {
  const lock = join(dir, '.export.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw Errors.lakeFailed(dir, (e as Error).message);
      let pid = NaN;
      try { pid = Number(readFileSync(lock, 'utf8').trim()); } catch { /* gone meanwhile */ }
      if (Number.isInteger(pid) && alive(pid)) throw Errors.lakeFailed(dir, `another export (pid ${pid}) is writing it; wait for it to finish`);
      rmSync(lock, { force: true });
    }
  }
  throw Errors.lakeFailed(dir, 'its lock file could not be taken');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function exportLake(wh: Warehouse, options: ExportOptions): Promise<ExportResult> {
  const started = Date.now();
  const { dir } = options;
  const progress = options.onProgress ?? (() => undefined);
  mkdirSync(dir, { recursive: true });
  const release = takeLock(dir);
  const staging = join(dir, `.staging-${process.pid}-${Date.now()}`);
  try {
    const previous = readManifest(dir);
    // A lake from another warehouse, or none yet: everything is written.
    const reuse = previous && previous.warehouse === wh.target && previous.base_currency === options.baseCurrency ? previous : undefined;
    const tables = await lakeTables(wh);
    const known = new Map((reuse?.tables ?? []).map((t) => [t.name, t]));
    const todo = tables.filter((t) => !options.changed || options.changed.has(t.name) || !known.has(t.name) || !existsSync(join(dir, t.path)));
    progress(`exporting ${todo.length} of ${tables.length} table(s) to ${dir}`);
    const unloads = todo.map((t) => ({ sql: t.sql, dir: join(staging, t.path), partitionBy: t.partitionBy }));
    let written;
    try {
      written = await wh.unloadParquet(unloads, "SELECT MAX(run_id) AS run_id FROM meta.runs WHERE status = 'succeeded'");
    } catch (e) {
      if (e instanceof StorePulseError) throw e;
      throw Errors.lakeFailed(dir, (e as Error).message.split('\n')[0]);
    }
    const runId = written.snapshot[0]?.run_id === null || written.snapshot[0]?.run_id === undefined ? null : Number(written.snapshot[0].run_id);
    const exportedAt = new Date().toISOString();
    const entries = new Map<string, ManifestTable>();
    for (const t of tables) if (known.has(t.name) && !todo.includes(t)) entries.set(t.name, known.get(t.name)!);
    todo.forEach((t: LakeTable, i) => {
      const target = join(dir, t.path);
      const files = countFiles(join(staging, t.path));
      // The swap: the old folder steps aside, the new one takes its place, then the old one goes.
      mkdirSync(join(target, '..'), { recursive: true });
      const old = `${target}.old-${process.pid}`;
      if (existsSync(target)) renameSync(target, old);
      renameSync(join(staging, t.path), target);
      rmSync(old, { recursive: true, force: true });
      entries.set(t.name, {
        name: t.name, layer: t.layer, path: t.path, format: 'parquet', partition_by: t.partitionBy ? [t.partitionBy] : [],
        columns: written.tables[i].columns, rows: written.tables[i].rows, files, run_id: runId, exported_at: exportedAt,
      });
      progress(`${t.name}: ${written.tables[i].rows.toLocaleString('en-US')} rows in ${files} file(s)${t.partitionBy ? `, by ${t.partitionBy}` : ''}`);
    });
    // Tables the warehouse no longer has leave the lake too.
    for (const stale of (previous?.tables ?? []).filter((t) => !tables.some((x) => x.name === t.name))) rmSync(join(dir, stale.path), { recursive: true, force: true });
    const manifest: LakeManifest = {
      format: LAKE_FORMAT, version: 1, warehouse: wh.target, base_currency: options.baseCurrency, run_id: runId,
      generated_at: exportedAt, tables: tables.map((t) => entries.get(t.name)!),
    };
    writeManifest(dir, manifest);
    return {
      dir, run_id: runId, ms: Date.now() - started,
      exported: todo.map((t) => ({ name: t.name, rows: entries.get(t.name)!.rows, files: entries.get(t.name)!.files })),
      kept: tables.filter((t) => !todo.includes(t)).map((t) => t.name),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    release();
  }
}
