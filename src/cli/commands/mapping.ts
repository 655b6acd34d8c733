import type { Command } from 'commander';
import { checkMapping, type MappingCheck } from '../../ingest/mapping/check-mapping.js';
import { loadMapping } from '../../ingest/mapping/load-mapping.js';
import { mappingJsonSchema } from '../../ingest/mapping/mapping-schema.js';
import { resolveMappingFile, shippedMappings } from '../../ingest/mapping/shipped-mappings.js';
import { action, progressLine, settingsOf, withWarehouse } from '../context.js';

export function registerMapping(program: Command): void {
  const mapping = program.command('mapping')
    .description('Source mappings: turn a foreign data set (a shop platform export, a marketplace\'s tables) into the canonical entities.')
    .addHelpText('after', `\nLoad with: storepulse ingest --mapping FILE PATH…\nShipped mappings (use the name as FILE): ${shippedMappings().join(', ') || '(none)'}`);

  mapping.command('check')
    .description('Before loading: which required canonical columns are unmapped, which expressions fail, and which records would be rejected (with examples).')
    .argument('<file>', 'the mapping (YAML or JSON), or the name of a shipped one')
    .argument('<paths...>', 'the foreign files, or folders holding them')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit code 2 when the mapping cannot be loaded as it is, 1 when it can but some records would be rejected, 0 otherwise.')
    .action(action(async (file: string, paths: string[], opts: { json?: boolean }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const m = loadMapping(resolveMappingFile(file));
      const report = await withWarehouse(settings, (wh) => checkMapping(wh, m, paths, settings.baseCurrency, progressLine(Boolean(opts.json))));
      process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : render(report));
      process.exitCode = !report.ok ? 2 : report.rejected > 0 ? 1 : 0;
    }));

  mapping.command('schema')
    .description('Print the JSON Schema of mapping files, for editors (e.g. "# yaml-language-server: $schema=mapping.schema.json").')
    .action(action(async () => {
      process.stdout.write(JSON.stringify(mappingJsonSchema(), null, 2) + '\n');
    }));
}

function render(r: MappingCheck): string {
  const out: string[] = [`Mapping ${r.mapping} (${r.file})`];
  for (const e of r.entities) {
    const what = e.checked ? `${e.records.toLocaleString('en-US')} record(s) from ${e.files.join(', ')}` : `from ${e.files.join(', ')} (not counted until its SQL works)`;
    out.push('', `${e.entity} ← ${e.from}: ${e.idle ?? what}`);
    for (const p of e.problems) out.push(`  ✗ ${p.where}: ${p.message}`);
    for (const f of e.fanOut) out.push(`  ✗ line ${f.line} of ${f.file} became ${f.records} records: a join matched several rows (aggregate the joined table in a view)`);
    for (const x of e.rejects) {
      const examples = x.examples.map((s) => `${s.file}:${s.line}${s.key ? ` (${s.key})` : ''}${'value' in s ? ` = ${JSON.stringify(s.value)}` : ''}`).join(', ');
      out.push(`  ! ${x.records} record(s) would be rejected by ${x.rule} (${x.reason}); e.g. ${examples}`);
    }
    if (!e.idle && e.problems.length === 0 && e.fanOut.length === 0 && e.rejects.length === 0) out.push('  ✓ every record passes its contract');
  }
  if (r.unmatched.length) out.push('', `Not read (no source names them): ${r.unmatched.join(', ')}`);
  out.push('', r.ok
    ? `OK: ${r.records.toLocaleString('en-US')} record(s), ${r.rejected.toLocaleString('en-US')} would be rejected. Load with: storepulse ingest --mapping ${r.file} PATH…`
    : 'The mapping cannot be loaded as it is: fix the lines marked ✗.');
  return out.join('\n') + '\n';
}
