// Every API route declares who may call it (`config.access`): public, or a list of roles. A route that declares
// nothing makes the server refuse to start, so no route is open by omission. Requests to a protected route
// carry `Authorization: Bearer <token>`: none or a bad one is 401, a role the route does not allow is 403, and a
// customer token reaches only routes about its own customer_id.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Errors } from '../errors/catalogue.js';
import type { Role } from './roles.js';
import type { Principal, TokenService } from './tokens.js';

export type Access =
  | { public: true }
  | {
    roles: readonly Role[];
    /** Role customer may call it only for the customer in the route's `:id`. */
    ownCustomer?: boolean;
    /** Also accepts a short-lived download ticket in `?ticket=` (a link cannot carry a header). */
    tickets?: boolean;
  };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const PUBLIC: Access = { public: true };
export const allow = (...roles: Role[]): Access => ({ roles });
/** Customer routes: a customer for their own id; support and admin for anyone. */
export const CUSTOMER_OR_STAFF: Access = { roles: ['customer', 'support', 'admin'], ownCustomer: true };

/** Paths outside the API (the dashboard's static files) are public pages; everything under /api and /metrics must declare. */
const mustDeclare = (url: string) => url.startsWith('/api') || url === '/metrics';

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw Errors.unauthenticated('The Authorization header is not of the form "Bearer <token>"');
  return m[1];
}

async function authenticate(request: FastifyRequest, access: Exclude<Access, { public: true }>, tokens: TokenService | undefined): Promise<Principal> {
  if (!tokens) throw Errors.unauthenticated('This server has no token signing key, so it cannot check tokens');
  const ticket = access.tickets ? (request.query as Record<string, unknown> | undefined)?.ticket : undefined;
  if (typeof ticket === 'string' && ticket !== '') {
    const principal = await tokens.verify(ticket);
    const path = request.url.split('?')[0];
    if (principal.purpose !== 'export' || principal.path !== path) throw Errors.unauthenticated(`The ticket is not a download ticket for ${path}`);
    return principal;
  }
  const token = bearer(request);
  if (!token) throw Errors.unauthenticated('This route needs a token');
  const principal = await tokens.verify(token);
  if (principal.purpose) throw Errors.unauthenticated('A download ticket is not an access token');
  return principal;
}

function authorize(principal: Principal, access: Exclude<Access, { public: true }>, params: unknown): void {
  if (!access.roles.includes(principal.role)) {
    throw Errors.forbidden(`This route is for role${access.roles.length > 1 ? 's' : ''} ${access.roles.join(', ')}; the token's role is ${principal.role}`);
  }
  if (principal.role === 'customer' && access.ownCustomer) {
    const id = (params as { id?: string } | undefined)?.id;
    if (id !== principal.customer_id) throw Errors.forbidden(`A customer token reads only its own customer's data (${principal.customer_id}), not ${id}`);
  }
}

export function installAccessControl(app: FastifyInstance, tokens: TokenService | undefined): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', (route) => {
    if (!mustDeclare(route.url)) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} declares no access (config.access): every API route must say which roles may call it.`);
    // The OpenAPI document shows which routes need a bearer token.
    if (!('public' in access)) route.schema = { ...route.schema, security: [{ bearerAuth: [] }] } as typeof route.schema;
  });
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    try {
      const principal = await authenticate(request, access, tokens);
      authorize(principal, access, request.params);
      request.principal = principal;
    } catch (e) {
      if ((e as { httpStatus?: number }).httpStatus === 401) reply.header('www-authenticate', 'Bearer realm="storepulse"');
      throw e;
    }
  });
}

/** The caller of a protected route (set by the access hook before the handler runs). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw Errors.unauthenticated('This route needs a token');
  return request.principal;
}
