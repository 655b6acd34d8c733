// Signed access tokens (JWT, HS256, via jose): who the caller is, their role, and for a customer their
// customer_id. Issued by `storepulse token`, checked by the API on every route that is not public.
import { errors, jwtVerify, SignJWT } from 'jose';
import { Errors } from '../errors/catalogue.js';
import { isRole, type Role } from './roles.js';

const ISSUER = 'storepulse';
const AUDIENCE = 'storepulse-api';

export interface Principal {
  /** Who the token was issued to (an operator's name, a customer's id). */
  sub: string;
  role: Role;
  /** Set for role `customer` only: the one customer whose data the token may read. */
  customer_id?: string;
  /** A download ticket: valid for one export path only (see admin export tickets). */
  purpose?: 'export';
  path?: string;
}

export interface IssueOptions {
  role: Role;
  customerId?: string;
  subject?: string;
  /** jose time span: '8h', '30m', '7d', or seconds. */
  expiresIn?: string | number;
  purpose?: 'export';
  path?: string;
}

export interface IssuedToken {
  token: string;
  role: Role;
  sub: string;
  customer_id: string | null;
  expires_at: string;
}

const DURATION = /^\d+\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w)$/;

export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(options: IssueOptions): Promise<IssuedToken> {
    if (!isRole(options.role)) throw Errors.badOption('--role', String(options.role), 'one of admin, editor, analyst, support, customer');
    if (options.role === 'customer' && !options.customerId) {
      throw Errors.badOption('--customer', '(none)', 'the customer_id a customer token is for');
    }
    if (options.role !== 'customer' && options.customerId) {
      throw Errors.badOption('--customer', options.customerId, 'nothing: only role customer tokens carry a customer_id');
    }
    const expiresIn = options.expiresIn ?? '8h';
    if (typeof expiresIn === 'string' && !DURATION.test(expiresIn)) throw Errors.badOption('--expires', expiresIn, 'a duration such as 30m, 8h or 7d');
    const sub = options.subject ?? options.customerId ?? options.role;
    const claims: Record<string, unknown> = { role: options.role };
    if (options.customerId) claims.customer_id = options.customerId;
    if (options.purpose) Object.assign(claims, { purpose: options.purpose, path: options.path });
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER).setAudience(AUDIENCE).setSubject(sub).setIssuedAt().setExpirationTime(expiresIn);
    const token = await jwt.sign(this.key);
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number };
    return { token, role: options.role, sub, customer_id: options.customerId ?? null, expires_at: new Date(exp * 1000).toISOString() };
  }

  /** The token's principal; SP_ERR_UNAUTHENTICATED when it is forged, expired, or not one of ours. */
  async verify(token: string): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw Errors.unauthenticated('The token has expired');
      throw Errors.unauthenticated('The token is not valid (bad signature, issuer or format)');
    }
    const role = payload.role;
    if (!isRole(role) || typeof payload.sub !== 'string') throw Errors.unauthenticated('The token carries no valid role');
    if (role === 'customer' && typeof payload.customer_id !== 'string') throw Errors.unauthenticated('A customer token must carry its customer_id');
    return {
      sub: payload.sub, role,
      ...(typeof payload.customer_id === 'string' ? { customer_id: payload.customer_id } : {}),
      ...(payload.purpose === 'export' && typeof payload.path === 'string' ? { purpose: 'export' as const, path: payload.path } : {}),
    };
  }
}
