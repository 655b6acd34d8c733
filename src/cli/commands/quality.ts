import type { Command } from 'commander';
import { DIMENSIONS, qualityScorecard, type Dimension, type Scorecard } from '../../quality/scorecard.js';
import { table } from '../format.js';
import { action, settingsOf, withWarehouse } from '../context.js';

const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? null : `${(rate * 100).toFixed(2)} %`);

/** One row per entity (and one for all of them): the pass rate of each dimension over the period. */
function passRateTable(card: Scorecard): string {
  const byEntity = new Map<string, Partial<Record<Dimension, string | null>>>();
  for (const s of card.entities) {
    const row = byEntity.get(s.entity) ?? {};
    row[s.dimension] = percent(s.pass_rate);
    byEntity.set(s.entity, row);
  }
  const rows: Record<string, unknown>[] = [...byEntity].map(([entity, rates]) => ({ entity, ...rates }));
  if (!card.entity) rows.push({ entity: 'all entities', ...Object.fromEntries(card.dimensions.map((d) => [d.dimension, percent(d.pass_rate)])) });
  return table(rows, ['entity', ...DIMENSIONS]);
}

export function registerQuality(program: Command): void {
  program.command('quality')
    .description('Data-quality scorecard: pass rates per entity and dimension (completeness, validity, uniqueness, referential integrity) by ingestion day.')
    .option('--json', 'print the whole scorecard as JSON (per day, entity and dimension; per entity; per dimension; failures per rule)')
    .option('--from <date>', 'first ingestion day (inclusive, YYYY-MM-DD); default: the first day with a processed batch')
    .option('--to <date>', 'last ingestion day (exclusive); default: the day after the last')
    .option('--entity <name>', 'only this entity')
    .addHelpText('after', `
Pass rate = passed ÷ checked records, counted on the day each record's batch was ingested:
  completeness           every record; fails when a required value is missing (reject rule required:*)
  validity               every record; fails on a bad type, format, range, allowed value or record rule
                         (type:*, format:*, range:*, enum:*, rule:*). A reject fails one dimension: its first failing check.
  uniqueness             records that passed the contract; fails when one repeats the key and version
                         (updated_at, else ingestion time) of an earlier record. A newer version is no duplicate.
  referential integrity  records that passed the contract, of entities that wait (lines, shipments and returns
                         for their order, orders for an exchange rate); fails while the record is still pending.

Examples:
  storepulse quality
  storepulse quality --from 2026-03-01 --to 2026-03-08 --entity orders
  storepulse quality --json`)
    .action(action(async (opts: { json?: boolean; from?: string; to?: string; entity?: string }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const card = await withWarehouse(settings, (wh) => qualityScorecard(wh, { from: opts.from, to: opts.to, entity: opts.entity }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(card) + '\n');
        return;
      }
      if (!card.from || !card.to || card.entities.length === 0) {
        process.stdout.write(`No processed records${card.from && card.to ? ` ingested in [${card.from}, ${card.to})` : ''}. Ingest files (storepulse ingest PATH) and run the pipeline (storepulse run) first.\n`);
        return;
      }
      process.stdout.write(`Pass rates, records ingested in [${card.from}, ${card.to})${card.entity ? `, ${card.entity}` : ''} (— = not checked):\n\n`);
      process.stdout.write(passRateTable(card));
      const days = [...new Set(card.daily.map((d) => d.day))];
      if (days.length > 1) {
        process.stdout.write('\nBy ingestion day (all entities):\n');
        const rows = days.map((day) => ({
          day, ...Object.fromEntries(card.daily.filter((d) => d.day === day).map((d) => [d.dimension, percent(d.pass_rate)])),
        }));
        process.stdout.write(table(rows, ['day', ...DIMENSIONS]));
      }
      if (card.rules.length) {
        process.stdout.write('\nFailed records by rule:\n');
        process.stdout.write(table(card.rules as unknown as Record<string, unknown>[], ['entity', 'dimension', 'rule', 'failed']));
      }
    }));
}
