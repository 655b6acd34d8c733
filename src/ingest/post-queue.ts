// Posts that arrive while another is landing wait here, and land together: the posts of one entity that waited
// are one transaction, one look for repeated contents, one numbering of batches and one contract check, in place
// of those statements once per post. Each post is still a batch of its own, with its own answer. Under load the
// landing connection was the queue (a post is a few short statements, most of their time spent planning), so
// this is where posts' fixed cost is shared; a post that finds nobody landing lands at once, alone.
import type { EntityContract } from '../contracts/index.js';
import type { Warehouse } from '../warehouse/engine.js';
import type { DataFile } from './discover.js';

export interface QueuedPost {
  entity: EntityContract;
  file: DataFile;
  /** The file's SHA-256: a body that landed before is answered as a repeat. */
  contentHash: string;
  source: string;
  received: number;
  /** The currency the contract checks convert to (the service's): posts land together only with the same. */
  baseCurrency: string;
  lockWaitMs: number;
}

/** Lands a group of posts of one entity and settles each: its answer or its own error, in the posts' order. */
export type LandGroup<A> = (wh: Warehouse, posts: readonly QueuedPost[]) => Promise<PromiseSettledResult<A>[]>;

/** At most this many posts (and records) land as one group: a bound on one transaction's size and wait. */
export const MAX_GROUP_POSTS = 64;
export const MAX_GROUP_RECORDS = 50_000;

interface Waiting<A> {
  post: QueuedPost;
  resolve: (answer: A) => void;
  reject: (e: unknown) => void;
}

export class PostQueue<A> {
  private readonly waiting: Waiting<A>[] = [];
  private draining = false;

  constructor(private readonly wh: Warehouse, private readonly land: LandGroup<A>) {}

  submit(post: QueuedPost): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      this.waiting.push({ post, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.nextGroup();
        try {
          const settled = await this.land(this.wh, group.map((w) => w.post));
          group.forEach((w, i) => {
            const s = settled[i];
            if (s.status === 'fulfilled') w.resolve(s.value);
            else w.reject(s.reason);
          });
        } catch (e) {
          for (const w of group) w.reject(e);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * The first waiting post and every later one of its entity, in arrival order, within the bounds. Posts of other
   * entities keep their turn: a client sends an order's lines only once the order's post was answered, so lines
   * never overtake their orders, and within an entity the later post stays the later batch.
   */
  private nextGroup(): Waiting<A>[] {
    const { entity: { name: entity }, baseCurrency } = this.waiting[0].post;
    const group: Waiting<A>[] = [];
    let records = 0;
    for (let i = 0; i < this.waiting.length && group.length < MAX_GROUP_POSTS;) {
      const w = this.waiting[i];
      if (w.post.entity.name !== entity || w.post.baseCurrency !== baseCurrency) { i++; continue; }
      if (group.length > 0 && records + w.post.received > MAX_GROUP_RECORDS) break;
      group.push(w);
      records += w.post.received;
      this.waiting.splice(i, 1);
    }
    return group;
  }
}
