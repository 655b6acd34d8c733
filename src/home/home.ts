// Where all state lives (--home / STOREPULSE_HOME) and the settings read from the environment.
import { resolve } from 'node:path';
import { Errors } from '../errors/catalogue.js';

export interface GlobalOptions {
  home?: string;
  warehouse?: string;
  baseCurrency?: string;
  wait?: string;
  lineageUrl?: string;
}

export interface Settings {
  home: string;
  warehouse?: string;
  baseCurrency: string;
  waitMs: number;
  /** Where OpenLineage events go: an HTTP endpoint, 'off', or (undefined) <home>/lineage/events.jsonl. */
  lineageUrl?: string;
}

export function resolveSettings(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Settings {
  const baseCurrency = (options.baseCurrency ?? env.STOREPULSE_BASE_CURRENCY ?? 'EUR').toUpperCase();
  if (!/^[A-Z]{3}$/.test(baseCurrency)) throw Errors.badOption('--base-currency', baseCurrency, 'an ISO 4217 code such as EUR');
  const wait = options.wait ?? '0';
  const seconds = Number(wait);
  if (!Number.isFinite(seconds) || seconds < 0) throw Errors.badOption('--wait', wait, 'a number of seconds ≥ 0');
  return {
    home: resolve(options.home ?? env.STOREPULSE_HOME ?? 'storepulse-data'),
    warehouse: options.warehouse ?? env.STOREPULSE_WAREHOUSE ?? undefined,
    baseCurrency,
    waitMs: seconds * 1000,
    lineageUrl: options.lineageUrl ?? env.STOREPULSE_LINEAGE_URL ?? undefined,
  };
}
