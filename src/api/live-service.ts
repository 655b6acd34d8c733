// `serve`: the API, the dashboard, the inbox and the continuous pipeline loop in one process.
import type { FastifyInstance } from 'fastify';
import type { Access } from '../auth/route-access.js';
import { TokenService } from '../auth/tokens.js';
import type { Logger } from 'pino';
import { InboxWatcher } from '../ingest/inbox.js';
import { LakeKeeper } from '../lake/lake-keeper.js';
import { NatsSource } from '../ingest/stream/nats-source.js';
import type { StreamsConfig } from '../ingest/stream/stream-config.js';
import { StreamConsumer } from '../ingest/stream/stream-consumer.js';
import { queryKpis, type KpiTotal } from '../kpi/kpi-service.js';
import { AlertService } from '../ops/alerts/service.js';
import { statePath } from '../ops/alerts/state.js';
import { FreshnessWindow } from '../ops/freshness.js';
import { Metrics } from '../ops/metrics.js';
import { runLogger } from '../ops/run-logger.js';
import { LiveLoop, type MicroBatch } from '../pipeline/live-loop.js';
import type { RunObserver } from '../pipeline/run-observer.js';
import { isStorePulseError } from '../errors/catalogue.js';
import type { Warehouse } from '../warehouse/engine.js';
import type { ApiContext } from './context.js';
import { readHealth } from './health.js';
import { AnswerCache } from './answer-cache.js';
import { buildServer } from './server.js';
import { SnapshotHub, type Snapshot } from './snapshots.js';

export interface ServiceOptions {
  wh: Warehouse;
  home: string;
  baseCurrency: string;
  host: string;
  port: number;
  minIntervalMs: number;
  bodyLimit: number;
  logger: Logger;
  /** Listen to every micro-batch run (lineage and the like). */
  observers?: RunObserver[];
  /** The alerts config file (see src/ops/alerts); null or absent: alerts are off. */
  alertsFile?: string | null;
  /** Stream sources to consume (see src/ingest/stream); null or absent: none. */
  streams?: StreamsConfig | null;
  /** Keep a Parquet lake current (see src/lake): its folder and the least time between two refreshes. */
  lake?: { dir: string; intervalMs: number } | null;
  /** The key tokens are signed with; absent: every protected route answers 401. */
  jwtSecret?: string;
  /** The key micro-batches tokenise personal data with (default: STOREPULSE_PII_SECRET). */
  piiKey?: string;
  /** Who may post to /api/ingest (default: public). */
  ingestAccess?: Access;
}

export interface RunningService {
  url: string;
  app: FastifyInstance;
  snapshots: SnapshotHub;
  stop(): Promise<void>;
}

