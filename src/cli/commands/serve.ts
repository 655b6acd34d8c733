import type { Command } from 'commander';
import { startService } from '../../api/live-service.js';
import { allow, type Access } from '../../auth/route-access.js';
import { isRole, ROLES, type Role } from '../../auth/roles.js';
import { Errors } from '../../errors/catalogue.js';
import { JWT_SECRET, PII_SECRET, resolveSecret } from '../../home/secrets.js';
import { loadStreamsConfig, resolveStreamsConfigPath } from '../../ingest/stream/stream-config.js';
import { loadAlertsConfig, parseDuration, resolveAlertsConfigPath } from '../../ops/alerts/config.js';
import { lakeDir } from './export-lake.js';
import { createLogger } from '../../ops/logger.js';
import { standardObservers } from '../../ops/run-observers.js';
import { bootstrap } from '../../pipeline/bootstrap.js';
import { openWarehouse } from '../../warehouse/open.js';
import { action, settingsOf } from '../context.js';

export interface ServeCli {
  port: string; host: string; minInterval: string; bodyLimit: string; alerts?: string; ingestRoles?: string;
  streams?: string; exportLake?: string | boolean; lakeInterval?: string;
}

export function parseServeOptions(opts: ServeCli) {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw Errors.badOption('--port', opts.port, 'a port number 0-65535 (0 picks a free one)');
  const minIntervalMs = Number(opts.minInterval);
  if (!Number.isFinite(minIntervalMs) || minIntervalMs < 0) throw Errors.badOption('--min-interval', opts.minInterval, 'milliseconds ≥ 0');
  const bodyLimit = Number(opts.bodyLimit);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw Errors.badOption('--body-limit', opts.bodyLimit, 'bytes ≥ 1024');
  return { port, host: opts.host, minIntervalMs, bodyLimit, alertsOption: opts.alerts, streamsOption: opts.streams, ingestAccess: parseIngestRoles(opts.ingestRoles) };
}

/** `--ingest-roles admin,editor`: posting to /api/ingest then takes a token with one of these roles. */
function parseIngestRoles(value: string | undefined): Access | undefined {
  if (value === undefined) return undefined;
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = roles.find((r) => !isRole(r));
  if (roles.length === 0 || bad !== undefined) throw Errors.badOption('--ingest-roles', value, `a comma-separated list of ${ROLES.join(', ')}`);
  return allow(...(roles as Role[]));
}

/** The keys `serve` and `demo` sign tokens and tokenise personal data with (env, else <home>/secrets/). */
export function serviceSecrets(home: string): { jwtSecret: string; piiKey: string } {
  return { jwtSecret: resolveSecret(JWT_SECRET, home), piiKey: resolveSecret(PII_SECRET, home) };
}

export function addServeOptions(cmd: Command): Command {
  return cmd
    .option('--port <port>', 'HTTP port (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--min-interval <ms>', 'minimum time between two micro-batches', '200')
    .option('--body-limit <bytes>', 'largest accepted request body', String(10 * 1024 * 1024))
    .option('--ingest-roles <roles>', 'require a token with one of these roles (comma-separated, e.g. admin,editor) to post to /api/ingest; default: open, as the demo and existing shop clients post without one')
    .option('--alerts <file>', 'alerts config: freshness SLAs, KPI thresholds, a webhook (env STOREPULSE_ALERTS; default <home>/alerts.yaml when it exists; see `storepulse alerts --help`)');
}

export function registerServe(program: Command): void {
  addServeOptions(program.command('serve'))
    .option('--streams <file>', 'stream sources: entities consumed from NATS JetStream (env STOREPULSE_STREAMS; default <home>/streams.yaml when it exists)')
    .option('--export-lake [dir]', 'keep a Parquet lake of silver and gold current (default <home>/lake; see `storepulse export-lake --help`)')
    .option('--lake-interval <duration>', 'least time between two lake refreshes (tables changed by the micro-batches meanwhile)', '1m')
    .description('Run the API, the live dashboard, the watched inbox (<home>/inbox) and the continuous pipeline in one process.')
    .action(action(async (opts: ServeCli, cmd: Command) => {
      const settings = settingsOf(cmd);
      const serve = parseServeOptions(opts);
      const alertsFile = resolveAlertsConfigPath(settings.home, serve.alertsOption);
      if (alertsFile) loadAlertsConfig(alertsFile); // an invalid config fails here, before the warehouse opens
      const streamsFile = resolveStreamsConfigPath(settings.home, serve.streamsOption);
      const streams = streamsFile ? loadStreamsConfig(streamsFile) : null;
      const lakeFolder = lakeDir(settings.home, opts.exportLake);
      const intervalMs = parseDuration(opts.lakeInterval ?? '1m');
      if (intervalMs === undefined) throw Errors.badOption('--lake-interval', opts.lakeInterval ?? '', 'a duration such as 30s or 5m');
      const lake = lakeFolder ? { dir: lakeFolder, intervalMs } : null;
      const wh = await openWarehouse({ home: settings.home, warehouse: settings.warehouse, waitMs: settings.waitMs });
      await bootstrap(wh, settings.baseCurrency);
      const logger = createLogger();
      const service = await startService({ wh, home: settings.home, baseCurrency: settings.baseCurrency, logger, observers: standardObservers(settings, wh, (e) => logger.warn({ err: e }, 'lineage events could not be sent')), alertsFile, streams, lake, ...serviceSecrets(settings.home), ...serve })
        .catch(async (e: unknown) => { await wh.close(); throw e; });
      process.stdout.write(`StorePulse is serving ${settings.home}\n  dashboard: ${service.url}/\n  API:       ${service.url}/api/docs\n  inbox:     ${settings.home}/inbox\n${alertsFile ? `  alerts:    ${alertsFile}\n` : ''}${lake ? `  lake:      ${lake.dir} (every ${opts.lakeInterval} at most)\n` : ''}${streams ? streams.sources.map((s) => `  stream:    ${s.entity} ← nats ${s.stream}${s.subjects.length ? ` (${s.subjects.join(', ')})` : ''}, consumer ${s.durable}\n`).join('') : ''}`);
      await waitForSignal();
      await shutDown(async () => {
        await service.stop();
        await wh.close();
      });
    }));
}

/**
 * Stops the service and exits. A client that keeps a connection open (a keep-alive pool, a stream reader) must
 * not keep the process alive after a stop signal, so it exits once the stop is done, or after 10 s regardless.
 */
export async function shutDown(stop: () => Promise<void>): Promise<never> {
  process.stdout.write('Stopping …\n');
  const deadline = setTimeout(() => {
    process.stderr.write('Did not stop within 10 s; exiting anyway.\n');
    process.exit(1);
  }, 10_000);
  deadline.unref();
  await stop();
  process.exit(process.exitCode ?? 0);
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
