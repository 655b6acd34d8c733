// Time helpers: fast ISO 8601 formatting (the generator writes millions of timestamps) and the daily
// seasonality that shapes order volume.

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

const datePrefix = new Map<number, string>();

/** `YYYY-MM-DD` of a UTC instant. */
export function isoDate(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let s = datePrefix.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    datePrefix.set(day, s);
  }
  return s;
}

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));

/** `YYYY-MM-DDTHH:MM:SSZ` of a UTC instant, to the second. */
export function isoTs(ms: number): string {
  const inDay = ms - Math.floor(ms / DAY_MS) * DAY_MS;
  const secs = Math.floor(inDay / 1000);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  return `${isoDate(ms)}T${pad2(h)}:${pad2(m)}:${pad2(secs % 60)}Z`;
}

export function parseDay(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${date}`);
  return ms;
}

// Relative order volume: weekends and the end of the year sell more, Black Friday and Cyber Monday most.
const WEEKDAY = [1.15, 1.0, 0.97, 0.98, 1.0, 1.05, 1.1]; // Sunday first, as Date.getUTCDay
const MONTH = [0.85, 0.8, 0.9, 0.92, 0.95, 0.93, 0.9, 0.92, 0.97, 1.0, 1.25, 1.4];

function peakDay(date: Date): number {
  if (date.getUTCMonth() !== 10) return 1;
  const first = new Date(Date.UTC(date.getUTCFullYear(), 10, 1)).getUTCDay();
  const blackFriday = 1 + ((5 - first + 7) % 7) + 21;
  const d = date.getUTCDate();
  if (d === blackFriday) return 2.5;
  if (d === blackFriday + 3) return 2;
  return 1;
}

/** Weight of one day in the order volume, before noise; `progress` (0..1) adds a gentle growth trend. */
export function dayWeight(dayMs: number, progress: number): number {
  const date = new Date(dayMs);
  return WEEKDAY[date.getUTCDay()] * MONTH[date.getUTCMonth()] * peakDay(date) * (1 + 0.3 * progress);
}

/** Share of the day's orders per hour (UTC): quiet nights, a lunch bump, an evening peak. */
export const HOUR_WEIGHTS = [
  0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1, 1.5, 2, 2.3, 2.5, 2.8, 2.6, 2.4, 2.4, 2.5, 2.7, 3, 3.4, 3.6, 3.2, 2, 1,
];

/** Splits `total` over weights exactly (largest remainder), so the counts always add up. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (w * total) / sum : 0));
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) counts[order[k][1]]++;
  return counts;
}
