// Read answers (KPIs, breakdowns, dashboard views) change only when a micro-batch publishes new gold, so the
// API answers repeated questions from memory: identical requests in flight share one query, and everything is
// forgotten when a snapshot is published. Gold rebuilt by another process (a CLI run against the same shared
// warehouse) publishes nothing here, so an answer older than maxAgeMs is refreshed in the background while
// it is still served: nobody waits for the refresh, and no answer is older than maxAgeMs plus one query.
interface Entry { at: number; answer: Promise<unknown>; refreshing: boolean }

export class AnswerCache {
  private entries = new Map<string, Entry>();

  constructor(private readonly maxAgeMs = 5000, private readonly maxEntries = 1000) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (!hit) return this.store(key, compute());
    if (Date.now() - hit.at > this.maxAgeMs && !hit.refreshing) {
      hit.refreshing = true;
      const entries = this.entries;
      const fresh = compute();
      // Swap in the new answer once it is there (unless a publish cleared the cache meanwhile).
      fresh.then(() => { if (entries === this.entries) entries.set(key, { at: Date.now(), answer: fresh, refreshing: false }); },
        () => { hit.refreshing = false; });
    }
    return hit.answer as Promise<T>;
  }

  clear(): void {
    this.entries = new Map();
  }

  private store<T>(key: string, answer: Promise<T>): Promise<T> {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const entries = this.entries;
    entries.set(key, { at: Date.now(), answer, refreshing: false });
    // A failed answer is not kept: the next request asks the warehouse again.
    answer.catch(() => { if (entries.get(key)?.answer === answer) entries.delete(key); });
    return answer;
  }
}
