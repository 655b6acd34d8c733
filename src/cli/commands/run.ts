import type { Command } from 'commander';
import { PII_SECRET, resolveSecret } from '../../home/secrets.js';
import { exportLake, type ExportResult } from '../../lake/export-lake.js';
import { changedTables } from '../../lake/lake-keeper.js';
import { runPipelineWithRetry } from '../../pipeline/run.js';
import { lakeDir } from './export-lake.js';
import { createLogger } from '../../ops/logger.js';
import { runLogger } from '../../ops/run-logger.js';
import { standardObservers } from '../../ops/run-observers.js';
import type { RunObserver } from '../../pipeline/run-observer.js';
import { table } from '../format.js';
import { action, progressLine, settingsOf, withWarehouse } from '../context.js';

export function registerRun(program: Command): void {
  program.command('run')
    .description('Process everything that landed: bronze → silver (validated, deduplicated, rejects, pending) → gold, in one atomic transaction.')
    .option('--json', 'print the run summary as JSON')
    .option('--full-refresh', 'rebuild every gold model from silver instead of only affected partitions')
    .option('--quiet', 'no progress lines')
    .option('--export-lake [dir]', 'then bring the Parquet lake up to date: the tables this run changed (default <home>/lake; see `storepulse export-lake --help`)')
    .option('--log-json', 'progress as structured JSON log lines (pino, as `serve` writes them) on stderr, each with its run_id; STOREPULSE_LOG_LEVEL=debug adds every step')
    .action(action(async (opts: { json?: boolean; fullRefresh?: boolean; quiet?: boolean; logJson?: boolean; exportLake?: string | boolean }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const logging = opts.logJson ? jsonProgress() : undefined;
      const lake = lakeDir(settings.home, opts.exportLake);
      let exported: ExportResult | undefined;
      const summary = await withWarehouse(settings, async (wh) => {
        const s = await runPipelineWithRetry(wh, { baseCurrency: settings.baseCurrency, lockWaitMs: settings.waitMs, fullRefresh: opts.fullRefresh,
          piiKey: resolveSecret(PII_SECRET, settings.home),
          onProgress: logging?.progress ?? progressLine(Boolean(opts.quiet || opts.json)),
          observers: [...(logging?.observers ?? []), ...standardObservers(settings, wh, (e) => process.stderr.write(`warning: lineage events could not be sent: ${(e as Error).message}\n`))],
          onObserverError: logging?.observerFailed ?? ((e) => process.stderr.write(`warning: ${(e as Error).message}\n`)),
        });
        // Only what the run changed is written again (everything, the first time or for a lake of another warehouse).
        if (lake) {
          exported = await exportLake(wh, { dir: lake, baseCurrency: settings.baseCurrency, changed: changedTables(s),
            onProgress: logging?.progress ?? progressLine(Boolean(opts.quiet || opts.json)) });
        }
        return s;
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify(exported ? { ...summary, lake: exported } : summary) + '\n');
        return;
      }
      if (exported) process.stderr.write(`lake ${exported.dir}: ${exported.exported.length} table(s) written, ${exported.kept.length} unchanged (${exported.ms} ms)\n`);
      if (summary.status === 'nothing_to_do') {
        process.stdout.write('Nothing to do: no new batches since the last run. Ingest files first (storepulse ingest PATH).\n');
        return;
      }
      process.stdout.write(`Run ${summary.runId} succeeded in ${summary.ms} ms over ${summary.batches} batch(es).\n\n`);
      process.stdout.write(table(summary.entities.filter((e) => e.read + e.accepted + e.pending + e.rejected > 0) as unknown as Record<string, unknown>[],
        ['entity', 'read', 'accepted', 'promoted', 'rejected', 'pending', 'changed']));
      process.stdout.write('\n');
      process.stdout.write(table(summary.models.filter((m) => m.mode !== 'skipped').map((m) => ({ ...m, partitions: m.partitions ?? null })) as unknown as Record<string, unknown>[],
        ['model', 'mode', 'partitions', 'deleted', 'inserted', 'ms']));
    }));
}

/** `--log-json`: the run's own log lines and its progress lines, all through pino with the run's run_id. */
function jsonProgress(): { progress: (message: string) => void; observers: RunObserver[]; observerFailed: (e: unknown) => void } {
  const logger = createLogger();
  // Progress lines come from inside the run (or, for a retry, right after the attempt that failed): the latest run.
  let runId: number | undefined;
  const current = () => (runId === undefined ? logger : logger.child({ run_id: runId }));
  return {
    progress: (message) => current().info(message),
    observers: [{ runStarted: (e) => { runId = e.runId; } }, runLogger(logger)],
    observerFailed: (e) => current().warn({ err: e }, 'a run observer failed; the run went on'),
  };
}
