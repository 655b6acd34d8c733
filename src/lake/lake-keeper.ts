// Keeping the lake current: after a run, the tables it changed are written again (and only those). In `serve`,
// micro-batches come many a minute, so their changes add up and the lake is refreshed at most once an interval,
// off the run's path (an export reads committed data on a connection of its own).
import { getEntity } from '../contracts/index.js';
import type { RunSummary } from '../pipeline/run.js';
import type { Warehouse } from '../warehouse/engine.js';
import { exportLake, type ExportResult } from './export-lake.js';

/** The silver and gold tables a run changed. */
export function changedTables(summary: RunSummary): Set<string> {
  const out = new Set<string>();
  for (const e of summary.entities) {
    if (e.changed === 0) continue;
    out.add(`silver.${e.entity}`);
    if (getEntity(e.entity)?.history) out.add(`silver.${e.entity}_history`);
  }
  for (const m of summary.models) if (m.mode === 'full' || (m.mode !== 'skipped' && m.deleted + m.inserted + (m.updated ?? 0) > 0)) out.add(m.model);
  return out;
}

export interface LakeKeeperOptions {
  dir: string;
  baseCurrency: string;
  intervalMs: number;
  onExported?: (result: ExportResult) => void;
  onError?: (error: unknown) => void;
}

export class LakeKeeper {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastExport = 0;
  private stopped = false;

  constructor(private readonly wh: Warehouse, private readonly options: LakeKeeperOptions) {}

  /** A micro-batch committed: its tables are due, at the latest one interval after the last export. */
  noteRun(summary: RunSummary): void {
    for (const t of changedTables(summary)) this.pending.add(t);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer || this.running || this.pending.size === 0) return;
    const wait = Math.max(0, this.lastExport + this.options.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.exportNow().finally(() => { this.running = undefined; this.schedule(); });
    }, wait);
  }

  private async exportNow(): Promise<void> {
    const changed = new Set(this.pending);
    this.pending.clear();
    this.lastExport = Date.now();
    try {
      this.options.onExported?.(await exportLake(this.wh, { dir: this.options.dir, baseCurrency: this.options.baseCurrency, changed }));
    } catch (e) {
      // Due again at the next interval.
      for (const t of changed) this.pending.add(t);
      this.options.onError?.(e);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
