import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { exportLake, type ExportResult } from '../../lake/export-lake.js';
import { table } from '../format.js';
import { action, progressLine, settingsOf, withWarehouse } from '../context.js';

/** `--export-lake [DIR]` of run and serve: the folder, <home>/lake when none is named. */
export function lakeDir(home: string, option: string | boolean | undefined): string | undefined {
  if (option === undefined || option === false) return undefined;
  return option === true ? join(home, 'lake') : resolve(option);
}

export function registerExportLake(program: Command): void {
  program.command('export-lake')
    .description('Write silver and gold as Hive-partitioned Parquet (by day where a table has one) with a manifest, for Spark, Trino, Athena or DuckDB elsewhere.')
    .option('--to <dir>', 'the lake folder (default <home>/lake)')
    .option('--json', 'print the outcome as JSON')
    .option('--quiet', 'no progress lines')
    .addHelpText('after', `
Every table is rewritten from one snapshot of committed data and swapped into place when all are written.
To keep the lake current: storepulse run --export-lake [DIR], or storepulse serve --export-lake [DIR].
Read it from DuckDB: SELECT * FROM read_parquet('lake/gold/fact_order/**/*.parquet', hive_partitioning = true)`)
    .action(action(async (opts: { to?: string; json?: boolean; quiet?: boolean }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const dir = opts.to ? resolve(opts.to) : join(settings.home, 'lake');
      const result = await withWarehouse(settings, (wh) => exportLake(wh, {
        dir, baseCurrency: settings.baseCurrency, onProgress: progressLine(Boolean(opts.quiet || opts.json)),
      }));
      process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : describeExport(result));
    }));
}

export function describeExport(r: ExportResult): string {
  return `Lake at ${r.dir} (run ${r.run_id ?? '—'}): ${r.exported.length} table(s) written in ${r.ms} ms, ${r.kept.length} unchanged.\n\n` +
    table(r.exported as unknown as Record<string, unknown>[], ['name', 'rows', 'files']);
}
