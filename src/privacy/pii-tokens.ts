// Personal data (emails and names) reaches gold only as tokens: HMAC-SHA256 of the value under the privacy key,
// computed by the engine while gold is built. A token is stable (the same email gives the same token, so analysts
// can still count, join and deduplicate) but cannot be turned back into the value without the key, which stays
// outside the warehouse. Support and admin see the clear value through a role check (see admin/grids.ts).
import { createHash, createHmac } from 'node:crypto';
import { Errors } from '../errors/catalogue.js';
import type { Dialect } from '../warehouse/dialect.js';
import type { Warehouse } from '../warehouse/engine.js';

const BLOCK = 64;
const INNER = 'pii_ipad';
const OUTER = 'pii_opad';
/** How many hex digits of the HMAC a token keeps: 128 bits, no collisions in any realistic customer base. */
const TOKEN_HEX = 32;
export const TOKEN_PREFIX = 'tk_';
const KEY_CHECK = 'pii_key_check';

/** RFC 2104: the key padded to the block, XOR 0x36 and XOR 0x5c; the engine hashes with these. */
export function hmacPads(secret: string): { inner: string; outer: string } {
  let key = Buffer.from(secret, 'utf8');
  if (key.length > BLOCK) key = createHash('sha256').update(key).digest();
  const block = Buffer.alloc(BLOCK);
  key.copy(block);
  return { inner: Buffer.from(block.map((b) => b ^ 0x36)).toString('hex'), outer: Buffer.from(block.map((b) => b ^ 0x5c)).toString('hex') };
}

/** The token of a value, as the engine computes it (for tests and for looking a value up). */
export function piiToken(secret: string, value: string): string {
  return TOKEN_PREFIX + createHmac('sha256', secret).update(value, 'utf8').digest('hex').slice(0, TOKEN_HEX);
}

/** SQL for the token of a text expression (NULL stays NULL); the pads come from the session (preparePiiTokens). */
export function piiTokenSql(d: Dialect, value: string): string {
  const hmac = d.hmacSha256Hex(value, d.sessionValue(INNER), d.sessionValue(OUTER));
  return `CASE WHEN ${value} IS NULL THEN NULL ELSE '${TOKEN_PREFIX}' || substr(${hmac}, 1, ${TOKEN_HEX}) END`;
}

/**
 * Inside a run's transaction: hands the key's pads to the session (as bound values, never in the SQL text) and
 * makes sure the key is the one the warehouse's tokens were made with. A new key is taken only by a full refresh,
 * which rebuilds every token. `record: false` (before the transaction, for what a run builds apart) checks the key
 * and records nothing: the run's transaction records a new key, with the tokens it made.
 */
export async function preparePiiTokens(wh: Warehouse, secret: string, fullRefresh: boolean, record = true): Promise<void> {
  const { inner, outer } = hmacPads(secret);
  await wh.run(wh.dialect.setSessionValue(INNER), [inner]);
  await wh.run(wh.dialect.setSessionValue(OUTER), [outer]);
  const check = createHmac('sha256', secret).update('storepulse:pii-key-check').digest('hex');
  const [row] = await wh.all<{ value: string }>('SELECT value FROM meta.settings WHERE key = $1', [KEY_CHECK]);
  if (row?.value === check) return;
  if (row && !fullRefresh) throw Errors.piiKeyChanged();
  if (!record) return;
  await wh.run('DELETE FROM meta.settings WHERE key = $1', [KEY_CHECK]);
  await wh.run('INSERT INTO meta.settings (key, value) VALUES ($1, $2)', [KEY_CHECK, check]);
}
