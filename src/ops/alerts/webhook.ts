// Posts an alert to the webhook as JSON. The payload is Slack-compatible (an incoming webhook shows `text`); the
// `alert` object carries the same facts for receivers that act on them.
import { formatDuration } from './config.js';
import type { Transition } from './state.js';

export interface AlertPayload {
  text: string;
  /** The transition as it is kept in the history. */
  alert: Transition;
}

export function alertPayload(t: Transition): AlertPayload {
  const text = t.status === 'firing'
    ? `:rotating_light: StorePulse alert ${t.rule} is firing: ${t.message} (since ${t.since})`
    : `:white_check_mark: StorePulse alert ${t.rule} resolved after ${formatDuration(Date.parse(t.at) - Date.parse(t.since))}: ${t.message}`;
  return {
    text,
    alert: { id: t.id, rule: t.rule, kind: t.kind, status: t.status, value: t.value, threshold: t.threshold, unit: t.unit, message: t.message, since: t.since, at: t.at },
  };
}

export interface PostOptions {
  timeoutMs: number;
  /** Attempts in all (1 = no retry). */
  attempts?: number;
  /** Wait before the second attempt; doubled before each later one. */
  backoffMs?: number;
  /** Called after each failed attempt. */
  onFailure?: (attempt: number, error: Error) => void;
}

/** Posts the payload; retries a failed attempt with back-off; throws the last error when every attempt failed. */
export async function postWebhook(url: string, payload: unknown, options: PostOptions): Promise<void> {
  const attempts = options.attempts ?? 3;
  let backoff = options.backoffMs ?? 500;
  let last: Error = new Error('not attempted');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'storepulse-alerts' },
        body: JSON.stringify(payload), signal: AbortSignal.timeout(options.timeoutMs),
      });
      // Drain the body so the connection is released.
      const body = await res.text().catch(() => '');
      if (res.ok) return;
      last = new Error(`the webhook answered HTTP ${res.status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    } catch (e) {
      const err = e as Error;
      last = err.name === 'TimeoutError' ? new Error(`the webhook did not answer within ${options.timeoutMs} ms`)
        : new Error(`the webhook could not be reached: ${(err.cause as Error | undefined)?.message ?? err.message}`);
    }
    options.onFailure?.(attempt, last);
    if (attempt < attempts) {
      await new Promise((r) => setTimeout(r, backoff));
      backoff *= 2;
    }
  }
  throw last;
}
