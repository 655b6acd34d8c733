// The slowly changing side of the shop: customers, the product catalogue and daily exchange rates.
import { DAY_MS, HOUR_WEIGHTS, HOUR_MS, isoDate, isoTs } from './clock.js';
import { Random, WeightedPicker } from './random.js';
import {
  ADJECTIVES, BRANDS, CATEGORIES, FIRST_NAMES, FX_START, LAST_NAMES, MARKETS, SUPPLIERS, type Category, type Market,
} from './reference-data.js';

export interface Span {
  startMs: number;
  /** Exclusive: the moment the export is taken. */
  endMs: number;
  days: number;
}

export interface Customer {
  id: string;
  market: Market;
  signupMs: number;
}

export interface Product {
  id: string;
  category: Category;
  priceEur: number;
  /** A catalogue price change during the period (a second version of the product record). */
  repriceAtMs: number;
  repricedEur: number;
  active: boolean;
}

const hourPicker = new WeightedPicker(HOUR_WEIGHTS.map((_, h) => h), HOUR_WEIGHTS);

/** A moment in the day starting at dayMs, with the shop's hourly rhythm. */
export function timeInDay(rng: Random, dayMs: number): number {
  return dayMs + hourPicker.pick(rng) * HOUR_MS + Math.floor(rng.next() * HOUR_MS / 1000) * 1000;
}

export const money = (x: number): string => (Math.round(x * 100) / 100).toFixed(2);
const asciiLower = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();

export function makeCustomers(rng: Random, count: number, span: Span, dayPicker: WeightedPicker<number>): Customer[] {
  const markets = new WeightedPicker(MARKETS, MARKETS.map((m) => m.weight));
  const list: Customer[] = [];
  for (let i = 0; i < count; i++) {
    // Most customers signed up in the year before the period, the rest during it, following its volume.
    const signupMs = rng.chance(0.55)
      ? span.startMs - Math.floor(rng.next() * 365 * DAY_MS)
      : timeInDay(rng, span.startMs + dayPicker.pick(rng) * DAY_MS);
    list.push({ id: '', market: markets.pick(rng), signupMs: Math.floor(signupMs / 1000) * 1000 });
  }
  list.sort((a, b) => a.signupMs - b.signupMs);
  list.forEach((c, i) => { c.id = `C${String(i + 1).padStart(7, '0')}`; });
  return list;
}

export function customerRows(rng: Random, customers: readonly Customer[], span: Span, emit: (atMs: number, row: string[]) => void): void {
  for (const c of customers) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const [region, city] = rng.pick(c.market.regions);
    const email = rng.chance(0.97) ? `${asciiLower(first)}.${asciiLower(last)}.${c.id.slice(1)}@example.com` : '';
    const consent = rng.chance(0.62) ? 'true' : 'false';
    const row = [c.id, email, first, last, c.market.country, region, city, isoTs(c.signupMs), consent, isoTs(c.signupMs)];
    emit(c.signupMs, row);
    // A few customers move during the period: a second, newer version of their record (SCD type 2).
    if (rng.chance(0.04)) {
      const movedMs = Math.max(c.signupMs, span.startMs) + Math.floor(rng.next() * (span.endMs - Math.max(c.signupMs, span.startMs)));
      const [r2, city2] = rng.pick(c.market.regions);
      const moved = Math.floor(movedMs / 1000) * 1000;
      emit(moved, [c.id, email, first, last, c.market.country, r2, city2, isoTs(c.signupMs), consent, isoTs(moved)]);
    }
  }
}

export function makeProducts(rng: Random, count: number, span: Span): Product[] {
  const categories = new WeightedPicker(CATEGORIES, CATEGORIES.map((c) => c.weight));
  const list: Product[] = [];
  for (let i = 0; i < count; i++) {
    const category = categories.pick(rng);
    const [lo, hi] = category.price;
    const priceEur = Math.round(Math.min(hi, Math.max(lo, Math.exp(Math.log(lo) + rng.next() * Math.log(hi / lo)))) * 100) / 100 - 0.01;
    const reprice = rng.chance(0.06);
    list.push({
      id: `P${String(i + 1).padStart(5, '0')}`,
      category,
      priceEur: Math.max(0.99, priceEur),
      repriceAtMs: reprice ? span.startMs + Math.floor(rng.next() * span.days) * DAY_MS + 6 * HOUR_MS : Infinity,
      repricedEur: Math.max(0.99, Math.round(priceEur * (0.8 + rng.next() * 0.35) * 100) / 100),
      active: rng.chance(0.96),
    });
  }
  return list;
}

export function priceAt(p: Product, atMs: number): number {
  return atMs >= p.repriceAtMs ? p.repricedEur : p.priceEur;
}

export function productRows(rng: Random, products: readonly Product[], span: Span, emit: (atMs: number, row: string[]) => void): void {
  for (const p of products) {
    const brand = rng.pick(BRANDS);
    const name = `${brand} ${rng.pick(ADJECTIVES)} ${rng.pick(p.category.nouns)}`;
    const sub = rng.pick(p.category.subcategories);
    const cost = money(p.priceEur * (0.35 + rng.next() * 0.35));
    const score = rng.chance(0.9) ? String(rng.int(5, 98)) : '';
    const supplier = rng.pick(SUPPLIERS);
    const created = span.startMs - rng.int(30, 400) * DAY_MS;
    const row = (price: number, at: number) => [
      p.id, name, p.category.name, sub, brand, money(price), cost, 'EUR', supplier, score, p.active ? 'true' : 'false', isoTs(at),
    ];
    emit(created, row(p.priceEur, created));
    if (Number.isFinite(p.repriceAtMs)) emit(p.repriceAtMs, row(p.repricedEur, p.repriceAtMs));
  }
}

/** Daily rates to the base currency: a random walk per currency; the base's own rate is exactly 1. */
export class FxTable {
  private readonly rates = new Map<string, Float64Array>();

  constructor(rng: Random, span: Span, readonly base: string) {
    for (const [currency, [start, vol]] of Object.entries(FX_START)) {
      const walk = new Float64Array(span.days);
      let r = start;
      for (let d = 0; d < span.days; d++) { walk[d] = r; r *= 1 + rng.normal() * vol; }
      this.rates.set(currency, walk);
    }
    const toBase = this.rates.get(base);
    if (!toBase) throw new Error(`no exchange rates known for base currency ${base}; choose one of ${Object.keys(FX_START).join(', ')}`);
    for (const [currency, walk] of this.rates) {
      if (currency === base) continue;
      for (let d = 0; d < span.days; d++) walk[d] = walk[d] / toBase[d];
    }
    this.rates.set(base, new Float64Array(span.days).fill(1));
  }

  /** Value of one unit of `currency` in EUR on day index d (used to price goods; EUR is the catalogue currency). */
  eurPerUnit(currency: string, d: number): number | undefined {
    const walk = this.rates.get(currency);
    return walk ? walk[d] / this.rates.get('EUR')![d] : undefined;
  }

  rows(span: Span, skip: (currency: string, d: number) => boolean, emit: (atMs: number, row: string[]) => void): void {
    for (let d = 0; d < span.days; d++) {
      const dayMs = span.startMs + d * DAY_MS;
      for (const [currency, walk] of this.rates) {
        if (skip(currency, d)) continue;
        emit(dayMs, [currency, isoDate(dayMs), currency === this.base ? '1' : walk[d].toFixed(6)]);
      }
    }
  }
}
