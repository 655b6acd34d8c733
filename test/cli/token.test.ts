// `storepulse token`: prints a JWT the API accepts, signed with STOREPULSE_JWT_SECRET or with a key file it creates
// in the home on first use (readable by the owner only), and refuses what it cannot issue.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../src/auth/tokens.js';
import { storepulse, storepulseJson, tempDir } from '../helpers/cli.js';

describe('storepulse token', () => {
  const home = tempDir('sp-token');
  afterAll(() => home.cleanup());

  it('creates the key file on first use and signs with it; the same key signs the next token', async () => {
    const issued = await storepulseJson<{ token: string; role: string; sub: string; customer_id: string | null; expires_at: string }>(
      ['token', '--role', 'analyst', '--subject', 'maria', '--expires', '30m', '--json'], { home: home.path });
    expect(issued).toMatchObject({ role: 'analyst', sub: 'maria', customer_id: null });
    expect(Date.parse(issued.expires_at) - Date.now()).toBeGreaterThan(29 * 60_000);
    const keyFile = join(home.path, 'secrets', 'jwt.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const tokens = new TokenService(readFileSync(keyFile, 'utf8').trim());
    expect(await tokens.verify(issued.token)).toEqual({ sub: 'maria', role: 'analyst' });
    const plain = await storepulse(['token', '--role', 'customer', '--customer', 'C7'], { home: home.path });
    expect(plain.code).toBe(0);
    expect(await tokens.verify(plain.stdout.trim())).toEqual({ sub: 'C7', role: 'customer', customer_id: 'C7' });
  });

  it('signs with STOREPULSE_JWT_SECRET when it is set, and refuses a short one', async () => {
    const secret = 'an environment secret of more than 32 characters';
    const r = await storepulse(['token', '--role', 'admin'], { home: home.path, env: { STOREPULSE_JWT_SECRET: secret } });
    expect(await new TokenService(secret).verify(r.stdout.trim())).toMatchObject({ role: 'admin' });
    const short = await storepulse(['token', '--role', 'admin'], { home: home.path, env: { STOREPULSE_JWT_SECRET: 'short' } });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/SP_ERR_WEAK_SECRET: STOREPULSE_JWT_SECRET is shorter than 32 characters/);
  });

  it('refuses roles it does not know and customer ids where they do not belong', async () => {
    const cases: [string[], RegExp][] = [
      [['--role', 'wizard'], /--role: expected one of admin, editor, analyst, support, customer/],
      [['--role', 'customer'], /--customer: expected the customer_id a customer token is for/],
      [['--role', 'support', '--customer', 'C1'], /only role customer tokens carry a customer_id/],
      [['--role', 'admin', '--expires', 'forever'], /--expires: expected a duration such as 30m, 8h or 7d/],
    ];
    for (const [args, message] of cases) {
      const r = await storepulse(['token', ...args], { home: home.path });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const help = await storepulse(['token', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/STOREPULSE_JWT_SECRET/);
  });
});
