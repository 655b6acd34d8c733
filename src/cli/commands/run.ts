import type { Command } from 'commander';
import { runPipelineWithRetry } from '../../pipeline/run.js';
import { standardObservers } from '../../ops/run-observers.js';
import { table } from '../format.js';
import { action, progressLine, settingsOf, withWarehouse } from '../context.js';

export function registerRun(program: Command): void {
  program.command('run')
    .description('Process everything that landed: bronze → silver (validated, deduplicated, rejects, pending) → gold, in one atomic transaction.')
    .option('--json', 'print the run summary as JSON')
    .option('--full-refresh', 'rebuild every gold model from silver instead of only affected partitions')
    .option('--quiet', 'no progress lines')
    .action(action(async (opts: { json?: boolean; fullRefresh?: boolean; quiet?: boolean }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const summary = await withWarehouse(settings, (wh) =>
        runPipelineWithRetry(wh, { baseCurrency: settings.baseCurrency, lockWaitMs: settings.waitMs, fullRefresh: opts.fullRefresh, onProgress: progressLine(Boolean(opts.quiet || opts.json)),
          observers: standardObservers(settings),
          onObserverError: (e) => process.stderr.write(`warning: ${(e as Error).message}\n`),
        }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(summary) + '\n');
        return;
      }
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
