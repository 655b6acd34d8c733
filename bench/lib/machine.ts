// What a benchmark ran on, printed beside every figure.
import { cpus, totalmem, hostname, release } from 'node:os';
import { readFileSync } from 'node:fs';

export interface Machine { host: string; cpu: string; cores: number; memory_gib: number; os: string; node: string; duckdb: string; postgres?: string }

export function describeMachine(extra: Partial<Machine> = {}): Machine {
  const pkg = JSON.parse(readFileSync(new URL('../../node_modules/@duckdb/node-api/package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    host: hostname(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10, os: `${process.platform} ${release()}`,
    node: process.version, duckdb: pkg.version, ...extra,
  };
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
