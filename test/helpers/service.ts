// The API service in this process (the same startService that `serve` runs) on a given engine, with a known token
// signing key, so a test can mint tokens of any role and also look at the warehouse directly.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { startService, type RunningService } from '../../src/api/live-service.js';
import type { Role } from '../../src/auth/roles.js';
import { TokenService } from '../../src/auth/tokens.js';
import type { Warehouse } from '../../src/warehouse/engine.js';
import type { EngineUnderTest } from './engines.js';
import { openTestHome, type TestHome } from './fixtures.js';
import { loadShop } from './shop.js';

export interface TestService {
  url: string;
  service: RunningService;
  /** The key the service checks tokens with (to sign unusual tokens by hand). */
  jwtSecret: string;
  token(role: Role, customerId?: string): Promise<string>;
  /** fetch with the token of a role (none: no Authorization header). */
  call(path: string, init?: RequestInit & { role?: Role; customer?: string; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startTestService(wh: Warehouse, home: string): Promise<TestService> {
  const jwtSecret = randomBytes(32).toString('hex');
  const tokens = new TokenService(jwtSecret);
  const service = await startService({
    wh, home, baseCurrency: 'EUR', host: '127.0.0.1', port: 0, minIntervalMs: 50, bodyLimit: 10_000_000,
    logger: pino({ level: 'silent' }), jwtSecret, piiKey: process.env.STOREPULSE_PII_SECRET,
  });
  const token = async (role: Role, customerId?: string) => (await tokens.issue({ role, customerId, subject: `test-${role}` })).token;
  return {
    url: service.url, service, token, jwtSecret,
    async call(path, init = {}) {
      const { role, customer, json, ...rest } = init;
      const headers: Record<string, string> = { ...(rest.headers as Record<string, string> | undefined) };
      if (role) headers.authorization = `Bearer ${await token(role, customer ?? (role === 'customer' ? 'C1' : undefined))}`;
      if (json !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${service.url}${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
    },
    stop: () => service.stop(),
  };
}

/**
 * For a describe block: before its tests, a fresh warehouse on the engine with the hand-made shop built, and the
 * service on it; after them, both gone. The returned object fills in before the first test runs.
 */
export function useShopService(engine: EngineUnderTest): { home: TestHome; api: TestService } {
  const ctx = {} as { home: TestHome; api: TestService };
  beforeAll(async () => {
    ctx.home = await openTestHome(engine);
    await loadShop(ctx.home.wh);
    ctx.api = await startTestService(ctx.home.wh, ctx.home.dir);
  });
  afterAll(async () => {
    await ctx.api?.stop();
    await ctx.home?.cleanup();
  });
  return ctx;
}
