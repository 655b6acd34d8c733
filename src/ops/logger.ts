// Structured JSON logs (pino) on stderr, so stdout stays free for command output.
import pino, { type Logger } from 'pino';

export function createLogger(level = process.env.STOREPULSE_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'storepulse' } }, pino.destination(2));
}
