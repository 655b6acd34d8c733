// Keys the service signs tokens and tokenises personal data with. They come from the environment or from a key
// file in the home, created (random, readable by the owner only) the first time a command needs it; never from
// the code. Every process that shares a warehouse must use the same keys: set the variables there.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Errors } from '../errors/catalogue.js';

export interface SecretSpec {
  /** File name under <home>/secrets/. */
  file: string;
  env: string;
  what: string;
}

export const JWT_SECRET: SecretSpec = { file: 'jwt.key', env: 'STOREPULSE_JWT_SECRET', what: 'token signing key' };
export const PII_SECRET: SecretSpec = { file: 'pii.key', env: 'STOREPULSE_PII_SECRET', what: 'privacy (tokenisation) key' };

const MIN_LENGTH = 32;

/** The secret from its variable; else from <home>/secrets/<file> (created on first use when home is given). */
export function resolveSecret(spec: SecretSpec, home: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[spec.env];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < MIN_LENGTH) throw Errors.weakSecret(spec.env);
    return fromEnv;
  }
  if (!home) throw Errors.secretMissing(spec.what, spec.env);
  const dir = join(home, 'secrets');
  const path = join(dir, spec.file);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // 'wx': two processes starting at once must not each write a different key; the loser reads the winner's.
    try {
      writeFileSync(path, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    chmodSync(path, 0o600);
  }
  const key = readFileSync(path, 'utf8').trim();
  if (key.length < MIN_LENGTH) throw Errors.weakSecret(path);
  return key;
}

/** The privacy key from the environment only (library callers that know no home). */
export function piiSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return resolveSecret(PII_SECRET, undefined, env);
}
