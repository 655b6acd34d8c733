// The lake's manifest (manifest.json at its root): what each table is, where its files are, how it is partitioned,
// its columns and types, and which warehouse run it reflects, so another engine can declare the tables without
// guessing.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParquetColumn } from '../warehouse/engine.js';

export const MANIFEST = 'manifest.json';
export const LAKE_FORMAT = 'storepulse-lake';

export interface ManifestTable {
  name: string;
  layer: 'silver' | 'gold';
  path: string;
  format: 'parquet';
  partition_by: string[];
  /** Every column, the partition column included (it lives in the folder names, not in the files). */
  columns: ParquetColumn[];
  rows: number;
  files: number;
  /** The last successful warehouse run the table reflects. */
  run_id: number | null;
  exported_at: string;
}

export interface LakeManifest {
  format: typeof LAKE_FORMAT;
  version: 1;
  /** The warehouse it came from (a path or a URL without password). */
  warehouse: string;
  base_currency: string;
  /** The last successful run reflected by the newest table. */
  run_id: number | null;
  generated_at: string;
  tables: ManifestTable[];
}

export function readManifest(dir: string): LakeManifest | undefined {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as LakeManifest;
    return m.format === LAKE_FORMAT ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Written beside and renamed over the old one, so a reader never sees half a manifest. */
export function writeManifest(dir: string, manifest: LakeManifest): void {
  const tmp = join(dir, `${MANIFEST}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(tmp, join(dir, MANIFEST));
}
