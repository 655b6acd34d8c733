// The storepulse command: a thin front door over the same functions the API uses.
import { Command } from 'commander';
import { invokedCommand } from './invoked-command.js';
import { ignoreClosedStdout } from './closed-pipe.js';

const program = new Command('storepulse')
  .description('StorePulse: ecommerce data in, trustworthy KPIs out — bronze → silver → gold on DuckDB (or PostgreSQL).')
  .option('--home <dir>', 'where all state lives (env STOREPULSE_HOME)', undefined)
  .option('--warehouse <url>', 'warehouse: a DuckDB file (default <home>/warehouse.duckdb) or postgres://user@host:5432/db (env STOREPULSE_WAREHOUSE)')
  .option('--base-currency <code>', 'currency KPIs are reported in (env STOREPULSE_BASE_CURRENCY, default EUR)')
  .option('--lineage-url <url>', 'send OpenLineage events to this HTTP endpoint (e.g. Marquez: http://host:5000/api/v1/lineage), or "off"; default: <home>/lineage/events.jsonl (env STOREPULSE_LINEAGE_URL)')
  .option('--wait <seconds>', 'wait this long for another process holding the warehouse, instead of failing at once', '0')
  .showHelpAfterError('(add --help for usage)')
  .addHelpText('after', `
Quick start:
  storepulse generate --out ./sample --orders 20000
  storepulse ingest ./sample
  storepulse run
  storepulse kpis --by channel`);

// Each command's module is loaded only when that command runs: together they pull in the HTTP server, the
// spreadsheet writer and both engines' drivers, which took longer to load (0.4-0.9 s) than a small command takes
// to do its work. `--help` and a mistyped command load them all, for the full list.
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  contracts: async () => (await import('./commands/contracts.js')).registerContracts,
  generate: async () => (await import('./commands/generate.js')).registerGenerate,
  ingest: async () => (await import('./commands/ingest.js')).registerIngest,
  run: async () => (await import('./commands/run.js')).registerRun,
  runs: async () => (await import('./commands/runs.js')).registerRuns,
  kpis: async () => (await import('./commands/kpis.js')).registerKpis,
  rejects: async () => (await import('./commands/rejects.js')).registerRejects,
  status: async () => (await import('./commands/status.js')).registerStatus,
  quality: async () => (await import('./commands/quality.js')).registerQuality,
  test: async () => (await import('./commands/test.js')).registerTest,
  alerts: async () => (await import('./commands/alerts.js')).registerAlerts,
  serve: async () => (await import('./commands/serve.js')).registerServe,
  demo: async () => (await import('./commands/demo.js')).registerDemo,
  mapping: async () => (await import('./commands/mapping.js')).registerMapping,
  'export-lake': async () => (await import('./commands/export-lake.js')).registerExportLake,
  token: async () => (await import('./commands/token.js')).registerToken,
  erase: async () => (await import('./commands/erase.js')).registerErase,
};

ignoreClosedStdout();

const args = process.argv.slice(2);
const invoked = invokedCommand(program, args, Object.keys(COMMANDS));
for (const name of invoked ? [invoked] : Object.keys(COMMANDS)) (await COMMANDS[name]())(program);

await program.parseAsync(process.argv);
