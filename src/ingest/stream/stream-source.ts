// What a stream source is to the pipeline, whatever the broker: messages at positions in partitions, handed out
// in batches, committed (acknowledged) only once they are safely in bronze, or handed back for later. A NATS
// JetStream source (nats-source.ts) fits it with stream sequences; a Kafka source fits it with a topic-partition
// and its offsets (next = a fetch of the assigned partitions, commit = commitOffsets, retryLater = seek back).

export interface StreamMessage {
  /** Where positions count: a JetStream stream (as created), a Kafka topic-partition. */
  partition: string;
  /** The message's position in its partition: a JetStream stream sequence, a Kafka offset. */
  offset: number;
  /** What it was published on (a NATS subject, a Kafka topic), kept with its records. */
  subject: string;
  data: Uint8Array;
}

export interface StreamSource {
  /** Stable across restarts and unique per consumer: the positions landed are remembered under it. */
  readonly name: string;
  readonly entity: string;
  /** Connects and makes sure the durable consumer (or group) exists. */
  start(): Promise<void>;
  /**
   * Up to `max` messages: resolves as soon as one is there and then waits at most `lingerMs` for the batch to fill;
   * resolves empty when the source stops.
   */
  next(max: number, lingerMs: number): Promise<StreamMessage[]>;
  /** The messages are in bronze: the broker may forget them. */
  commit(messages: readonly StreamMessage[]): Promise<void>;
  /** Landing failed: the broker is to deliver them again after the delay. */
  retryLater(messages: readonly StreamMessage[], delayMs: number): Promise<void>;
  /** Makes a waiting next() resolve empty (the consumer is stopping), without dropping the connection yet. */
  interrupt(): void;
  /** Stops delivery; messages taken but not committed are delivered again to the next consumer. */
  stop(): Promise<void>;
}
