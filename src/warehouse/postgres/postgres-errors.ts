// Turns connection failures into messages that say what to do (never a stack trace as the message).
import { Errors, type StorePulseError } from '../../errors/catalogue.js';

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '40001', '40P01', '53300']);

/** What node-postgres says, without a code, when a query meets a connection that already broke. */
const BROKEN_CONNECTION = /Client has encountered a connection error and is not queryable|Connection terminated/;

export function isTransient(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: string; message?: string };
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  return code === undefined && typeof message === 'string' && BROKEN_CONNECTION.test(message);
}

export function connectionError(target: string, e: unknown): StorePulseError {
  const err = e as { code?: string; message?: string };
  switch (err.code) {
    case 'ECONNREFUSED':
      return Errors.warehouseUnavailable(target, 'the server refused the connection; check that PostgreSQL is running and listening on that host and port');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return Errors.warehouseUnavailable(target, 'the host name does not resolve');
    case 'ETIMEDOUT':
      return Errors.warehouseUnavailable(target, 'the connection timed out; check the host, port and any firewall');
    case '28P01':
    case '28000':
      return Errors.warehouseUnavailable(target, `the server rejected the credentials (${err.message}); check the user and password in the URL`);
    case '3D000':
      return Errors.warehouseUnavailable(target, `${err.message}; create it first (createdb) or point the URL at an existing database`);
    default:
      return Errors.warehouseUnavailable(target, err.message?.split('\n')[0] ?? String(e));
  }
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
