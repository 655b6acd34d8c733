// Who may call what: every protected route, with each role and with none, against the table below (written
// here, independently of the routes' own declarations). No token is 401, a role the route does not allow is
// 403, and a customer token reaches only its own customer's data. The table must name every protected route the
// API describes, so a new route cannot go untested.
import Fastify from 'fastify';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { installAccessControl } from '../../src/auth/route-access.js';
import { ROLES, type Role } from '../../src/auth/roles.js';
import { ENGINES } from '../helpers/engines.js';
import { useShopService } from '../helpers/service.js';

interface Case { method: string; path: string; route: string; roles: readonly Role[] | 'public'; body?: unknown }

const STAFF_AND_OWNER = ['customer', 'support', 'admin'] as const;
const READERS = ['admin', 'editor', 'analyst', 'support'] as const;

const CASES: Case[] = [
  { method: 'GET', path: '/api/customers/C1/orders', route: '/api/customers/{id}/orders', roles: STAFF_AND_OWNER },
  { method: 'GET', path: '/api/customers/C1/recommendations', route: '/api/customers/{id}/recommendations', roles: STAFF_AND_OWNER },
  { method: 'GET', path: '/api/customers/C1/loyalty', route: '/api/customers/{id}/loyalty', roles: STAFF_AND_OWNER },
  { method: 'GET', path: '/api/customers/C1/reminders', route: '/api/customers/{id}/reminders', roles: STAFF_AND_OWNER },
  { method: 'PUT', path: '/api/customers/C1/reminders', route: '/api/customers/{id}/reminders', roles: STAFF_AND_OWNER, body: { channels: ['email'], cadence: 'weekly' } },
  { method: 'GET', path: '/api/transparency/trust-scores', route: '/api/transparency/trust-scores', roles: 'public' },
  { method: 'GET', path: '/api/transparency/logistics?format=csv', route: '/api/transparency/logistics', roles: 'public' },
  ...['products', 'customers', 'orders', 'rejects'].flatMap((g): Case[] => [
    { method: 'GET', path: `/api/admin/${g}`, route: '/api/admin/{entity}', roles: READERS },
    { method: 'GET', path: `/api/admin/${g}/export?format=csv`, route: '/api/admin/{entity}/export', roles: READERS },
    { method: 'POST', path: `/api/admin/${g}/export-ticket`, route: '/api/admin/{entity}/export-ticket', roles: READERS, body: {} },
  ]),
  // The route lets admin, editor and support in; which of them may edit what is the grid's (see admin.test.ts).
  { method: 'PATCH', path: '/api/admin/orders/O1', route: '/api/admin/{entity}/{id}', roles: ['admin', 'editor', 'support'], body: { status: 'delivered' } },
  { method: 'POST', path: '/api/admin/rejects/999/1/resubmit', route: '/api/admin/rejects/{batch}/{line}/resubmit', roles: ['admin', 'editor', 'support'], body: { record: { product_id: 'X' } } },
  { method: 'POST', path: '/api/admin/customers/C-none/erase', route: '/api/admin/customers/{id}/erase', roles: ['admin'], body: { reason: 'access test' } },
  { method: 'GET', path: '/api/admin/erasures', route: '/api/admin/erasures', roles: ['admin'] },
  { method: 'POST', path: '/api/ingest/products', route: '/api/ingest/{entity}', roles: 'public', body: [{ product_id: 'PX', name: 'X', category: 'x', unit_price: '1.00', currency: 'EUR' }] },
  ...['/api/kpis', '/api/products/top', '/api/customers/segments', '/api/health', '/api/runs', '/api/quality', '/api/alerts', '/metrics']
    .map((p): Case => ({ method: 'GET', path: p, route: p, roles: 'public' })),
];

const engine = ENGINES[0];

