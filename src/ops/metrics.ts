// Prometheus metrics of a serving process (GET /metrics): what arrived, what each run accepted, rejected
// and left pending, how long runs and API requests take, how fresh the published KPIs are.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunSummary } from '../pipeline/run.js';
import type { Warehouse } from '../warehouse/engine.js';

/**
 * Node's default gauges that end in `_total` (a counter's suffix), which `promtool check metrics` refuses; each is
 * the sum of its by-type sibling (`…_active_handles{type}`), which stays.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export class Metrics {
  readonly registry = new Registry();
  private readonly ingested = new Counter({ name: 'storepulse_ingested_records_total', help: 'Records landed in bronze, by entity and source (http, inbox, stream)', labelNames: ['entity', 'source'] as const, registers: [this.registry] });
  private readonly processed = new Counter({ name: 'storepulse_processed_records_total', help: 'Records judged by silver runs, by entity and outcome (accepted, rejected)', labelNames: ['entity', 'outcome'] as const, registers: [this.registry] });
  private readonly pending = new Gauge({ name: 'storepulse_pending_records', help: 'Records waiting for their order or an exchange rate after the last run', labelNames: ['entity'] as const, registers: [this.registry] });
  private readonly runs = new Counter({ name: 'storepulse_runs_total', help: 'Pipeline runs by status', labelNames: ['status'] as const, registers: [this.registry] });
  private readonly runDuration = new Histogram({ name: 'storepulse_run_duration_seconds', help: 'Duration of pipeline runs (micro-batches)', buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300], registers: [this.registry] });
  private readonly lastSuccess = new Gauge({ name: 'storepulse_last_successful_run_timestamp_seconds', help: 'When the last successful run finished (Unix time)', registers: [this.registry] });
  private readonly freshness = new Histogram({ name: 'storepulse_freshness_seconds', help: 'Delay from ingestion to the published KPI snapshot that includes it', buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 10, 30], registers: [this.registry] });
  private readonly http = new Histogram({ name: 'storepulse_http_request_duration_seconds', help: 'API latency by route and status', labelNames: ['method', 'route', 'status_code'] as const, buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'storepulse_process_' });
    for (const name of MISNAMED_DEFAULTS) this.registry.removeSingleMetric(`storepulse_process_${name}`);
  }

  /** What the warehouse already says at start-up: records waiting per entity, the last successful run. */
  async seed(wh: Warehouse): Promise<void> {
    const pending = await wh.read<{ entity: string; n: number }>('SELECT entity, COUNT(*) AS n FROM silver.pending GROUP BY entity');
    for (const p of pending) this.pending.set({ entity: p.entity }, Number(p.n));
    const [last] = await wh.read<{ at: number | null }>(
      `SELECT MAX(${wh.dialect.epochSeconds('finished_at')}) AS at FROM meta.runs WHERE status = 'succeeded'`);
    if (last?.at !== null && last?.at !== undefined) this.lastSuccess.set(Number(last.at));
  }

  recordIngested(entity: string, source: 'http' | 'inbox' | 'stream', records: number): void {
    this.ingested.inc({ entity, source }, records);
  }

  recordRun(summary: RunSummary): void {
    this.runs.inc({ status: 'succeeded' });
    this.runDuration.observe(summary.ms / 1000);
    this.lastSuccess.set(Date.now() / 1000);
    for (const e of summary.entities) {
      this.processed.inc({ entity: e.entity, outcome: 'accepted' }, e.accepted);
      this.processed.inc({ entity: e.entity, outcome: 'rejected' }, e.rejected);
      this.pending.set({ entity: e.entity }, e.pending);
    }
  }

  recordFailedRun(): void {
    this.runs.inc({ status: 'failed' });
  }

  recordFreshness(ms: number): void {
    this.freshness.observe(ms / 1000);
  }

  recordRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.http.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
