import type { Command } from 'commander';
import { listRejects } from '../../quality/rejects.js';
import { table } from '../format.js';
import { action, settingsOf, withWarehouse } from '../context.js';

export function registerRejects(program: Command): void {
  program.command('rejects')
    .description('List records that broke their contract: entity, key, rule, source file, line and the raw record as it arrived.')
    .option('--json', 'print a JSON array of rejects')
    .option('--entity <name>', 'only this entity')
    .option('--rule <rule>', 'only this rule (e.g. enum:channel)')
    .option('--limit <n>', 'at most this many (default: all with --json, 50 otherwise)')
    .action(action(async (opts: { json?: boolean; entity?: string; rule?: string; limit?: string }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const limit = opts.limit !== undefined ? Number(opts.limit) : opts.json ? undefined : 50;
      const rejects = await withWarehouse(settings, (wh) => listRejects(wh, { entity: opts.entity, rule: opts.rule, limit }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(rejects) + '\n');
        return;
      }
      process.stdout.write(table(rejects.map((r) => ({ entity: r.entity, key: r.key, rule: r.rule, source: r.source, line: r.line, reason: r.reason })) as Record<string, unknown>[]));
    }));
}
