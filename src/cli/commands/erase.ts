import type { Command } from 'commander';
import { eraseCustomer, listErasures } from '../../privacy/erase-customer.js';
import { Errors } from '../../errors/catalogue.js';
import { table } from '../format.js';
import { action, operatorName, settingsOf, withWarehouse } from '../context.js';

interface EraseCli { customer?: string; reason?: string; requestedBy?: string; list?: boolean; json?: boolean }

export function registerErase(program: Command): void {
  program.command('erase')
    .description('Carry out a right-to-be-forgotten request: clear the customer\'s personal data (email, names, city, region) in bronze, silver ' +
      'and gold and delete their reminder preferences, in one transaction, with an audit record. Their orders stay under the bare customer_id, ' +
      'so every KPI is unchanged. Source files that still hold the records outside the warehouse are listed for you to delete.')
    .option('--customer <id>', 'the customer_id to erase')
    .option('--reason <text>', 'why (kept in the audit record), e.g. a ticket number')
    .option('--requested-by <name>', 'who carried it out (default: your user name)')
    .option('--list', 'list the erasures carried out so far instead')
    .option('--json', 'print the audit record (or, with --list, all of them) as JSON')
    .action(action(async (opts: EraseCli, cmd: Command) => {
      const settings = settingsOf(cmd);
      if (opts.list) {
        const all = await withWarehouse(settings, (wh) => listErasures(wh));
        if (opts.json) process.stdout.write(JSON.stringify(all) + '\n');
        else process.stdout.write(table(all.map((e) => ({ erasure_id: e.erasure_id, customer_id: e.customer_id, erased_at: e.erased_at, requested_by: e.requested_by, reason: e.reason }))));
        return;
      }
      if (!opts.customer) throw Errors.badOption('--customer', '(none)', 'the customer_id to erase (or --list)');
      const customer = opts.customer;
      const erasure = await withWarehouse(settings, (wh) =>
        eraseCustomer(wh, customer, { requestedBy: opts.requestedBy ?? operatorName(), reason: opts.reason, lockWaitMs: settings.waitMs }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(erasure) + '\n');
        return;
      }
      process.stdout.write(`Erasure ${erasure.erasure_id}: personal data of customer ${erasure.customer_id} cleared at ${erasure.erased_at}.\n\n`);
      process.stdout.write(table(Object.entries(erasure.cleared).map(([t, rows]) => ({ table: t, rows }))));
      if (erasure.files_outside.length) {
        process.stdout.write(`\nThese source files still hold the customer's records outside the warehouse; delete or redact them:\n${erasure.files_outside.map((f) => `  ${f}`).join('\n')}\n`);
      }
    }));
}
