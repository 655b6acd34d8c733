// Retries work that failed for a passing reason (a dropped connection, a server restart, a serialization
// conflict) with exponential back-off. Only whole atomic steps are retried, so a retry never half-repeats.
export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  isTransient: (e: unknown) => boolean;
  onRetry?: (attempt: number, delayMs: number, e: unknown) => void;
}

export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts || !options.isTransient(e)) throw e;
      const delay = Math.min(options.maxMs ?? 10_000, (options.baseMs ?? 500) * 2 ** (attempt - 1));
      options.onRetry?.(attempt, delay, e);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
