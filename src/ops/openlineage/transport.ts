// Where lineage events go: a JSON-lines file in the home (the default) or an HTTP endpoint such as Marquez's
// /api/v1/lineage. A transport that fails reports it; the run it describes is never affected.
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunEvent } from './events.js';

export interface LineageTransport {
  readonly target: string;
  send(events: readonly RunEvent[]): Promise<void>;
}

/**
 * Appends to a JSON-lines file, rotated when it passes maxBytes (events.jsonl → .1 → … → .keep): a service
 * running micro-batches all day must not fill the disk with lineage.
 */
export class FileTransport implements LineageTransport {
  constructor(readonly target: string, private readonly maxBytes = 64 * 1024 * 1024, private readonly keep = 3) {}

  async send(events: readonly RunEvent[]): Promise<void> {
    mkdirSync(dirname(this.target), { recursive: true });
    if (existsSync(this.target) && statSync(this.target).size > this.maxBytes) this.rotate();
    appendFileSync(this.target, events.map((e) => JSON.stringify(e) + '\n').join(''));
  }

  private rotate(): void {
    for (let i = this.keep - 1; i >= 1; i--) {
      if (existsSync(`${this.target}.${i}`)) renameSync(`${this.target}.${i}`, `${this.target}.${i + 1}`);
    }
    renameSync(this.target, `${this.target}.1`);
  }
}

export class HttpTransport implements LineageTransport {
  constructor(readonly target: string, private readonly timeoutMs = 5_000) {}

  async send(events: readonly RunEvent[]): Promise<void> {
    // One POST per event, in order: the OpenLineage HTTP API takes a single RunEvent per request.
    for (const event of events) {
      const res = await fetch(this.target, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) throw new Error(`lineage endpoint ${this.target} answered ${res.status} ${res.statusText}`);
    }
  }
}