async function buildSnapshot(wh: Warehouse, freshness: FreshnessWindow, runId: number | null, publishedAt?: Date): Promise<Snapshot> {
  let total: KpiTotal | undefined;
  try {
    total = (await queryKpis(wh, {})) as KpiTotal;
  } catch (e) {
    if (!isStorePulseError(e) || e.code !== 'SP_ERR_NO_DATA') throw e;
  }
  const health = await readHealth(wh, freshness);
  return {
    run_id: runId, as_of: health.as_of, published_at: (publishedAt ?? new Date()).toISOString(),
    from: total?.from ?? null, to: total?.to ?? null, kpis: total?.kpis ?? null, health,
  };
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { wh, logger } = options;
  const freshness = new FreshnessWindow();
  const snapshots = new SnapshotHub();
  const metrics = new Metrics();
  await metrics.seed(wh);
  const answers = new AnswerCache();
  // New gold, new answers.
  snapshots.subscribe(() => answers.clear());
  let loop: LiveLoop | undefined;
  // Loaded before anything listens, so an invalid config stops the start with its line and key.
  const alerts = new AlertService({ wh, configFile: options.alertsFile ?? null, stateFile: statePath(options.home), logger, snapshots });
  const ctx: ApiContext = {
    wh, baseCurrency: options.baseCurrency, freshness, snapshots, bodyLimit: options.bodyLimit, metrics, answers, alerts,
    dataArrived: () => loop?.notify(),
    tokens: options.jwtSecret ? new TokenService(options.jwtSecret) : undefined,
    ingestAccess: options.ingestAccess,
  };

  const lake = options.lake ? new LakeKeeper(wh, {
    ...options.lake, baseCurrency: options.baseCurrency,
    onExported: (r) => logger.info({ lake: r.dir, run_id: r.run_id, tables: r.exported.length, ms: r.ms }, 'lake refreshed'),
    onError: (e) => logger.warn({ err: e }, 'lake export failed; retrying at the next interval'),
  }) : undefined;
  const onBatch = async (batch: MicroBatch) => {
    lake?.noteRun(batch.summary);
    const snapshot = await buildSnapshot(wh, freshness, batch.summary.runId);
    // Freshness: from the earliest ingestion in the micro-batch to the moment its snapshot is published.
    const delay = Date.parse(snapshot.published_at) - Date.parse(batch.firstIngestedAt);
    freshness.record(delay);
    metrics.recordRun(batch.summary);
    metrics.recordFreshness(delay);
    snapshot.health.freshness = freshness.summary();
    snapshots.publish(snapshot);
    logger.info({ run_id: batch.summary.runId, batches: batch.summary.batches, ms: batch.summary.ms, freshness_ms: delay }, 'micro-batch published');
  };
  loop = new LiveLoop(wh, {
    baseCurrency: options.baseCurrency,
    minIntervalMs: options.minIntervalMs,
    piiKey: options.piiKey,
    observers: [runLogger(logger), ...(options.observers ?? [])],
    onObserverError: (e) => logger.warn({ err: e }, 'a run observer failed; the run went on'),
    onBatch,
    onError: (e, backoff) => {
      metrics.recordFailedRun();
      // The failed run logged itself (with its run_id); this line is the loop's decision.
      logger.warn({ err: e, backoff_ms: backoff }, 'retrying the pipeline after back-off');
    },
  });
  const inbox = new InboxWatcher(wh, options.home, {
    onOutcome: (o, movedTo) => {
      if (o.status === 'refused') logger.warn({ file: o.path, code: o.code, moved_to: movedTo }, 'inbox file quarantined');
      else logger.info({ file: o.path, status: o.status, moved_to: movedTo }, 'inbox file ingested');
      if (o.status === 'loaded') metrics.recordIngested(o.entity, 'inbox', o.records);
      loop?.notify();
    },
  });

  const consumers = (options.streams?.sources ?? []).map((s) => new StreamConsumer(wh, new NatsSource(s), {
    batch: s.batch, lingerMs: s.lingerMs,
    onLanded: (landing, source) => {
      if (landing.records > 0) metrics.recordIngested(source.entity, 'stream', landing.records);
      logger.debug({ source: source.name, batch_id: landing.batchId, messages: landing.messages, records: landing.records, redelivered: landing.redelivered }, 'stream batch landed');
      loop?.notify();
    },
    onError: (e, source, retryInMs) => logger.warn({ err: e, source: source.name, retry_ms: retryInMs }, 'stream batch not landed; the broker delivers it again'),
  }));

  const app = await buildServer(ctx, logger);
  // A stream that cannot be consumed stops the start, before anything is served: serving without it would look
  // healthy while the entity falls ever further behind.
  try {
    for (const c of consumers) await c.start();
  } catch (e) {
    for (const c of consumers) await c.stop().catch(() => undefined);
    await app.close();
    throw e;
  }
  snapshots.publish(await buildSnapshot(wh, freshness, null));
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (e) {
    for (const c of consumers) await c.stop().catch(() => undefined);
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  loop.start();
  inbox.start();
  alerts.start();
  for (const c of consumers) logger.info({ source: c.source.name, entity: c.source.entity }, 'consuming stream');
  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    app, snapshots,
    async stop() {
      for (const c of consumers) await c.stop();
      await inbox.stop();
      await loop!.stop();
      await lake?.stop();
      await alerts.stop();
      await app.close();
    },
  };
}
