// The streams config: defaults, credentials from the environment only, and mistakes named by line and key.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStreamsConfig } from '../../../src/ingest/stream/stream-config.js';
import { offsetRanges, recordsOf } from '../../../src/ingest/stream/stream-landing.js';
import { storepulse, tempDir } from '../../helpers/cli.js';

describe('the streams config', () => {
  it('fills in the defaults per entity and takes the server and credentials from the environment', () => {
    const c = parseStreamsConfig('sources:\n  orders: { stream: SHOP, subjects: shop.orders }\n  order_items: { stream: SHOP, subjects: [a, b], batch: 50, linger: 1s, ack_wait: 1m }\n', 's.yaml',
      { STOREPULSE_NATS_URL: 'nats://10.0.0.5:4222', STOREPULSE_NATS_TOKEN: 't0k' });
    expect(c.sources).toEqual([
      expect.objectContaining({ entity: 'orders', stream: 'SHOP', subjects: ['shop.orders'], durable: 'storepulse-orders', batch: 500, lingerMs: 100, ackWaitMs: 30_000, servers: ['nats://10.0.0.5:4222'], token: 't0k' }),
      expect.objectContaining({ entity: 'order_items', subjects: ['a', 'b'], durable: 'storepulse-order-items', batch: 50, lingerMs: 1000, ackWaitMs: 60_000, maxAckPending: 100 }),
    ]);
    expect(parseStreamsConfig('sources:\n  orders: { stream: S }\n', 's.yaml', {}).sources[0].servers).toEqual(['nats://127.0.0.1:4222']);
  });

  it('names the line and key of a mistake', () => {
    const bad = (text: string) => () => parseStreamsConfig(text, 's.yaml', {});
    expect(bad('sources:\n  invoices: { stream: S }\n')).toThrow(/s\.yaml line 2, key sources\.invoices: unknown key "invoices".*not an entity/);
    expect(bad('sources:\n  orders:\n    stream: S\n    linger: soon\n')).toThrow(/line 4, key sources\.orders\.linger: "sources\.orders\.linger" is "soon": expected a duration such as 200ms, 30s or 5m/);
    expect(bad('sources:\n  orders: { subjects: x }\n')).toThrow(/line 2, key sources\.orders: "sources\.orders" needs "stream"/);
    expect(bad('sources:\n  orders: { stream: S, password: x }\n')).toThrow(/unknown key "password"/);
  });
});

describe('stream messages', () => {
  const msg = (text: string) => ({ partition: 'S@t', offset: 7, subject: 'shop.orders', data: Buffer.from(text) });
  it('hold one record, an array of records or NDJSON; anything else is kept whole to be rejected', () => {
    expect(recordsOf(msg('{"order_id":"A"}'))).toEqual([{ order_id: 'A', _subject: 'shop.orders', _offset: 7 }]);
    expect(recordsOf(msg('[{"order_id":"A"},{"order_id":"B"}]')).map((r) => r.order_id)).toEqual(['A', 'B']);
    expect(recordsOf(msg('{"order_id":"A"}\n{"order_id":"B"}\n')).map((r) => r.order_id)).toEqual(['A', 'B']);
    expect(recordsOf(msg('42'))).toEqual([{ _unparsed: '42', _subject: 'shop.orders', _offset: 7 }]);
    expect(recordsOf(msg('{"order_id":'))[0]._unparsed).toBe('{"order_id":');
  });

  it('positions are kept as ranges', () => {
    expect(offsetRanges([5, 3, 4, 9, 10, 4, 12])).toEqual([[3, 5], [9, 10], [12, 12]]);
  });
});

describe('serve with a stream it cannot consume', () => {
  it('does not start, and says which source and why', async () => {
    const tmp = tempDir('sp-stream-refused');
    try {
      writeFileSync(`${tmp.path}/streams.yaml`, 'nats: { servers: nats://127.0.0.1:1 }\nsources:\n  orders: { stream: SHOP }\n');
      const r = await storepulse(['serve', '--port', '0'], { home: tmp.path });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('SP_ERR_STREAM_UNAVAILABLE: Stream source nats:SHOP/storepulse-orders is not available');
      expect(r.stdout).not.toContain('dashboard:');
    } finally {
      tmp.cleanup();
    }
  });
});
