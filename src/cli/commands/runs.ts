import type { Command } from 'commander';
import { Errors } from '../../errors/catalogue.js';
import { listRuns } from '../../pipeline/run-history.js';
import { table } from '../format.js';
import { action, settingsOf, withWarehouse } from '../context.js';

export function registerRuns(program: Command): void {
  program.command('runs')
    .description('Run history, newest first: start, end, status, duration, rows per entity and model, error.')
    .option('--limit <n>', 'how many runs', '20')
    .option('--status <status>', 'only runs with this status (succeeded, failed, running)')
    .option('--json', 'print JSON, with rows per entity and model')
    .action(action(async (opts: { limit: string; status?: string; json?: boolean }, cmd: Command) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw Errors.badOption('--limit', opts.limit, 'a whole number ≥ 1');
      const runs = await withWarehouse(settingsOf(cmd), (wh) => listRuns(wh, { limit, status: opts.status }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(runs) + '\n');
        return;
      }
      if (runs.length === 0) {
        process.stdout.write('No runs yet. Ingest some files (storepulse ingest PATH), then storepulse run.\n');
        return;
      }
      process.stdout.write(table(runs.map((r) => ({
        run: r.run_id, status: r.status, started: r.started_at, ms: r.duration_ms ?? '',
        read: r.entities.reduce((n, e) => n + e.read, 0), rejected: r.entities.reduce((n, e) => n + e.rejected, 0),
        models: r.models.filter((m) => m.mode !== 'skipped').length,
        tests: r.tests.length ? `${r.tests.filter((t) => t.status === 'pass').length}/${r.tests.length} passed` : '',
        error: r.error ?? '',
      }))));
    }));
}
