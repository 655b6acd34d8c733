// The live loop publishes a micro-batch before the checkpoint its run put off (bench/findings.md, finding 42), and
// runs on one thread per query while data streams in beside its runs (finding 52).
import { afterEach, describe, expect, it } from 'vitest';
import { getEntity } from '../../src/contracts/index.js';
import { ingestRecords } from '../../src/ingest/record-ingest.js';
import { LiveLoop, type MicroBatch } from '../../src/pipeline/live-loop.js';
import type { Warehouse } from '../../src/warehouse/engine.js';
import { openTestHome, order, type TestHome } from '../helpers/fixtures.js';

/** The warehouse, with each deferCheckpoints call's start and end (and its nesting depth) written to `events`. */
function watchedCheckpoints(wh: Warehouse, events: string[]): Warehouse {
  let depth = 0;
  return new Proxy(wh, {
    get(target, prop, receiver) {
      if (prop === 'deferCheckpoints') {
        return async <T>(fn: () => Promise<T>): Promise<T> => {
          const level = ++depth;
          events.push(`defer ${level}`);
          try {
            return await target.deferCheckpoints(fn);
          } finally {
            events.push(`checkpoint ${level}`);
            depth--;
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('LiveLoop', () => {
  let home: TestHome | undefined;
  let loop: LiveLoop | undefined;
  afterEach(async () => {
    await loop?.stop();
    await home?.cleanup();
  });

  it('publishes a micro-batch inside its run\'s checkpoint deferral, so the checkpoint comes after the snapshot', async () => {
    home = await openTestHome();
    await ingestRecords(home.wh, getEntity('orders')!, [order('O1')], { source: 'test', baseCurrency: 'EUR', lockWaitMs: 1000 });
    const events: string[] = [];
    const published = new Promise<MicroBatch>((resolve, reject) => {
      loop = new LiveLoop(watchedCheckpoints(home!.wh, events), {
        baseCurrency: 'EUR', minIntervalMs: 0, piiKey: 'k'.repeat(32),
        onBatch: (batch) => { events.push('published'); resolve(batch); },
        onError: reject,
      });
      loop.start();
    });
    const batch = await published;
    await loop!.stop();
    expect(batch.summary.batches).toBe(1);
    // The loop's deferral holds the run's own (nested) one and the publication; its checkpoint comes last.
    expect(events).toEqual(['defer 1', 'defer 2', 'checkpoint 2', 'published', 'checkpoint 1']);
  });

  it('runs on one thread per query while data streams in beside its runs, and on every thread otherwise', async () => {
    home = await openTestHome();
    const wh = home.wh;
    const threads = async () => Number((await wh.all<{ t: number }>("SELECT current_setting('threads') AS t"))[0].t);
    const post = (id: string) => ingestRecords(wh, getEntity('orders')!, [order(id)], { source: 'test', baseCurrency: 'EUR', lockWaitMs: 1000 });
    // The database's own setting, whatever the machine's cores.
    await wh.run('SET threads = 4');
    await post('O1');
    const seen: number[] = [];
    const done = new Promise<void>((resolve, reject) => {
      loop = new LiveLoop(wh, {
        baseCurrency: 'EUR', minIntervalMs: 0, piiKey: 'k'.repeat(32),
        onBatch: async () => {
          seen.push(await threads());
          // The first run had nothing arriving beside it; an order that arrives during it makes the next one of a stream.
          if (seen.length === 1) {
            await post('O2');
            loop!.notify();
          } else resolve();
        },
        onError: reject,
      });
      loop.start();
    });
    await done;
    await loop!.stop();
    expect(seen).toEqual([4, 1]);
    expect(await threads()).toBe(4);
  });
});
