// The API's answer cache: identical questions share one query, a publish forgets everything, an old answer is
// served while a fresh one is computed, and a failure is never kept.
import { describe, expect, it, vi } from 'vitest';
import { AnswerCache } from '../../src/api/answer-cache.js';

const later = <T>(value: T, ms = 10) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe('AnswerCache', () => {
  it('runs one query for identical requests in flight and answers repeats from memory', async () => {
    const cache = new AnswerCache();
    let queries = 0;
    const ask = () => cache.get('/api/kpis', () => { queries++; return later(queries); });
    expect(await Promise.all([ask(), ask(), ask()])).toEqual([1, 1, 1]);
    expect(await ask()).toBe(1);
    expect(queries).toBe(1);
  });

  it('forgets every answer when new gold is published', async () => {
    const cache = new AnswerCache();
    let queries = 0;
    const ask = () => cache.get('k', () => later(++queries));
    expect(await ask()).toBe(1);
    cache.clear();
    expect(await ask()).toBe(2);
  });

  it('serves an old answer while it refreshes it in the background', async () => {
    // A controlled clock and hand-resolved queries: no timing, so the test means the same on a loaded machine.
    let now = 1_000;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const cache = new AnswerCache(20);
      const pending: ((v: number) => void)[] = [];
      const ask = () => cache.get('k', () => new Promise<number>((resolve) => pending.push(resolve)));
      const first = ask();
      pending[0](1);
      expect(await first).toBe(1);
      now += 25; // older than maxAge
      expect(await ask()).toBe(1); // still answered at once; a refresh starts
      expect(await ask()).toBe(1); // one refresh at a time
      expect(pending).toHaveLength(2);
      pending[1](2);
      await Promise.resolve();
      await Promise.resolve();
      expect(await ask()).toBe(2);
      expect(pending).toHaveLength(2);
    } finally {
      clock.mockRestore();
    }
  });

  it('does not keep a failed answer', async () => {
    const cache = new AnswerCache();
    let queries = 0;
    const ask = () => cache.get('k', async () => { queries++; if (queries === 1) throw new Error('warehouse busy'); return queries; });
    await expect(ask()).rejects.toThrow('warehouse busy');
    expect(await ask()).toBe(2);
  });
});
