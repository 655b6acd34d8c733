import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { startService } from '../../api/live-service.js';
import { OrderProducer } from '../../demo/order-producer.js';
import { Errors } from '../../errors/catalogue.js';
import { generate } from '../../generate/index.js';
import { discoverFiles } from '../../ingest/discover.js';
import { ingestFile } from '../../ingest/ingest-file.js';
import { resolveAlertsConfigPath } from '../../ops/alerts/config.js';
import { createLogger } from '../../ops/logger.js';
import { standardObservers } from '../../ops/run-observers.js';
import { bootstrap } from '../../pipeline/bootstrap.js';
import { runPipeline } from '../../pipeline/run.js';
import type { Warehouse } from '../../warehouse/engine.js';
import { openWarehouse } from '../../warehouse/open.js';
import { action, progressLine, settingsOf } from '../context.js';
import { addServeOptions, parseServeOptions, serviceSecrets, shutDown, waitForSignal, type ServeCli } from './serve.js';

interface DemoCli extends ServeCli { orders: string; days: string; rate: string }

/** Generates, ingests and builds a history once per home, so a restart of the demo keeps its data. */
async function ensureHistory(wh: Warehouse, home: string, orders: number, days: number, baseCurrency: string, piiKey: string): Promise<void> {
  const built = await wh.all<{ n: number }>("SELECT COUNT(*) AS n FROM meta.runs WHERE status = 'succeeded'");
  if (Number(built[0].n) > 0) return;
  const progress = progressLine(false);
  const source = join(home, 'demo-source');
  if (!existsSync(source)) {
    const start = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    process.stderr.write(`Generating ${orders} orders over the last ${days} days (with real-world faults) into ${source} …\n`);
    await generate({ out: source, orders, days, start, faults: true, seed: 7, onProgress: progress });
  }
  process.stderr.write('Ingesting the history into bronze …\n');
  for (const file of discoverFiles([source])) {
    const o = await ingestFile(wh, file);
    progress(o.status === 'loaded' ? `${o.entity}: ${o.records} records` : `${o.path}: ${o.status}`);
  }
  process.stderr.write('Building silver and gold …\n');
  const run = await runPipeline(wh, { baseCurrency, piiKey });
  process.stderr.write(`History built in ${run.ms} ms.\n`);
}

export function registerDemo(program: Command): void {
  addServeOptions(program.command('demo'))
    .description('The live demo (what `npm start` runs): a generated history, then new orders at --rate per second through the HTTP ingestion path, with the dashboard and API served.')
    .option('--orders <n>', 'orders in the generated history', '20000')
    .option('--days <d>', 'days of history, ending today', '60')
    .option('--rate <n>', 'new orders per second while the demo runs', '5')
    .action(action(async (opts: DemoCli, cmd: Command) => {
      const settings = settingsOf(cmd);
      const serve = parseServeOptions(opts);
      const rate = Number(opts.rate);
      if (!Number.isFinite(rate) || rate < 0) throw Errors.badOption('--rate', opts.rate, 'orders per second ≥ 0');
      const wh = await openWarehouse({ home: settings.home, warehouse: settings.warehouse, waitMs: settings.waitMs });
      await bootstrap(wh, settings.baseCurrency);
      const secrets = serviceSecrets(settings.home);
      await ensureHistory(wh, settings.home, Number(opts.orders), Number(opts.days), settings.baseCurrency, secrets.piiKey);
      const logger = createLogger(process.env.STOREPULSE_LOG_LEVEL ?? 'warn');
      const alertsFile = resolveAlertsConfigPath(settings.home, serve.alertsOption);
      const service = await startService({ wh, home: settings.home, baseCurrency: settings.baseCurrency, logger, observers: standardObservers(settings, wh, (e) => logger.warn({ err: e }, 'lineage events could not be sent')), alertsFile, ...secrets, ...serve });
      const producer = await OrderProducer.create(wh, { url: service.url, rate, onError: (e) => logger.error({ err: e }, 'demo producer failed') });
      producer.start();
      process.stdout.write(`\nStorePulse demo is live: ${rate} new orders per second.\n  dashboard: ${service.url}/\n  API:       ${service.url}/api/docs\n  inbox:     ${settings.home}/inbox\nPress Ctrl-C to stop.\n`);
      await waitForSignal();
      producer.stop();
      await shutDown(async () => {
        await service.stop();
        await wh.close();
        process.stdout.write(`Stopped after producing ${producer.produced} orders.\n`);
      });
    }));
}
