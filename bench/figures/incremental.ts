// Figure 3, incremental run: the time to absorb one more day after a build of all earlier days, against a full
// rebuild (`run --full-refresh`) of the same warehouse.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { storepulse } from '../lib/cli.js';
import { median } from '../lib/measure.js';
import { scratchDatabase } from '../lib/postgres.js';
import { preparedHomes } from '../lib/prepared-homes.js';
import type { DataSet } from './data.js';

function dayFiles(dir: string): Map<string, string[]> {
  const days = new Map<string, string[]>();
  for (const entity of readdirSync(dir)) {
    for (const f of readdirSync(join(dir, entity))) days.set(f.slice(0, 10), [...(days.get(f.slice(0, 10)) ?? []), join(dir, entity, f)]);
  }
  return days;
}

export async function incrementalDay(data: DataSet, engine: 'duckdb' | 'postgres', runs: number, timeoutMs: number) {
  const days = dayFiles(data.byDay);
  const last = [...days.keys()].sort().pop()!;
  const earlier = [...days.entries()].filter(([d]) => d !== last).flatMap(([, f]) => f);
  const incremental: number[] = [];
  const full: number[] = [];
  // Not timed: a build of the earlier days.
  const built = preparedHomes('sp-bench-incr-', async (home, warehouse) => {
    await storepulse(['ingest', '--quiet', ...earlier], home, warehouse, timeoutMs);
    await storepulse(['run', '--quiet'], home, warehouse, timeoutMs);
  });
  try {
    for (let i = 0; i < runs; i++) {
      let home: string | undefined;
      const db = engine === 'postgres' ? await scratchDatabase('sp_bench_incr') : undefined;
      try {
        home = await built.home(db?.url);
        await storepulse(['ingest', '--quiet', ...days.get(last)!], home, db?.url, timeoutMs);
        incremental.push((await storepulse(['run', '--quiet'], home, db?.url, timeoutMs)).ms);
        full.push((await storepulse(['run', '--quiet', '--full-refresh'], home, db?.url, timeoutMs)).ms);
      } finally {
        await db?.drop();
        if (home) rmSync(home, { recursive: true, force: true });
      }
    }
  } finally {
    built.dispose();
  }
  return {
    size: data.label, engine, day: last, days: days.size, incremental_ms: median(incremental), full_refresh_ms: median(full),
    runs_ms: incremental, ratio_full_to_incremental: Math.round((median(full) / median(incremental)) * 10) / 10,
  };
}
