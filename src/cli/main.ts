// The storepulse command: a thin front door over the same functions the API uses.
import { Command } from 'commander';
import { registerContracts } from './commands/contracts.js';
import { registerGenerate } from './commands/generate.js';
import { registerIngest } from './commands/ingest.js';
import { registerKpis } from './commands/kpis.js';
import { registerRejects } from './commands/rejects.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerStatus } from './commands/status.js';
import { registerQuality } from './commands/quality.js';
import { registerTest } from './commands/test.js';
import { registerAlerts } from './commands/alerts.js';
import { registerDemo } from './commands/demo.js';
import { registerServe } from './commands/serve.js';
import { registerMapping } from './commands/mapping.js';
import { registerExportLake } from './commands/export-lake.js';
import { registerToken } from './commands/token.js';
import { registerErase } from './commands/erase.js';

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

registerContracts(program);
registerGenerate(program);
registerIngest(program);
registerRun(program);
registerRuns(program);
registerKpis(program);
registerRejects(program);
registerStatus(program);
registerQuality(program);
registerTest(program);
registerAlerts(program);
registerServe(program);
registerDemo(program);
registerMapping(program);
registerExportLake(program);
registerToken(program);
registerErase(program);

await program.parseAsync(process.argv);
