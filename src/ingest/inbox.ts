// The watched inbox of `serve`: files dropped in <home>/inbox/ are ingested once, then moved to archive/, or to
// quarantine/ with a .error.txt beside them when refused (the object-store trigger design, on a folder).
// A file is taken when it has stopped changing for one poll; writers may also upload as *.part and rename.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import type { Warehouse } from '../warehouse/engine.js';
import { entityOf, formatOf } from './discover.js';
import { ingestFile, type FileOutcome } from './ingest-file.js';

export interface InboxOptions {
  pollMs?: number;
  lockWaitMs?: number;
  onOutcome?: (outcome: FileOutcome, movedTo: string) => void;
}

export class InboxWatcher {
  readonly inbox: string;
  readonly archive: string;
  readonly quarantine: string;
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly wh: Warehouse, home: string, private readonly options: InboxOptions = {}) {
    this.inbox = join(home, 'inbox');
    this.archive = join(home, 'archive');
    this.quarantine = join(home, 'quarantine');
    for (const d of [this.inbox, this.archive, this.quarantine]) mkdirSync(d, { recursive: true });
  }

  start(): void {
    this.timer = setInterval(() => void this.scan(), this.options.pollMs ?? 250);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
  }

  private files(dir: string, out: string[] = []): string[] {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name.endsWith('.part') || name.endsWith('.tmp')) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) this.files(full, out);
      else out.push(full);
    }
    return out;
  }

  /** One pass: take every file that has not changed since the last pass. */
  async scan(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const path of this.files(this.inbox)) {
        let signature: string;
        try {
          const s = statSync(path);
          signature = `${s.size}:${s.mtimeMs}`;
        } catch {
          continue;
        }
        if (this.seen.get(path) !== signature) {
          this.seen.set(path, signature);
          continue;
        }
        this.seen.delete(path);
        await this.take(path);
      }
    } finally {
      this.busy = false;
    }
  }

  private async take(path: string): Promise<void> {
    const format = formatOf(path);
    let outcome: FileOutcome;
    if (!format) {
      outcome = { status: 'refused', path, code: 'SP_ERR_UNSUPPORTED_FORMAT', reason: `${basename(path)}: unsupported file type; use .csv, .ndjson, .jsonl, .json or .parquet.` };
    } else {
      outcome = await this.wh.landing('inbox', this.options.lockWaitMs ?? 60_000,
        (w) => ingestFile(w, { path, format, entity: entityOf(path) }, `inbox:${relative(this.inbox, path)}`));
    }
    const target = outcome.status === 'refused' ? this.quarantine : join(this.archive, new Date().toISOString().slice(0, 10));
    const moved = move(path, target);
    if (outcome.status === 'refused') writeFileSync(`${moved}.error.txt`, `${outcome.code}: ${outcome.reason}\n`);
    this.options.onOutcome?.(outcome, moved);
  }
}

/** Moves a file into a folder, keeping its name unless taken (then name-1.ext, name-2.ext, …). */
function move(path: string, folder: string): string {
  mkdirSync(folder, { recursive: true });
  const ext = extname(path);
  const stem = basename(path, ext);
  let target = join(folder, basename(path));
  for (let i = 1; existsSync(target); i++) target = join(folder, `${stem}-${i}${ext}`);
  renameSync(path, target);
  return target;
}
