// Runs one stream source: take a batch, land it in bronze (beside any running pipeline run, like every lander),
// and only then commit it at the broker. A landing that fails hands the batch back for a later retry, so a
// message is acknowledged only once its records are safely in bronze.
import type { Warehouse } from '../../warehouse/engine.js';
import { landMessages, type StreamLanding } from './stream-landing.js';
import type { StreamSource } from './stream-source.js';

export interface ConsumerOptions {
  /** Most messages in one bronze batch. */
  batch: number;
  /** How long a batch may wait to fill once its first message is there. */
  lingerMs: number;
  lockWaitMs?: number;
  onLanded?: (landing: StreamLanding, source: StreamSource) => void;
  onError?: (error: unknown, source: StreamSource, retryInMs: number) => void;
}

export class StreamConsumer {
  private loop: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;
  private pause: (() => void) | undefined;

  constructor(private readonly wh: Warehouse, readonly source: StreamSource, private readonly options: ConsumerOptions) {}

  async start(): Promise<void> {
    await this.source.start();
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const messages = await this.source.next(this.options.batch, this.options.lingerMs);
      // Empty only when the source stopped (asked to, or its connection is gone for good).
      if (messages.length === 0) break;
      let landing: StreamLanding;
      try {
        landing = await this.wh.landing(`stream ${this.source.name}`, this.options.lockWaitMs ?? 60_000,
          (w) => landMessages(w, this.source.name, this.source.entity, messages));
      } catch (e) {
        this.failures++;
        const delay = Math.min(30_000, 250 * 2 ** this.failures);
        this.options.onError?.(e, this.source, delay);
        await this.source.retryLater(messages, delay);
        // Back off here too, rather than take the next messages and fail again at once.
        await new Promise<void>((r) => { this.pause = r; setTimeout(r, delay); });
        continue;
      }
      this.failures = 0;
      // Acknowledged after the commit: a crash here means a redelivery, which landMessages recognises.
      await this.source.commit(messages).catch((e: unknown) => this.options.onError?.(e, this.source, 0));
      this.options.onLanded?.(landing, this.source);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // A batch being landed is finished and acknowledged first; then the connection goes.
    this.source.interrupt();
    this.pause?.();
    await this.loop;
    await this.source.stop();
  }
}
