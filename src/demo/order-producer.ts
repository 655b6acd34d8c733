// Keeps a shop alive for the demo: new orders (with their lines and the browsing sessions that led to them)
// posted to the running service through POST /api/ingest, the same path any client uses.
import type { Warehouse } from '../warehouse/engine.js';

interface Customer { customer_id: string; country: string }
interface Product { product_id: string; unit_price: number }

const CHANNELS: [string, number][] = [['web', 0.45], ['mobile', 0.3], ['marketplace', 0.12], ['store', 0.08], ['partner', 0.05]];

export interface ProducerOptions {
  url: string;
  /** Orders per second. */
  rate: number;
  tickMs?: number;
  onError?: (e: unknown) => void;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

function weighted(choices: [string, number][]): string {
  let r = Math.random();
  for (const [v, w] of choices) if ((r -= w) < 0) return v;
  return choices[0][0];
}

export class OrderProducer {
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private carry = 0;
  produced = 0;

  private constructor(private readonly options: ProducerOptions, private readonly customers: Customer[], private readonly products: Product[]) {}

  /** Samples real customers and active products from gold, so new orders join the existing history. */
  static async create(wh: Warehouse, options: ProducerOptions): Promise<OrderProducer> {
    const customers = await wh.read<Customer>(
      "SELECT customer_id, country FROM gold.dim_customer WHERE is_current AND NOT is_inferred AND country IS NOT NULL ORDER BY customer_id LIMIT 2000");
    const products = await wh.read<Product>(
      "SELECT product_id, unit_price FROM gold.dim_product WHERE is_current AND NOT is_inferred AND is_active AND currency = 'EUR' ORDER BY product_id LIMIT 1000");
    if (customers.length === 0) customers.push({ customer_id: 'DEMO-C1', country: 'DE' });
    if (products.length === 0) products.push({ product_id: 'DEMO-P1', unit_price: 19.99 });
    return new OrderProducer(options, customers, products);
  }

  start(): void {
    const tick = this.options.tickMs ?? 200;
    this.timer = setInterval(() => void this.emit(tick).catch((e) => this.options.onError?.(e)), tick);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async emit(tickMs: number): Promise<void> {
    this.carry += (this.options.rate * tickMs) / 1000;
    const count = Math.floor(this.carry);
    this.carry -= count;
    if (count === 0) return;
    const now = new Date();
    const orders = [];
    const items = [];
    const events = [];
    for (let i = 0; i < count; i++) {
      const id = `L${now.getTime().toString(36)}${(this.seq++).toString(36)}`;
      const customer = pick(this.customers);
      const ts = new Date(now.getTime() - Math.floor(Math.random() * tickMs)).toISOString();
      const channel = weighted(CHANNELS);
      orders.push({
        order_id: `O-${id}`, customer_id: customer.customer_id, order_ts: ts, channel, country: customer.country,
        currency: 'EUR', status: 'paid', shipping_amount: '4.90', tax_amount: '0.00',
        promised_delivery_ts: new Date(now.getTime() + 3 * 86_400_000).toISOString(), updated_at: ts,
      });
      const lines = 1 + Math.floor(Math.random() * 3);
      for (let l = 1; l <= lines; l++) {
        const p = pick(this.products);
        items.push({ order_id: `O-${id}`, line_number: l, product_id: p.product_id, quantity: 1 + Math.floor(Math.random() * 2), unit_price: Number(p.unit_price).toFixed(2), discount_amount: '0', updated_at: ts });
      }
      const session = `S-${id}`;
      const device = channel === 'mobile' ? 'mobile' : 'desktop';
      const sessionChannel = channel === 'mobile' ? 'mobile' : 'web';
      for (const [n, type] of ['page_view', 'product_view', 'add_to_cart', 'checkout_start', 'purchase'].entries()) {
        events.push({ event_id: `E-${id}-${n}`, session_id: session, customer_id: customer.customer_id, event_type: type,
          order_id: type === 'purchase' ? `O-${id}` : null, device, channel: sessionChannel, event_ts: ts });
      }
      // Most visits do not buy: two browsing sessions for every order.
      for (let b = 0; b < 2; b++) {
        events.push({ event_id: `E-${id}-b${b}`, session_id: `S-${id}-b${b}`, event_type: 'page_view', device, channel: sessionChannel, event_ts: ts });
      }
    }
    await this.post('orders', orders);
    await this.post('order_items', items);
    await this.post('events', events);
    this.produced += count;
  }

  private async post(entity: string, records: unknown[]): Promise<void> {
    const res = await fetch(`${this.options.url}/api/ingest/${entity}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records),
    });
    if (res.status !== 202) throw new Error(`POST /api/ingest/${entity} answered ${res.status}: ${await res.text()}`);
  }
}
