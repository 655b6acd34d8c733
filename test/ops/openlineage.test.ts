// Lineage: every run and every step it ran becomes OpenLineage RunEvents that validate against the official
// 2-0-2 schema and its facet schemas (copied into test/vendor/openlineage), to a file or an HTTP endpoint.
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src/contracts/index.js';
import { discoverFiles } from '../../src/ingest/discover.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { ingestRecords } from '../../src/ingest/record-ingest.js';
import { queryKpis } from '../../src/kpi/kpi-service.js';
import type { RunEvent } from '../../src/ops/openlineage/events.js';
import { OpenLineageEmitter, RUN_JOB } from '../../src/ops/openlineage/emitter.js';
import { FileTransport, HttpTransport } from '../../src/ops/openlineage/transport.js';
import { lineageTransport } from '../../src/ops/run-observers.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { ENGINES } from '../helpers/engines.js';
import { HEADERS, item, openTestHome, order, writeCsv, type TestHome } from '../helpers/fixtures.js';

const VENDOR = fileURLToPath(new URL('../vendor/openlineage/', import.meta.url));
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(JSON.parse(readFileSync(join(VENDOR, 'OpenLineage.json'), 'utf8')));
/** Facet name → the validator of that facet's definition in its own schema file. */
const facetValidators = new Map(readdirSync(join(VENDOR, 'facets')).map((f) => {
  const schema = JSON.parse(readFileSync(join(VENDOR, 'facets', f), 'utf8')) as { $id: string; properties: Record<string, { $ref: string }> };
  ajv.addSchema(schema);
  const [name, prop] = Object.entries(schema.properties)[0];
  return [name, ajv.getSchema(`${schema.$id}${prop.$ref}`)!] as const;
}));
const validateEvent = ajv.getSchema('https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent')!;

/** Validates the event and every facet in it against its own schema; returns the facet names seen. */
function validate(event: RunEvent): string[] {
  expect(validateEvent(event), JSON.stringify(validateEvent.errors)).toBe(true);
  const seen: string[] = [];
  const check = (facets: Record<string, unknown> | undefined) => {
    for (const [name, facet] of Object.entries(facets ?? {})) {
      const v = facetValidators.get(name);
      expect(v, `no schema for facet ${name}`).toBeDefined();
      expect(v!(facet), `${name}: ${JSON.stringify(v!.errors)}`).toBe(true);
      seen.push(name);
    }
  };
  check(event.run.facets);
  check(event.job.facets);
  for (const d of [...event.inputs, ...event.outputs]) check((d as { facets?: Record<string, unknown> }).facets);
  for (const d of event.outputs) check((d as { outputFacets?: Record<string, unknown> }).outputFacets);
  return seen;
}

const readEvents = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
const entity = (name: string) => ENTITIES.find((e) => e.name === name)!;

