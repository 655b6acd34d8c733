// Creates the warehouse's schemas and tables on first use (idempotent), and pins the base currency.
import { ENTITIES } from '../contracts/index.js';
import { StorePulseError } from '../errors/catalogue.js';
import { bronzeDdl, bronzeTable } from '../ingest/bronze-schema.js';
import { dropKeyColumns, silverDdl, silverSharedDdl } from '../models/silver/silver-schema.js';
import type { Warehouse } from '../warehouse/engine.js';
import { META_DDL } from './meta-schema.js';
import { SERVICE_DDL } from './service-schema.js';

export async function bootstrap(wh: Warehouse, baseCurrency: string): Promise<void> {
  const statements = [
    ...META_DDL,
    ...wh.dialect.functions,
    ...ENTITIES.flatMap((e) => [bronzeDdl(e), ...wh.dialect.bronzeIndexes(bronzeTable(e), `bronze_${e.name}`)]),
    ...ENTITIES.flatMap((e) => silverDdl(e, wh.dialect)),
    ...silverSharedDdl(wh.dialect),
    ...SERVICE_DDL,
  ];
  await wh.transaction(async () => {
    if (wh.dialect.bootstrapLock) await wh.run(wh.dialect.bootstrapLock);
    for (const s of statements) await wh.run(s);
    await dropKeyColumns(wh);
  });
  const rows = await wh.all<{ value: string }>("SELECT value FROM meta.settings WHERE key = 'base_currency'");
  if (rows.length === 0) {
    await wh.run("INSERT INTO meta.settings (key, value) VALUES ('base_currency', $1)", [baseCurrency]);
  } else if (rows[0].value !== baseCurrency) {
    throw new StorePulseError('SP_ERR_BASE_CURRENCY_CHANGED',
      `This warehouse converts money to ${rows[0].value}, not ${baseCurrency}. Use --base-currency ${rows[0].value} ` +
      `(or STOREPULSE_BASE_CURRENCY), or start a new home for another base currency.`, 400);
  }
}
