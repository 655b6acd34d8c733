// A home copied just before holds its warehouse as pages the kernel has not written yet, and the first checkpoint
// that syncs the file waits for all of them: 1.0-1.4 s for a 1M home (bench/findings.md, finding 45). Whatever is
// timed on a copy writes it to disk first, so the copy is not charged to the work measured.
import { closeSync, existsSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a DuckDB home's warehouse files to disk (a PostgreSQL home has none). */
export function flushHome(home: string): void {
  for (const f of ['warehouse.duckdb', 'warehouse.duckdb.wal'].map((n) => join(home, n))) {
    if (!existsSync(f)) continue;
    const fd = openSync(f, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
