// What every command shares: settings, an open and bootstrapped warehouse, and clean error exits.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { isStorePulseError } from '../errors/catalogue.js';
import { resolveSettings, type GlobalOptions, type Settings } from '../home/home.js';
import { bootstrap } from '../pipeline/bootstrap.js';
import type { Warehouse } from '../warehouse/engine.js';
import { openWarehouse } from '../warehouse/open.js';

export function settingsOf(cmd: Command): Settings {
  return resolveSettings(cmd.optsWithGlobals() as GlobalOptions);
}

export async function withWarehouse<T>(settings: Settings, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await openWarehouse({ home: settings.home, warehouse: settings.warehouse, waitMs: settings.waitMs });
  try {
    await bootstrap(wh, settings.baseCurrency);
    return await fn(wh);
  } finally {
    await wh.close();
  }
}

/** Prints a coded error (never a bare stack trace unless STOREPULSE_DEBUG is set) and sets a failing exit code. */
export function reportError(e: unknown, json: boolean): void {
  const code = isStorePulseError(e) ? e.code : 'SP_ERR_INTERNAL';
  const message = isStorePulseError(e) ? e.message
    : `Unexpected failure: ${(e as Error)?.message ?? String(e)}. Run again with STOREPULSE_DEBUG=1 for details and report it.`;
  if (json) process.stdout.write(JSON.stringify({ error: { code, message } }) + '\n');
  process.stderr.write(`error ${code}: ${message}\n`);
  if (process.env.STOREPULSE_DEBUG && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  process.exitCode = isStorePulseError(e) && e.httpStatus < 500 ? 2 : 1;
}

/** Wraps a command action so errors end as a coded message and a non-zero exit. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    try {
      await fn(...args);
    } catch (e) {
      reportError(e, Boolean(cmd.optsWithGlobals().json));
    }
  };
}

export function progressLine(quiet: boolean): (message: string) => void {
  return quiet ? () => undefined : (message) => process.stderr.write(`  ${message}\n`);
}

/** Who is at the keyboard, for tokens and audit records (a container may have no user entry). */
export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'operator';
  }
}
