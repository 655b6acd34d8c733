// The clickstream: one session ending in a purchase for every web and mobile order, and the many sessions
// that browse, fill a cart and leave without buying.
import { MINUTE_MS, isoTs } from './clock.js';
import type { Random, WeightedPicker } from './random.js';
import type { PlacedOrder } from './orders.js';
import type { Product } from './world.js';

export interface SessionContext {
  rng: Random;
  endMs: number;
  emit: (entity: string, atMs: number, row: string[]) => void;
  products: readonly Product[];
  productPicker: WeightedPicker<number>;
  seq: { session: number; event: number };
}

type Step = [type: string, product: number | undefined];

function device(rng: Random, channel: string): string {
  if (channel === 'mobile') return rng.chance(0.88) ? 'mobile' : 'tablet';
  const x = rng.next();
  return x < 0.65 ? 'desktop' : x < 0.9 ? 'mobile' : 'tablet';
}

function writeSession(
  ctx: SessionContext, startMs: number, steps: readonly Step[], customerId: string, channel: string, orderId = '', gapMs?: number,
): void {
  const { rng, emit } = ctx;
  const session = `W${String(++ctx.seq.session).padStart(9, '0')}`;
  const dev = device(rng, channel);
  let t = Math.floor(startMs / 1000) * 1000;
  for (const [type, product] of steps) {
    if (t >= ctx.endMs) return; // the rest of the session happens after the export
    const id = `E${String(++ctx.seq.event).padStart(10, '0')}`;
    const productId = product === undefined ? '' : ctx.products[product].id;
    emit('events', t, [id, session, customerId, type, productId, type === 'purchase' ? orderId : '', dev, channel, isoTs(t)]);
    t += gapMs ?? (10 + Math.floor(rng.next() * 110)) * 1000;
  }
}

/** The session in which an order was placed; its purchase event lands on the order's own timestamp. */
export function purchaseSession(ctx: SessionContext, order: PlacedOrder): void {
  const { rng } = ctx;
  const steps: Step[] = [['page_view', undefined]];
  if (rng.chance(0.5)) steps.push(['search', undefined]);
  for (const p of order.lineProducts) steps.push(['product_view', p], ['add_to_cart', p]);
  steps.push(['checkout_start', undefined], ['purchase', undefined]);
  // Walk back from the order time in one-minute steps, so the purchase event carries exactly order_ts.
  writeSession(ctx, order.ts - (steps.length - 1) * MINUTE_MS, steps, order.customerId, order.channel, order.id, MINUTE_MS);
}

/** A session that does not convert: a bounce, a browse, or an abandoned cart or checkout. */
export function browsingSession(ctx: SessionContext, startMs: number, customerId: string): void {
  const { rng } = ctx;
  const channel = rng.chance(0.6) ? 'web' : 'mobile';
  const steps: Step[] = [['page_view', undefined]];
  if (!rng.chance(0.4)) {
    const views = rng.int(1, 4);
    let cart: number | undefined;
    for (let i = 0; i < views; i++) {
      if (rng.chance(0.3)) steps.push(['search', undefined]);
      const p = ctx.productPicker.pick(rng);
      steps.push(['product_view', p]);
      if (cart === undefined && rng.chance(0.3)) { cart = p; steps.push(['add_to_cart', p]); }
    }
    if (cart !== undefined) {
      if (rng.chance(0.25)) steps.push(['remove_from_cart', cart]);
      else if (rng.chance(0.35)) steps.push(['checkout_start', undefined]);
    }
  }
  writeSession(ctx, startMs, steps, customerId, channel);
}
