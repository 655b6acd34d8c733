import type { Command } from 'commander';
import { BREAKDOWNS, KPI_KEYS, type Breakdown } from '../../kpi/kpi-keys.js';
import { queryKpis, type KpiBreakdown, type KpiTotal } from '../../kpi/kpi-service.js';
import { table } from '../format.js';
import { action, settingsOf, withWarehouse } from '../context.js';

interface KpiOptions { from?: string; to?: string; channel?: string; country?: string; category?: string; by?: Breakdown; json?: boolean }

export function registerKpis(program: Command): void {
  program.command('kpis')
    .description('Print the KPIs of kpis.md over a half-open window [from, to), optionally filtered or broken down.')
    .option('--from <date>', 'first day, YYYY-MM-DD (default: first day with data)')
    .option('--to <date>', 'day after the last, YYYY-MM-DD (default: day after the last day with data)')
    .option('--channel <channel>', 'only this sales channel (web, mobile, store, marketplace, partner)')
    .option('--country <code>', 'only this country (ISO 3166-1 alpha-2)')
    .option('--category <category>', 'only this product category')
    .option('--by <dimension>', `one row per ${BREAKDOWNS.join(' | ')}`)
    .option('--lineage', 'with --json: add the gold tables and the source batches (per entity) the answer read')
    .option('--json', 'print JSON: {"from","to","filters","kpis"} or, with --by, {"from","to","by","rows"}')
    .action(action(async (opts: KpiOptions, cmd: Command) => {
      const settings = settingsOf(cmd);
      const result = await withWarehouse(settings, (wh) => queryKpis(wh, opts));
      if (opts.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
        return;
      }
      const head = `KPIs from ${result.from} to ${result.to} (exclusive), money in ${settings.baseCurrency}`;
      if ('kpis' in result) {
        const t = result as KpiTotal;
        process.stdout.write(`${head}\n\n${table(KPI_KEYS.map((k) => ({ kpi: k, value: t.kpis[k] })))}`);
      } else {
        const b = result as KpiBreakdown;
        process.stdout.write(`${head}, by ${b.by}\n\n${table(b.rows as unknown as Record<string, unknown>[], [b.by, ...KPI_KEYS])}`);
      }
    }));
}
