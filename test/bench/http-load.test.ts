// The API latency figure's load (bench/lib/http-load.ts): a steady open load whose latencies run from each
// request's scheduled time, and percentiles of autocannon's bursts corrected for coordinated omission with the
// interval at which each connection should have sent (1000 / its rate, in ms), not autocannon's 1 ms.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionsFor, correctedLatencies, steadyLoad } from '../../bench/lib/http-load.js';

describe('http load percentiles', () => {
  it('leaves answers faster than the interval alone', () => {
    expect(correctedLatencies([2, 10, 49.9], 50)).toEqual([2, 10, 49.9]);
  });

  it('adds, for a slow answer, the requests it held back, each one interval less', () => {
    expect(correctedLatencies([130], 50)).toEqual([130, 80]);
    expect(correctedLatencies([3, 10], 1)).toEqual([3, 2, 1, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('spreads a rate over 10 to 100 connections, 20 requests/s each between', () => {
    expect([100, 1000, 5000].map(connectionsFor)).toEqual([10, 50, 100]);
  });

  describe('steady load', () => {
    let server: Server | undefined;
    afterEach(async () => { await new Promise((r) => server?.close(r)); });
    /** A server that answers after `delayMs`, with 500 for the path /fail; it counts the most requests it held at once. */
    const serve = async (delayMs: number, held = { now: 0, most: 0 }) => {
      server = createServer((req, res) => {
        held.most = Math.max(held.most, ++held.now);
        setTimeout(() => { held.now--; res.statusCode = req.url === '/fail' ? 500 : 200; res.end('{}'); }, delayMs);
      });
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };

    it('sends rate × seconds requests on schedule, without waiting for earlier answers', async () => {
      const held = { now: 0, most: 0 };
      const url = await serve(60, held);
      const sample = await steadyLoad(`${url}/kpis`, 200, 0.5);
      expect(sample).toMatchObject({ errors: 0, non2xx: 0 });
      expect(sample.latencies).toHaveLength(100);
      // An answer takes 60 ms and a request is due every 5 ms, so an open load has about a dozen waiting at once;
      // a client that waited for each answer before the next request would have had one.
      expect(held.most).toBeGreaterThan(5);
      // Each latency runs from the scheduled send, so it holds the server's 60 ms at least.
      expect(Math.min(...sample.latencies)).toBeGreaterThanOrEqual(59);
    });

    it('counts answers that are not 2xx apart from the latencies', async () => {
      const url = await serve(0);
      const sample = await steadyLoad(`${url}/fail`, 100, 0.2);
      expect(sample).toEqual({ latencies: [], errors: 0, non2xx: 20 });
    });
  });
});
