// The API's answer cache: identical questions share one query, a publish forgets everything, an old answer is
// served while a fresh one is computed, and a failure is never kept.
import { describe, expect, it } from 'vitest';
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
    const cache = new AnswerCache(20);
    let queries = 0;
    const ask = () => cache.get('k', () => later(++queries, 30));
    expect(await ask()).toBe(1);
    await later(null, 25);
    expect(await ask()).toBe(1); // expired: still answered at once, a refresh starts
    expect(await ask()).toBe(1); // one refresh at a time
    await later(null, 50);
    expect(await ask()).toBe(2);
    expect(queries).toBe(2);
  });

  it('does not keep a failed answer', async () => {
    const cache = new AnswerCache();
    let queries = 0;
    const ask = () => cache.get('k', async () => { queries++; if (queries === 1) throw new Error('warehouse busy'); return queries; });
    await expect(ask()).rejects.toThrow('warehouse busy');
    expect(await ask()).toBe(2);
  });
});
