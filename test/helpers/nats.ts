// The NATS server with JetStream that stream tests publish to (STOREPULSE_TEST_NATS, default nats://127.0.0.1:4222).
// Each test makes a stream of its own, named uniquely, and deletes it after. Outside CI, with no server
// reachable, the tests are skipped and say why; in CI they must run.
import { randomBytes } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const NATS_URL = process.env.STOREPULSE_TEST_NATS ?? 'nats://127.0.0.1:4222';

async function reachable(): Promise<string | undefined> {
  let nc: NatsConnection | undefined;
  try {
    nc = await connect({ servers: NATS_URL, timeout: 3000, reconnect: false });
    await (await jetstreamManager(nc)).getAccountInfo();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await nc?.close().catch(() => undefined);
  }
}

const problem = await reachable();
if (problem && process.env.CI) {
  throw new Error(`NATS tests must run in CI but ${NATS_URL} (with JetStream) is not reachable: ${problem}. ` +
    'The test script starts the local server (scripts/test-services.sh); check its output.');
}
if (problem) {
  process.stderr.write(`\n[nats] SKIPPING NATS JetStream tests: ${NATS_URL} is not reachable (${problem}). ` +
    'Start nats-server -js or set STOREPULSE_TEST_NATS to run them.\n');
}

/** True when stream tests can run; use with describe.skipIf(!natsAvailable). */
export const natsAvailable = problem === undefined;

export interface TestStream {
  name: string;
  subject: string;
  nc: NatsConnection;
  jsm: JetStreamManager;
  /** Publishes each payload and waits for the server's acknowledgement. */
  publish(payloads: readonly (string | object)[]): Promise<void>;
  remove(): Promise<void>;
}

/** A stream of its own (unique name and subject) for one test; remove() deletes it with its consumers. */
export async function createTestStream(label: string): Promise<TestStream> {
  const id = `${label}_${process.pid}_${randomBytes(4).toString('hex')}`.replace(/[^A-Za-z0-9_]/g, '_');
  const name = `SPTEST_${id}`.toUpperCase();
  const subject = `sptest.${id}.records`;
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name, subjects: [`sptest.${id}.>`] });
  const js = jsm.jetstream();
  return {
    name, subject, nc, jsm,
    async publish(payloads) {
      for (const p of payloads) await js.publish(subject, typeof p === 'string' ? p : JSON.stringify(p));
    },
    async remove() {
      await jsm.streams.delete(name).catch(() => undefined);
      await nc.close();
    },
  };
}
