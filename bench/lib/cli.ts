// The storepulse command as the benchmarks run it: the built CLI in a child process, like a user.
import { fileURLToPath } from 'node:url';
import { measure, type Measured } from './measure.js';

export const BIN = fileURLToPath(new URL('../../bin/storepulse.js', import.meta.url));

export function storepulse(args: readonly string[], home: string, warehouse?: string, timeoutMs?: number): Promise<Measured> {
  const extra = warehouse ? ['--warehouse', warehouse] : [];
  return measure(process.execPath, [BIN, ...args, '--home', home, ...extra], { STOREPULSE_LOG_LEVEL: 'warn' }, timeoutMs);
}
