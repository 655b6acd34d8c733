import type { Command } from 'commander';
import { accountFor } from '../../quality/accounting.js';
import { table } from '../format.js';
import { action, settingsOf, withWarehouse } from '../context.js';

export function registerStatus(program: Command): void {
  program.command('status')
    .description('Account for every record: per entity, records landed in bronze = accepted + rejected + pending (+ not yet run).')
    .option('--json', 'print JSON')
    .action(action(async (opts: { json?: boolean }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const status = await withWarehouse(settings, (wh) => accountFor(wh));
      if (opts.json) {
        process.stdout.write(JSON.stringify(status) + '\n');
        return;
      }
      process.stdout.write(`Warehouse: ${status.warehouse}; last run: ${status.lastRun ? `${status.lastRun.run_id} (${status.lastRun.status} at ${status.lastRun.finished_at})` : 'none'}\n\n`);
      process.stdout.write(table(status.entities as unknown as Record<string, unknown>[],
        ['entity', 'records', 'accepted', 'rejected', 'pending', 'unprocessed', 'current']));
      const reasons = status.entities.flatMap((e) => Object.entries(e.pendingReasons).map(([reason, n]) => ({ entity: e.entity, reason, records: n })));
      if (reasons.length) process.stdout.write(`\nPending, by reason:\n${table(reasons)}`);
    }));
}
