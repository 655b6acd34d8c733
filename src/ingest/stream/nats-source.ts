// A NATS JetStream stream as a StreamSource: a durable pull consumer with explicit acks, so the server redelivers
// whatever was not acknowledged (a crash between landing and ack only means a redelivery, which the positions
// kept in meta.stream_positions turn into a no-op).
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { Errors } from '../../errors/catalogue.js';
import type { StreamMessage, StreamSource } from './stream-source.js';

export interface NatsSourceConfig {
  entity: string;
  servers: string[];
  stream: string;
  /** Subjects of the stream this consumer takes (all of the stream's when empty). */
  subjects: string[];
  durable: string;
  ackWaitMs: number;
  /** How many unacknowledged messages the server hands out at most (bounds the memory a slow landing takes). */
  maxAckPending: number;
  user?: string;
  pass?: string;
  token?: string;
}

type Taken = StreamMessage & { msg: JsMsg };

export class NatsSource implements StreamSource {
  readonly entity: string;
  private nc: NatsConnection | undefined;
  private messages: ConsumerMessages | undefined;
  private readonly buffer: Taken[] = [];
  private wake: (() => void) | undefined;
  private stopped = false;
  private partition = '';
  private pump: Promise<void> | undefined;

  constructor(private readonly config: NatsSourceConfig) {
    this.entity = config.entity;
  }

  get name(): string {
    return `nats:${this.config.stream}/${this.config.durable}`;
  }

  async start(): Promise<void> {
    const c = this.config;
    try {
      this.nc = await connect({ servers: c.servers, name: `storepulse ${this.name}`, maxReconnectAttempts: -1, user: c.user, pass: c.pass, token: c.token });
      const jsm = await jetstreamManager(this.nc);
      const info = await jsm.streams.info(c.stream);
      // Sequences start again when a stream is deleted and made anew: its creation time keeps them apart.
      this.partition = `${c.stream}@${info.created}`;
      const wanted = {
        durable_name: c.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(c.ackWaitMs), max_ack_pending: c.maxAckPending,
        ...(c.subjects.length === 1 ? { filter_subject: c.subjects[0] } : c.subjects.length > 1 ? { filter_subjects: c.subjects } : {}),
      };
      const existing = await jsm.consumers.info(c.stream, c.durable).catch(() => undefined);
      if (!existing) await jsm.consumers.add(c.stream, wanted);
      else if (existing.config.ack_wait !== wanted.ack_wait || existing.config.max_ack_pending !== wanted.max_ack_pending) {
        // The config changed since the consumer was made: the durable keeps its position and takes the new limits.
        await jsm.consumers.update(c.stream, c.durable, { ack_wait: wanted.ack_wait, max_ack_pending: wanted.max_ack_pending });
      }
      const consumer = await jetstream(this.nc).consumers.get(c.stream, c.durable);
      this.messages = await consumer.consume({ max_messages: Math.max(1, Math.min(c.maxAckPending, 1000)) });
    } catch (e) {
      await this.nc?.close().catch(() => undefined);
      throw Errors.streamUnavailable(this.name, (e as Error).message.split('\n')[0]);
    }
    const messages = this.messages;
    this.pump = (async () => {
      for await (const msg of messages) {
        this.buffer.push({ partition: this.partition, offset: msg.seq, subject: msg.subject, data: msg.data, msg });
        this.wake?.();
      }
    })().catch(() => undefined).finally(() => this.wake?.());
  }

  async next(max: number, lingerMs: number): Promise<StreamMessage[]> {
    while (this.buffer.length === 0 && !this.stopped) await new Promise<void>((r) => { this.wake = r; });
    if (this.buffer.length < max && !this.stopped) {
      // The first message is there: give the batch a moment to fill, so a burst lands as one batch.
      const until = Date.now() + lingerMs;
      while (this.buffer.length < max && !this.stopped && Date.now() < until) {
        await new Promise<void>((r) => { this.wake = r; setTimeout(r, Math.max(1, until - Date.now())); });
      }
    }
    return this.stopped ? [] : this.buffer.splice(0, max);
  }

  async commit(messages: readonly StreamMessage[]): Promise<void> {
    for (const m of messages) (m as Taken).msg.ack();
    await this.nc?.flush();
  }

  async retryLater(messages: readonly StreamMessage[], delayMs: number): Promise<void> {
    for (const m of messages) (m as Taken).msg.nak(delayMs);
    await this.nc?.flush().catch(() => undefined);
  }

  interrupt(): void {
    this.stopped = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.interrupt();
    // Taken but never landed: hand them straight back rather than after the ack wait.
    for (const m of this.buffer.splice(0)) m.msg.nak();
    await this.messages?.close().catch(() => undefined);
    await this.pump;
    await this.nc?.close().catch(() => undefined);
  }
}
