import type { Command } from 'commander';
import { Errors } from '../../errors/catalogue.js';
import { generate } from '../../generate/index.js';
import { action, progressLine } from '../context.js';

interface GenerateCli { out: string; seed?: string; days?: string; start?: string; orders?: string; faults?: boolean; format?: string; byDay?: boolean; force?: boolean; json?: boolean; quiet?: boolean }

function positiveInt(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw Errors.badOption(option, value, 'a whole number ≥ 0');
  return n;
}

export function registerGenerate(program: Command): void {
  program.command('generate')
    .description('Write a realistic, deterministic ecommerce data set (all ten entities) in the canonical shape.')
    .requiredOption('--out <dir>', 'folder to write into')
    .option('--seed <n>', 'random seed; the same seed gives the same files', '1')
    .option('--days <d>', 'days of history', '90')
    .option('--start <date>', 'first day, YYYY-MM-DD', '2026-01-01')
    .option('--orders <n>', 'orders over the whole history (about 2.5 lines each)')
    .option('--faults', 'add what real feeds contain: duplicates, later versions, out-of-order arrival, malformed rows, extra columns')
    .option('--format <format>', 'csv | ndjson | parquet', 'csv')
    .option('--by-day', 'one file per entity per day (<out>/<entity>/<date>.<ext>) instead of one per entity')
    .option('--force', 'replace the entity files already in --out')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress lines')
    .action(action(async (opts: GenerateCli) => {
      const format = opts.format ?? 'csv';
      if (!['csv', 'ndjson', 'parquet'].includes(format)) throw Errors.badOption('--format', format, 'csv, ndjson or parquet');
      if (opts.start && !/^\d{4}-\d{2}-\d{2}$/.test(opts.start)) throw Errors.badOption('--start', opts.start, 'a date YYYY-MM-DD');
      const summary = await generate({
        out: opts.out,
        seed: positiveInt('--seed', opts.seed),
        days: positiveInt('--days', opts.days),
        start: opts.start,
        orders: positiveInt('--orders', opts.orders),
        faults: Boolean(opts.faults),
        format: format as 'csv' | 'ndjson' | 'parquet',
        byDay: Boolean(opts.byDay),
        force: Boolean(opts.force),
        onProgress: progressLine(Boolean(opts.quiet || opts.json)),
      });
      if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else {
        const total = Object.values(summary.records).reduce((a, b) => a + b, 0);
        process.stdout.write(`Wrote ${total.toLocaleString('en-US')} records (${summary.orderLines.toLocaleString('en-US')} order lines) in ${summary.files.length} files to ${summary.out} in ${summary.ms} ms.\nNext: storepulse ingest ${summary.out}\n`);
      }
    }));
}
