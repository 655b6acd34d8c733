// Whether the disk holds what a run will write, said before the run starts: a 10M run takes most of an hour, and
// PostgreSQL's rebuild once ran out of disk 15 minutes in (finding 54). The sizes are estimates per million order
// lines, read off this benchmark's own 1M and 10M runs; they grow linearly with the data.
import { statfsSync, statSync } from 'node:fs';
import { copiesRead, nameCopies, STEPS, type Copy, type Step } from './data-copies.js';

const GB = 1e9;
/** Bytes per million order lines of each copy of the data set (1M: by day 613 MB, CSV 611, NDJSON 160, Parquet 26). */
const COPY_BYTES: Record<Copy, number> = { byDay: 0.62 * GB, csv: 0.62 * GB, ndjson: 0.16 * GB, parquet: 0.03 * GB };
/**
 * Bytes per million order lines a step writes beside the copies: DuckDB's steps keep the prepared home and a copy
 * of it (a built 10M home holds 6 GB); PostgreSQL's 10M rebuild grew its data directory by 55-60 GB.
 */
const STEP_BYTES: Record<Step, number> = { ingest: 0.2 * GB, incremental: 1.2 * GB, duckdb: 1.2 * GB, floor: 0, postgres: 6 * GB };

export interface Need { dir: string; bytes: number; what: string }

/**
 * The largest need of any one step, on each directory: the copies still on disk while it runs (in `dataDir`) and
 * what it writes (DuckDB's homes in `homesDir`, PostgreSQL's tables in `postgresDir`, when it is local).
 */
export function peakNeeds(millionLines: number, chosen: ReadonlySet<Step>, dirs: { dataDir: string; homesDir: string; postgresDir?: string }): Need[][] {
  const running = STEPS.filter((s) => chosen.has(s));
  return running.map((step, i) => {
    const copies = copiesRead(running.slice(i));
    const copyBytes = [...copies].reduce((sum, c) => sum + COPY_BYTES[c] * millionLines, 0);
    const own = STEP_BYTES[step] * millionLines;
    const ownDir = step === 'postgres' ? dirs.postgresDir : dirs.homesDir;
    const needs: Need[] = [{ dir: dirs.dataDir, bytes: copyBytes, what: `${nameCopies(copies)} of the data set` }];
    if (ownDir && own) needs.push({ dir: ownDir, bytes: own, what: step === 'postgres' ? "PostgreSQL's rebuild" : `${step}'s homes` });
    return needs;
  });
}

/** What a directory's file system has free, and which file system it is (several directories may share one). */
export type FreeSpace = (dir: string) => { device: number; free: number };

export const freeSpace: FreeSpace = (dir) => {
  const s = statfsSync(dir);
  return { device: statSync(dir).dev, free: s.bavail * s.bsize };
};

/** One line per file system that lacks room at some step, saying how much is needed, what for, and what is free. */
export function diskShortfalls(steps: Need[][], probe: FreeSpace): string[] {
  type OnDevice = { bytes: number; free: number; whats: string[]; dirs: Set<string> };
  const worst = new Map<number, OnDevice>();
  for (const needs of steps) {
    const byDevice = new Map<number, OnDevice>();
    for (const n of needs) {
      const { device, free } = probe(n.dir);
      const d = byDevice.get(device) ?? { bytes: 0, free, whats: [], dirs: new Set<string>() };
      d.bytes += n.bytes;
      d.whats.push(n.what);
      d.dirs.add(n.dir);
      byDevice.set(device, d);
    }
    for (const [device, d] of byDevice) if (d.bytes > (worst.get(device)?.bytes ?? 0)) worst.set(device, d);
  }
  const gb = (b: number) => `${(b / GB).toFixed(1)} GB`;
  return [...worst.values()].filter((d) => d.bytes > d.free)
    .map((d) => `${[...d.dirs].join(' and ')}: about ${gb(d.bytes)} needed at once (${d.whats.join(' and ')}), ${gb(d.free)} free`);
}
