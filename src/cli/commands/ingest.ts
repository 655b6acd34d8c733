import type { Command } from 'commander';
import { discoverFiles } from '../../ingest/discover.js';
import { ingestFile, type FileOutcome } from '../../ingest/ingest-file.js';
import { applyMapping } from '../../ingest/mapping/apply-mapping.js';
import { loadMapping } from '../../ingest/mapping/load-mapping.js';
import { resolveMappingFile } from '../../ingest/mapping/shipped-mappings.js';
import { action, settingsOf, withWarehouse } from '../context.js';

export function registerIngest(program: Command): void {
  program.command('ingest')
    .description('Land files in bronze, raw and immutable, with provenance. Files or folders; the entity comes from the file or folder name.')
    .argument('<paths...>', 'files (.csv, .ndjson, .jsonl, .json, .parquet) or folders to scan')
    .option('--json', 'print one JSON object with every file outcome')
    .option('--quiet', 'no progress line per file')
    .option('--mapping <file>', 'read a foreign data set through this source mapping (YAML or JSON, or a shipped one by name; see `storepulse mapping --help`)')
    .addHelpText('after', '\nRe-ingesting a file already ingested is a no-op. A file missing a required column is refused whole.\nWith --mapping, the files are a foreign data set: the mapping says which file feeds which entity and how;\nit is checked whole before anything lands. Exit code 2 when any file was refused.')
    .action(action(async (paths: string[], opts: { json?: boolean; quiet?: boolean; mapping?: string }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const outcomes: FileOutcome[] = [];
      const progress = (outcome: FileOutcome, i: number, n: number) => {
        if (!opts.json && !opts.quiet) process.stderr.write(`[${i + 1}/${n}] ${describe(outcome)}\n`);
      };
      if (opts.mapping) {
        // Read (and validated) before the warehouse opens: a broken mapping file fails fast.
        const mapping = loadMapping(resolveMappingFile(opts.mapping));
        await withWarehouse(settings, (wh) => wh.landing('ingest', settings.waitMs, async (w) => {
          outcomes.push(...(await applyMapping(w, mapping, paths, progress, (plan) => {
            if (opts.json || opts.quiet) return;
            for (const i of plan.idle) process.stderr.write(`${i.entity}: nothing to load, ${i.reason}\n`);
            if (plan.unmatched.length) process.stderr.write(`not read (no source of ${mapping.name} names them): ${plan.unmatched.join(', ')}\n`);
          })).outcomes);
        }));
      } else {
        const files = discoverFiles(paths);
        await withWarehouse(settings, (wh) => wh.landing('ingest', settings.waitMs, async (w) => {
          for (const [i, file] of files.entries()) {
            const outcome = await ingestFile(w, file);
            outcomes.push(outcome);
            progress(outcome, i, files.length);
          }
        }));
      }
      const loaded = outcomes.filter((o) => o.status === 'loaded');
      const records = loaded.reduce((n, o) => n + (o.status === 'loaded' ? o.records : 0), 0);
      const refused = outcomes.filter((o) => o.status === 'refused').length;
      const skipped = outcomes.filter((o) => o.status === 'skipped').length;
      if (opts.json) process.stdout.write(JSON.stringify({ files: outcomes, loaded: loaded.length, skipped, refused, records }) + '\n');
      else process.stdout.write(`${loaded.length} ${opts.mapping ? 'batch(es)' : 'file(s)'} loaded (${records.toLocaleString('en-US')} records), ${skipped} already ingested, ${refused} refused. Next: storepulse run\n`);
      if (refused > 0) process.exitCode = 2;
    }));
}

function describe(o: FileOutcome): string {
  switch (o.status) {
    case 'loaded': return `${o.path} → ${o.entity}: ${o.records.toLocaleString('en-US')} records (batch ${o.batchId})${o.extras.length ? `; extra columns kept in bronze: ${o.extras.join(', ')}` : ''}`;
    case 'skipped': return `${o.path} → ${o.entity}: ${o.reason}`;
    case 'refused': return `${o.path}: refused (${o.code}) ${o.reason}`;
  }
}
