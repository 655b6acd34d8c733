// Expands the paths given to `ingest` into data files and tells each file's entity and format.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { ENTITY_NAMES } from '../contracts/index.js';
import { Errors } from '../errors/catalogue.js';

export type FileFormat = 'csv' | 'ndjson' | 'json' | 'parquet';

export interface DataFile {
  path: string;
  format: FileFormat;
  /** Undefined when neither the file name nor its folder names an entity. */
  entity?: string;
  /** Every column (JSON key) of the file, when the code that wrote it knows them: then nobody reads it to find out. */
  columns?: readonly string[];
}

const FORMATS: Record<string, FileFormat> = {
  '.csv': 'csv', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.json': 'json', '.parquet': 'parquet',
};

// Longest names first, so `order_items_1.csv` is not taken for `orders`.
const BY_LENGTH = [...ENTITY_NAMES].sort((a, b) => b.length - a.length);

export function formatOf(path: string): FileFormat | undefined {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  return FORMATS[extname(name)];
}

/** `orders.csv`, `orders-2026-05-01.ndjson`, `order_items_0001.parquet`, or the folder: `orders/part-7.csv`. */
export function entityOf(path: string): string | undefined {
  const stem = basename(path).toLowerCase().replace(/\.gz$/, '').replace(/\.[a-z]+$/, '').replace(/-/g, '_');
  const folder = basename(dirname(path)).toLowerCase().replace(/-/g, '_');
  for (const candidate of [stem, folder]) {
    const match = BY_LENGTH.find((e) => candidate === e || (candidate.startsWith(e) && /^[_.0-9]/.test(candidate.slice(e.length))));
    if (match) return match;
  }
  return undefined;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (formatOf(full)) out.push(full);
  }
}

export interface FoundFile {
  path: string;
  /** The path below the folder it was found in (the file name for a file given by itself), with forward slashes. */
  rel: string;
}

/** Every data file of the given files and folders (each folder's names sorted). */
export function expandPaths(paths: readonly string[]): FoundFile[] {
  const out: FoundFile[] = [];
  for (const p of paths) {
    const full = resolve(p);
    let stat;
    try { stat = statSync(full); } catch { throw Errors.pathNotFound(p); }
    if (stat.isDirectory()) {
      const files: string[] = [];
      walk(full, files);
      out.push(...files.map((path) => ({ path, rel: relative(full, path).split(sep).join('/') })));
    } else if (!formatOf(full)) throw Errors.unsupportedFormat(p);
    else out.push({ path: full, rel: basename(full) });
  }
  return out;
}

export function discoverFiles(paths: readonly string[]): DataFile[] {
  return expandPaths(paths).map(({ path }) => ({ path, format: formatOf(path)!, entity: entityOf(path) }));
}
