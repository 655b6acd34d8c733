// Writes generated rows as CSV, one file per entity (or per entity and day), in the contract's column order.
// Rows are buffered and appended in large chunks: millions of rows, a few hundred writes.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoDate } from './clock.js';

const NEEDS_QUOTES = /[",\r\n]/;

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

interface OpenFile {
  entity: string;
  path: string;
  /** Rows not yet written, already encoded: each row's string dies young, so the garbage collector stays cheap. */
  buffer: Buffer;
  used: number;
  created: boolean;
}

export interface SinkLayout {
  out: string;
  /** One file per entity per day (`<out>/<entity>/<YYYY-MM-DD>.csv`) instead of `<out>/<entity>.csv`. */
  byDay: boolean;
  firstDayMs: number;
  lastDayMs: number;
}

export class CsvSink {
  readonly rows: Record<string, number> = {};
  private readonly files = new Map<string, OpenFile>();

  constructor(private readonly layout: SinkLayout, private readonly headers: Record<string, readonly string[]>) {
    mkdirSync(layout.out, { recursive: true });
  }

  /** Appends one row to the entity's file for the day of `atMs` (records before the first day go to the first). */
  write(entity: string, atMs: number, values: readonly string[]): void {
    const file = this.fileFor(entity, atMs);
    let line = csvField(values[0]);
    for (let i = 1; i < values.length; i++) line += ',' + csvField(values[i]);
    line += '\n';
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (file.used + line.length * 3 > file.buffer.length) this.flush(file);
    file.used += file.buffer.write(line, file.used);
    this.rows[entity] = (this.rows[entity] ?? 0) + 1;
  }

  /** Writes what is buffered and returns every file written, sorted. */
  close(): string[] {
    for (const file of this.files.values()) this.flush(file);
    return [...this.files.values()].map((f) => f.path).sort();
  }

  private fileFor(entity: string, atMs: number): OpenFile {
    const { byDay, firstDayMs, lastDayMs, out } = this.layout;
    const day = byDay ? isoDate(Math.min(Math.max(atMs, firstDayMs), lastDayMs)) : '';
    const key = byDay ? `${entity}/${day}` : entity;
    let file = this.files.get(key);
    if (!file) {
      const path = byDay ? join(out, entity, `${day}.csv`) : join(out, `${entity}.csv`);
      // Day files are many and small: smaller buffers keep memory flat over a long period.
      file = { entity, path, buffer: Buffer.allocUnsafe(byDay ? 1 << 15 : 1 << 20), used: 0, created: false };
      this.files.set(key, file);
    }
    return file;
  }

  private flush(file: OpenFile): void {
    if (!file.created) {
      mkdirSync(join(file.path, '..'), { recursive: true });
      writeFileSync(file.path, this.headers[file.entity].map(csvField).join(',') + '\n');
      file.created = true;
    }
    if (file.used > 0) appendFileSync(file.path, file.buffer.subarray(0, file.used));
    file.used = 0;
  }
}
