// Turns a run's observer events into OpenLineage RunEvents: START and COMPLETE (or FAIL) for the run and for
// each silver and gold step, with inputs down to the source files and outputs with schema, row counts and
// data-test assertions. Steps happen inside the run's transaction, so their events are held until the run
// ends; then committed metadata is read (on a reader connection) and everything is sent in order.
import { notBuiltApart } from '../../pipeline/built-apart-names.js';
import type { RunObserver, StepEvent, StepFinished } from '../../pipeline/run-observer.js';
import type { TestOutcome } from '../../quality/test-outcome.js';
import type { Warehouse } from '../../warehouse/engine.js';
import { facets, JOB_NAMESPACE, PRODUCER, SCHEMA_URL, uuidFrom, type Dataset, type EventType, type RunEvent } from './events.js';
import type { LineageTransport } from './transport.js';

export const RUN_JOB = 'storepulse.run';

interface CurrentRun {
  runId: number;
  at: string;
  started: Map<string, StepEvent>;
  finished: StepFinished[];
}

/** Where a warehouse's tables live in OpenLineage's naming: postgres://host:port with database.schema.table. */
export function warehouseDatasets(wh: Pick<Warehouse, 'kind' | 'target'>): (table: string) => { namespace: string; name: string } {
  if (wh.kind === 'postgres') {
    const url = new URL(wh.target);
    const namespace = `postgres://${url.hostname}:${url.port || '5432'}`;
    const db = url.pathname.replace(/^\//, '');
    return (table) => ({ namespace, name: `${db}.${table}` });
  }
  return (table) => ({ namespace: `duckdb://${wh.target}`, name: table });
}

/** A batch's source: a file path, an inbox file, or an HTTP request. */
export function sourceDataset(source: string): { namespace: string; name: string } {
  if (source.startsWith('/')) return { namespace: 'file', name: source };
  const colon = source.indexOf(':');
  return colon > 0 ? { namespace: `storepulse-${source.slice(0, colon)}`, name: source.slice(colon + 1) } : { namespace: 'storepulse-source', name: source };
}

const assertions = (tests: readonly TestOutcome[]) => tests.map((t) => ({
  assertion: t.kind === 'reconciliation' ? 'reconciliation' : t.kind, name: t.test, success: t.status === 'pass', severity: t.status === 'pass' ? undefined : t.status,
  ...(t.column ? { column: t.column } : {}), actual: String(t.failures),
}));

export class OpenLineageEmitter implements RunObserver {
  private current: CurrentRun | undefined;
  /** Sends in order, off the run's path: a slow endpoint must not hold the run lock or delay the next micro-batch. */
  private sending: Promise<void> = Promise.resolve();
  /** Schema facets already sent, per table: a table's schema is sent again only when it changed. */
  private readonly sentSchemas = new Map<string, string>();
  private readonly dataset: (table: string) => { namespace: string; name: string };

  constructor(private readonly wh: Warehouse, private readonly transport: LineageTransport, private readonly onError: (e: unknown) => void = () => undefined) {
    this.dataset = warehouseDatasets(wh);
  }

  runStarted(e: { runId: number; at: string }): void {
    this.current = { runId: e.runId, at: e.at, started: new Map(), finished: [] };
  }

  stepStarted(e: StepEvent): void {
    this.current?.started.set(e.step, e);
  }

  stepFinished(e: StepFinished): void {
    this.current?.finished.push(e);
  }

  async runSucceeded(e: { runId: number; at: string }): Promise<void> {
    const run = this.take(e.runId);
    if (!run) return;
    const [sources, schemas] = await Promise.all([this.sourcesOf(e.runId), this.schemas()]);
    const events: RunEvent[] = [];
    const runUuid = this.runUuid(e.runId);
    const allSources = [...sources.values()].flat();
    events.push(this.event('START', run.at, runUuid, RUN_JOB, allSources, [], {}, 'JOB'));
    for (const step of run.finished) {
      const stepUuid = this.stepUuid(e.runId, step.step);
      const inputs = [...step.inputs.map((t) => this.dataset(t)), ...(step.layer === 'silver' ? sources.get(step.step.slice('silver.'.length)) ?? [] : [])];
      const output = this.output(step.step, schemas.get(step.step), step.rows, step.tests);
      const parent = { parent: facets.parent(runUuid, RUN_JOB) };
      events.push(this.event('START', run.started.get(step.step)?.at ?? step.at, stepUuid, step.step, inputs, [this.dataset(step.step)], parent, 'MODEL'));
      events.push(this.event('COMPLETE', step.at, stepUuid, step.step, inputs, [output], parent, 'MODEL'));
    }
    events.push(this.event('COMPLETE', e.at, runUuid, RUN_JOB, allSources, run.finished.map((s) => this.dataset(s.step)), {}, 'JOB'));
    this.send(events);
  }

  async runFailed(e: { runId: number; at: string; error: Error; step?: string; tests: TestOutcome[] }): Promise<void> {
    const run = this.take(e.runId);
    if (!run) return;
    const runUuid = this.runUuid(e.runId);
    const parent = { parent: facets.parent(runUuid, RUN_JOB) };
    const error = { errorMessage: facets.errorMessage(e.error.message) };
    const events: RunEvent[] = [this.event('START', run.at, runUuid, RUN_JOB, [], [], {}, 'JOB')];
    // Steps that finished before the failure were rolled back with the run: ABORT, not COMPLETE.
    for (const step of run.finished) {
      if (step.step === e.step) continue;
      const stepUuid = this.stepUuid(e.runId, step.step);
      const inputs = step.inputs.map((t) => this.dataset(t));
      events.push(this.event('START', run.started.get(step.step)?.at ?? step.at, stepUuid, step.step, inputs, [this.dataset(step.step)], parent, 'MODEL'));
      events.push(this.event('ABORT', e.at, stepUuid, step.step, inputs, [this.dataset(step.step)], parent, 'MODEL'));
    }
    if (e.step && e.step !== 'reconciliation') {
      const stepUuid = this.stepUuid(e.runId, e.step);
      const started = run.started.get(e.step) ?? run.finished.find((s) => s.step === e.step);
      const inputs = (started?.inputs ?? []).map((t) => this.dataset(t));
      const tests = e.tests.filter((t) => t.model === e.step);
      const output: Dataset = { ...this.dataset(e.step), ...(tests.length ? { facets: { dataQualityAssertions: facets.dataQualityAssertions(assertions(tests)) } } : {}) };
      events.push(this.event('START', started?.at ?? e.at, stepUuid, e.step, inputs, [this.dataset(e.step)], parent, 'MODEL'));
      events.push(this.event('FAIL', e.at, stepUuid, e.step, inputs, [output], { ...parent, ...error }, 'MODEL'));
    }
    events.push(this.event('FAIL', e.at, runUuid, RUN_JOB, [], [], error, 'JOB'));
    this.send(events);
  }

  private take(runId: number): CurrentRun | undefined {
    const run = this.current?.runId === runId ? this.current : undefined;
    this.current = undefined;
    return run;
  }

  private runUuid(runId: number): string {
    return uuidFrom(`${this.wh.target}#run#${runId}`);
  }

  private stepUuid(runId: number, step: string): string {
    return uuidFrom(`${this.wh.target}#run#${runId}#${step}`);
  }

  private event(type: EventType, at: string, runId: string, job: string, inputs: Dataset[], outputs: Dataset[],
    runFacets: RunEvent['run']['facets'], jobType: 'JOB' | 'MODEL'): RunEvent {
    return {
      eventType: type, eventTime: new Date(at).toISOString(), producer: PRODUCER, schemaURL: SCHEMA_URL,
      run: { runId, ...(runFacets && Object.keys(runFacets).length ? { facets: runFacets } : {}) },
      job: { namespace: JOB_NAMESPACE, name: job, facets: { jobType: facets.jobType(jobType) } },
      inputs, outputs,
    };
  }

  private output(table: string, allFields: { name: string; type: string }[] | undefined, rows: number, tests: readonly TestOutcome[]): Dataset {
    const key = JSON.stringify(allFields ?? null);
    const fields = this.sentSchemas.get(table) === key ? undefined : allFields;
    if (fields) this.sentSchemas.set(table, key);
    return {
      ...this.dataset(table),
      facets: {
        ...(fields ? { schema: facets.schema(fields) } : {}),
        ...(tests.length ? { dataQualityAssertions: facets.dataQualityAssertions(assertions(tests)) } : {}),
      },
      outputFacets: { outputStatistics: facets.outputStatistics(rows) },
    };
  }

  /** The source files (or requests) of the batches the run processed, per entity. */
  private async sourcesOf(runId: number): Promise<Map<string, Dataset[]>> {
    const rows = await this.wh.read<{ entity: string; source: string }>(
      'SELECT DISTINCT entity, source FROM meta.batches WHERE processed_run_id = $1 ORDER BY entity, source', [runId]);
    const out = new Map<string, Dataset[]>();
    for (const r of rows) out.set(r.entity, [...(out.get(r.entity) ?? []), sourceDataset(r.source)]);
    return out;
  }

  private async schemas(): Promise<Map<string, { name: string; type: string }[]>> {
    const rows = await this.wh.read<{ t: string; name: string; type: string }>(
      `SELECT table_schema || '.' || table_name AS t, column_name AS name, data_type AS type FROM information_schema.columns
       WHERE table_schema IN ('silver', 'gold') AND ${notBuiltApart()} ORDER BY table_schema, table_name, ordinal_position`);
    const out = new Map<string, { name: string; type: string }[]>();
    for (const r of rows) out.set(r.t, [...(out.get(r.t) ?? []), { name: r.name, type: String(r.type) }]);
    return out;
  }

  private send(events: RunEvent[]): void {
    this.sending = this.sending.then(() => this.transport.send(events)).catch((e: unknown) => this.onError(e));
  }

  /** Resolves when every event handed over so far has been sent (or has failed and been reported). */
  flush(): Promise<void> {
    return this.sending;
  }
}
