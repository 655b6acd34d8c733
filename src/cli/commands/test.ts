import type { Command } from 'commander';
import { loadModels } from '../../models/model-file.js';
import { testWarehouse } from '../../quality/test-warehouse.js';
import { table } from '../format.js';
import { action, settingsOf, withWarehouse } from '../context.js';

export function registerTest(program: Command): void {
  program.command('test')
    .description('Run every model\'s data tests (unique, not_null, relationships, accepted_values, expression) over the whole of gold, and reconcile counts and money across layers. Exits 1 when a test fails.')
    .option('--model <name>', 'only this model\'s tests (e.g. gold.fact_order or fact_order)')
    .option('--json', 'print every outcome as JSON')
    .addHelpText('after', '\nTests are declared in each model\'s header (src/models/gold/*.sql); runs use the same tests as a gate before publishing.')
    .action(action(async (opts: { model?: string; json?: boolean }, cmd: Command) => {
      const outcomes = await withWarehouse(settingsOf(cmd), (wh) => testWarehouse(wh, loadModels(), opts.model));
      const failed = outcomes.filter((o) => o.status === 'error').length;
      const warned = outcomes.filter((o) => o.status === 'warn').length;
      if (opts.json) {
        process.stdout.write(JSON.stringify({ passed: outcomes.length - failed - warned, warned, failed, outcomes }) + '\n');
      } else {
        process.stdout.write(table(outcomes.map((o) => ({
          model: o.model, test: o.test, status: o.status, failures: o.failures, rows: o.rows, sample: o.sample.join(', '),
        }))));
        process.stdout.write(`\n${outcomes.length - failed - warned} passed, ${warned} warned, ${failed} failed.\n`);
        for (const o of outcomes) if (o.status !== 'pass' && o.message) process.stdout.write(`${o.status}: ${o.message}\n`);
      }
      if (failed > 0) process.exitCode = 1;
    }));
}