describe('route access', () => {
  const shop = useShopService(engine);
  const send = (c: Case, authorization?: string) => fetch(`${shop.api.url}${c.path}`, {
    method: c.method,
    headers: { ...(authorization ? { authorization } : {}), ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: c.body !== undefined ? JSON.stringify(c.body) : undefined,
  });
  const bearer = async (role: Role, customer?: string) => `Bearer ${await shop.api.token(role, customer ?? (role === 'customer' ? 'C1' : undefined))}`;

  it('covers every protected route the API describes', async () => {
    const docs = (await (await fetch(`${shop.api.url}/api/docs`)).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const protectedRoutes = Object.entries(docs.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([, op]) => op.security?.length).map(([m]) => `${m.toUpperCase()} ${path}`));
    const tested = new Set(CASES.filter((c) => c.roles !== 'public').map((c) => `${c.method} ${c.route}`));
    expect(protectedRoutes.length).toBeGreaterThan(10);
    expect(protectedRoutes.filter((r) => !tested.has(r))).toEqual([]);
  });

  it('answers 401 without a token and 403 for a role the route does not allow; allowed roles get through', async () => {
    const seen: string[] = [];
    for (const c of CASES) {
      const anonymous = await send(c);
      if (c.roles === 'public') {
        expect(anonymous.status, `${c.method} ${c.path} is public`).toBeLessThan(300);
        continue;
      }
      expect(anonymous.status, `${c.method} ${c.path} without a token`).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('SP_ERR_UNAUTHENTICATED');
      for (const role of ROLES) {
        const r = await send(c, await bearer(role));
        const status = r.status;
        if (c.roles.includes(role)) {
          // Through the access check: the route's own answer (a reject that does not exist is its 404).
          expect([401, 403], `${c.method} ${c.path} as ${role}: ${await r.text()}`).not.toContain(status);
          expect(status, `${c.method} ${c.path} as ${role}`).toBeLessThan(c.path.includes('/rejects/999/') ? 405 : 300);
        } else {
          expect(status, `${c.method} ${c.path} as ${role}`).toBe(403);
          expect(((await r.json()) as { error: { code: string } }).error.code).toBe('SP_ERR_FORBIDDEN');
        }
        seen.push(`${c.method} ${c.path} ${role} ${status}`);
      }
    }
    expect(seen.length).toBe(CASES.filter((c) => c.roles !== 'public').length * ROLES.length);
  });

  it('lets a customer read only its own data', async () => {
    for (const path of ['orders', 'recommendations', 'loyalty', 'reminders']) {
      const own = await fetch(`${shop.api.url}/api/customers/C2/${path}`, { headers: { authorization: await bearer('customer', 'C2') } });
      expect(own.status, path).toBe(200);
      const other = await fetch(`${shop.api.url}/api/customers/C1/${path}`, { headers: { authorization: await bearer('customer', 'C2') } });
      expect(other.status, path).toBe(403);
      expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(/only its own customer's data \(C2\), not C1/);
    }
    const put = await fetch(`${shop.api.url}/api/customers/C1/reminders`, {
      method: 'PUT', headers: { authorization: await bearer('customer', 'C2'), 'content-type': 'application/json' },
      body: JSON.stringify({ channels: ['sms'], cadence: 'daily' }),
    });
    expect(put.status).toBe(403);
  });

  it('refuses expired, forged and malformed tokens with 401', async () => {
    const path = `${shop.api.url}/api/admin/products`;
    const claims = () => new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('storepulse').setAudience('storepulse-api').setSubject('x');
    const now = Math.floor(Date.now() / 1000);
    const serverKey = new TextEncoder().encode(shop.api.jwtSecret);
    const expired = await claims().setIssuedAt(now - 7200).setExpirationTime(now - 3600).sign(serverKey);
    const forged = await claims().setExpirationTime('1h').sign(new TextEncoder().encode('a key the server does not have, 32+ characters'));
    const otherAudience = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('storepulse').setAudience('elsewhere')
      .setSubject('x').setExpirationTime('1h').sign(serverKey);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"role":"admin","sub":"x"}').toString('base64url')}.`;
    const cases: [string, string, RegExp][] = [
      ['expired', `Bearer ${expired}`, /has expired/], ['forged', `Bearer ${forged}`, /not valid/], ['other audience', `Bearer ${otherAudience}`, /not valid/],
      ['unsigned', `Bearer ${unsigned}`, /not valid/], ['not bearer', 'Basic YWRtaW46YWRtaW4=', /not of the form "Bearer <token>"/],
    ];
    for (const [what, header, message] of cases) {
      const r = await fetch(path, { headers: { authorization: header } });
      expect(r.status, what).toBe(401);
      expect(((await r.json()) as { error: { message: string } }).error.message, what).toMatch(message);
    }
  });

  it('refuses to start a server with an API route that declares no access', async () => {
    const app = Fastify();
    installAccessControl(app, undefined);
    expect(() => app.get('/api/forgotten', async () => 'open by omission')).toThrow(/declares no access/);
    await app.close();
  });
});