describe.each(ENGINES)('OpenLineage events on $name', (engine) => {
  if (!engine.available) return it.skip(`${engine.name} is not reachable`, () => undefined);
  let home: TestHome;
  let file: string;
  let ordersCsv: string;
  beforeAll(async () => {
    home = await openTestHome(engine);
    file = join(home.dir, 'lineage', 'events.jsonl');
    ordersCsv = writeCsv(join(home.dir, 'in', 'orders.csv'), HEADERS.orders, [order('O1'), order('O2')]);
    expect((await ingestFile(home.wh, discoverFiles([ordersCsv])[0])).status).toBe('loaded');
    await ingestRecords(home.wh, entity('order_items'), [item('O1', 1), item('O2', 1)], { source: 'http:POST /api/ingest/order_items#req-1', baseCurrency: 'EUR', lockWaitMs: 0 });
    const emitter = new OpenLineageEmitter(home.wh, new FileTransport(file));
    await runPipeline(home.wh, { baseCurrency: 'EUR', observers: [emitter] });
    await emitter.flush();
  });
  afterAll(async () => { await home?.cleanup(); });

  it('emits START and COMPLETE for the run and each step, valid against the 2-0-2 schema and its facets', () => {
    const events = readEvents(file);
    const facetsSeen = new Set(events.flatMap(validate));
    // The validators do refuse what the spec refuses.
    expect(validateEvent({ ...events[0], run: { runId: 'run-1' } })).toBe(false);
    expect(facetValidators.get('errorMessage')!({ _producer: 'https://x', _schemaURL: 'https://x', message: 'no language' })).toBe(false);
    expect([...facetsSeen].sort()).toEqual(['dataQualityAssertions', 'jobType', 'outputStatistics', 'parent', 'schema']);
    expect(events[0]).toMatchObject({ eventType: 'START', job: { name: RUN_JOB } });
    expect(events.at(-1)).toMatchObject({ eventType: 'COMPLETE', job: { name: RUN_JOB }, run: { runId: events[0].run.runId } });
    const steps = events.filter((e) => e.job.name !== RUN_JOB);
    for (const name of ['silver.orders', 'silver.order_items', 'gold.fact_order', 'gold.mart_daily_revenue']) {
      expect(steps.filter((e) => e.job.name === name).map((e) => e.eventType), name).toEqual(['START', 'COMPLETE']);
    }
    // Each step is a child run of the pipeline run.
    expect(steps.every((e) => (e.run.facets?.parent as unknown as { run: { runId: string } }).run.runId === events[0].run.runId)).toBe(true);
  });

  it('traces silver back to the source file and request, and describes gold outputs with rows, schema and tests', () => {
    const events = readEvents(file);
    const complete = (job: string) => events.find((e) => e.job.name === job && e.eventType === 'COMPLETE')!;
    expect(complete('silver.orders').inputs).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: expect.stringMatching(/bronze\.orders$/) }), { namespace: 'file', name: ordersCsv },
    ]));
    expect(complete('silver.order_items').inputs).toEqual(expect.arrayContaining([{ namespace: 'storepulse-http', name: 'POST /api/ingest/order_items#req-1' }]));
    const fact = complete('gold.fact_order');
    expect(fact.inputs.map((d) => d.name)).toEqual(expect.arrayContaining([expect.stringMatching(/silver\.orders$/)]));
    const out = fact.outputs[0] as RunEvent['outputs'][number] & { facets: Record<string, { fields?: { name: string }[]; assertions?: { assertion: string; success: boolean }[] }>; outputFacets: { outputStatistics: { rowCount: number } } };
    expect(out.outputFacets.outputStatistics.rowCount).toBe(2);
    expect(out.facets.schema.fields!.map((f) => f.name)).toEqual(expect.arrayContaining(['order_id', 'gross_revenue']));
    expect(out.facets.dataQualityAssertions.assertions).toEqual(expect.arrayContaining([{ assertion: 'unique', name: 'unique(order_id)', success: true, column: 'order_id', actual: '0' }]));
  });

  it('emits FAIL with the error for a run stopped by a data test, and ABORT for the steps it rolled back', async () => {
    const failedFile = join(home.dir, 'lineage', 'failed.jsonl');
    await ingestRecords(home.wh, entity('returns'), [{ return_id: 'R1', order_id: 'O1', quantity: 1, refund_amount: '5000.00', requested_ts: '2026-01-03T10:00:00Z' }],
      { source: 'test', baseCurrency: 'EUR', lockWaitMs: 0 });
    const emitter = new OpenLineageEmitter(home.wh, new FileTransport(failedFile));
    await expect(runPipeline(home.wh, { baseCurrency: 'EUR', observers: [emitter] })).rejects.toThrow(/Data test failed/);
    await emitter.flush();
    const events = readEvents(failedFile);
    events.forEach(validate);
    const run = events.filter((e) => e.job.name === RUN_JOB);
    expect(run.map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    expect((run[1].run.facets?.errorMessage as unknown as { message: string }).message).toMatch(/gold\.fact_order expression/);
    const fact = events.filter((e) => e.job.name === 'gold.fact_order');
    expect(fact.map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    expect(events.find((e) => e.job.name === 'silver.returns')?.eventType).toBe('START');
    expect(events.filter((e) => e.job.name === 'silver.returns').map((e) => e.eventType)).toEqual(['START', 'ABORT']);
  });

  it('names the gold tables and source batches a KPI answer read, when asked', async () => {
    const answer = await queryKpis(home.wh, { lineage: true });
    expect(answer.lineage?.tables).toEqual(expect.arrayContaining(['gold.mart_daily_revenue', 'gold.mart_funnel_daily', 'gold.mart_stock_cover_daily']));
    expect(answer.lineage?.batches).toEqual(expect.arrayContaining([
      { entity: 'orders', batches: 1, first_batch_id: expect.any(Number), last_batch_id: expect.any(Number), last_run_id: 1 },
    ]));
    expect((await queryKpis(home.wh, {})).lineage).toBeUndefined();
  });
});

describe('lineage over HTTP', () => {
  let server: Server;
  const received: RunEvent[] = [];
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => { received.push(JSON.parse(body) as RunEvent); res.writeHead(201).end(); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1/lineage`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts each event, in order, to the endpoint (as Marquez takes them)', async () => {
    const home = await openTestHome();
    try {
      await ingestRecords(home.wh, entity('orders'), [order('H1')], { source: 'test', baseCurrency: 'EUR', lockWaitMs: 0 });
      const transport = lineageTransport({ home: home.dir, lineageUrl: url });
      expect(transport).toBeInstanceOf(HttpTransport);
      let failure: unknown;
      const emitter = new OpenLineageEmitter(home.wh, transport!, (e) => { failure = e; });
      await runPipeline(home.wh, { baseCurrency: 'EUR', observers: [emitter] });
      await emitter.flush();
      expect(failure).toBeUndefined();
      expect(received.length).toBeGreaterThan(4);
      received.forEach(validate);
      expect(received[0]).toMatchObject({ eventType: 'START', job: { name: RUN_JOB } });
      expect(received.at(-1)).toMatchObject({ eventType: 'COMPLETE', job: { name: RUN_JOB } });
    } finally {
      await home.cleanup();
    }
  });

  it('rotates the lineage file so a service running all day keeps it bounded', async () => {
    const home = await openTestHome();
    try {
      const target = join(home.dir, 'lineage', 'events.jsonl');
      const transport = new FileTransport(target, 1_000, 2);
      const one = { eventType: 'START', eventTime: new Date().toISOString(), producer: 'https://x', schemaURL: 'https://x', run: { runId: 'r' }, job: { namespace: 'n', name: 'j' }, inputs: [], outputs: [], pad: 'x'.repeat(600) } as unknown as RunEvent;
      for (let i = 0; i < 6; i++) await transport.send([one]);
      expect(readdirSync(join(home.dir, 'lineage')).sort()).toEqual(['events.jsonl', 'events.jsonl.1', 'events.jsonl.2']);
    } finally {
      await home.cleanup();
    }
  });

  it('writes to the home by default, can be turned off, and refuses a URL it cannot use', () => {
    expect(lineageTransport({ home: '/h' })).toMatchObject({ target: '/h/lineage/events.jsonl' });
    expect(lineageTransport({ home: '/h', lineageUrl: 'off' })).toBeUndefined();
    expect(() => lineageTransport({ home: '/h', lineageUrl: 'marquez:5000' })).toThrow(/--lineage-url/);
  });
});
