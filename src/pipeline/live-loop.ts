// The continuous pipeline of `serve`: a micro-batch as soon as data is waiting (no sooner than the minimum
// interval after the last), each an atomic incremental run, then a published snapshot. Failed runs back off
// exponentially (bounded) and are retried; the previous gold stays served meanwhile.
import type { Warehouse } from '../warehouse/engine.js';
import type { RunObserver } from './run-observer.js';
import { runPipelineWithRetry, type RunSummary } from './run.js';

export interface MicroBatch {
  summary: RunSummary;
  /** Earliest and latest ingestion time among the batches it processed. */
  firstIngestedAt: string;
  lastIngestedAt: string;
}

export interface LiveLoopOptions {
  baseCurrency: string;
  minIntervalMs: number;
  /** How often to look for work that arrived by other means (another process, the inbox). */
  pollMs?: number;
  maxBackoffMs?: number;
  observers?: RunObserver[];
  /** The privacy key micro-batches tokenise personal data with (see RunOptions.piiKey). */
  piiKey?: string;
  onObserverError?: (e: unknown) => void;
  onBatch: (batch: MicroBatch) => Promise<void> | void;
  onError: (error: unknown, backoffMs: number) => void;
}

export class LiveLoop {
  private timer: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private running = false;
  private wanted = false;
  private stopped = false;
  private lastStart = 0;
  private failures = 0;
  /** Data arrived while a run was running: the next run is one of a stream, taken in beside it. */
  private arrivedWhileRunning = false;

  constructor(private readonly wh: Warehouse, private readonly options: LiveLoopOptions) {}

  start(): void {
    this.poller = setInterval(() => void this.pollForWork(), this.options.pollMs ?? 500);
    this.notify();
  }

  /** Data is waiting: run as soon as the minimum interval allows. */
  notify(): void {
    if (this.stopped) return;
    if (this.running) this.arrivedWhileRunning = true;
    this.wanted = true;
    if (this.running || this.timer) return;
    const backoff = this.failures === 0 ? 0 : Math.min(this.options.maxBackoffMs ?? 30_000, 250 * 2 ** this.failures);
    const wait = Math.max(0, this.lastStart + this.options.minIntervalMs - Date.now(), backoff);
    this.timer = setTimeout(() => { this.timer = undefined; void this.tick(); }, wait);
  }

  private async pollForWork(): Promise<void> {
    if (this.running || this.wanted || this.stopped) return;
    const [{ n }] = await this.wh.read<{ n: number }>('SELECT COUNT(*) AS n FROM meta.batches WHERE processed_run_id IS NULL').catch(() => [{ n: 0 }]);
    if (Number(n) > 0) this.notify();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.running = true;
    this.wanted = false;
    this.lastStart = Date.now();
    try {
      // While data streams in, the process takes it in (HTTP, landing) beside each run. A run's statements are many
      // and small, and a second thread per query added more coordination than work while it took a core from that:
      // on one, freshness under load was faster at every rate (bench/findings.md, finding 52). A run with nothing
      // arriving beside it (a backlog, the first of a stream) keeps every thread: a day of 1M order lines run alone
      // took 18 % longer on one.
      const streaming = this.arrivedWhileRunning;
      this.arrivedWhileRunning = false;
      const threads = (fn: () => Promise<void>) => (streaming ? this.wh.limitThreads(1, fn) : fn());
      // The checkpoint the run put off waits until its snapshot is out: paid between the two, it delayed the
      // snapshot by up to 1 s (bench/findings.md, finding 42).
      await threads(() => this.wh.deferCheckpoints(async () => {
        const summary = await runPipelineWithRetry(this.wh, {
          baseCurrency: this.options.baseCurrency, lockWaitMs: 60_000, observers: this.options.observers, piiKey: this.options.piiKey, onObserverError: this.options.onObserverError,
        });
        this.failures = 0;
        if (summary.runId !== null && summary.batches > 0) {
          const [times] = await this.wh.read<{ first: string; last: string }>(
            'SELECT MIN(ingested_at) AS first, MAX(ingested_at) AS last FROM meta.batches WHERE processed_run_id = $1', [summary.runId]);
          await this.options.onBatch({ summary, firstIngestedAt: times.first, lastIngestedAt: times.last });
        }
      }));
    } catch (e) {
      this.failures++;
      this.wanted = true;
      this.options.onError(e, Math.min(this.options.maxBackoffMs ?? 30_000, 250 * 2 ** this.failures));
    } finally {
      this.running = false;
      if (this.wanted) this.notify();
    }
  }

  /** Stops scheduling and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.poller) clearInterval(this.poller);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }
}
