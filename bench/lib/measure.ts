// Runs a command as a child process and measures its wall time and peak memory (max RSS, from GNU time),
// so every engine and the floor are measured the same way, start-up included.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  ms: number;
  max_rss_mib: number | null;
  stdout: string;
}

const GNU_TIME = '/usr/bin/time';

/** The process's children, as Linux lists them (none where it does not). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Kills a process and everything under it. GNU time runs the measured command as its child: killing time alone
 * left the command running, holding our pipes open, so the step waited for it after all (a 10M PostgreSQL
 * run capped at 15 minutes was still running 19 minutes after it started).
 */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  const children = childrenOf(pid);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
  for (const child of children) killTree(child);
}

/**
 * The command as an error names it: the reason comes first and the arguments are cut short, because a step that
 * ingests a file per day passes thousands of paths, and the notes keep a failure's first 1,000 characters (a 10M
 * incremental day's reason was lost behind its paths).
 */
function shortCommand(command: string, args: readonly string[]): string {
  const shown = args.slice(0, 4).join(' ');
  return `${command} ${shown}${args.length > 4 ? ` … (${args.length} arguments)` : ''}`;
}

export function measure(command: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 30 * 60_000): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-measure-'));
  const report = join(dir, 'time.txt');
  const withTime = existsSync(GNU_TIME);
  const [cmd, argv] = withTime ? [GNU_TIME, ['-f', '%M', '-o', report, command, ...args]] : [command, [...args]];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; killTree(child.pid); }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const rssKb = withTime && existsSync(report) ? Number(readFileSync(report, 'utf8').trim().split('\n').pop()) : NaN;
      rmSync(dir, { recursive: true, force: true });
      if (timedOut) return reject(new TimeoutError(`did not finish within ${Math.round(timeoutMs / 60_000)} min: ${shortCommand(command, args)}`));
      // The end of its error output, where the reason usually is, within the 1,000 characters a note keeps.
      if (code !== 0) return reject(new Error(`exited with ${code}: ${shortCommand(command, args)}: ${stderr.slice(-600).trim()}`));
      resolve({ ms: Math.round(ms), max_rss_mib: Number.isFinite(rssKb) ? Math.round(rssKb / 1024) : null, stdout });
    });
  });
}

export class TimeoutError extends Error {}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}

/** Runs `once` n times (a fresh set-up each time via `prepare`) and keeps the median time and the largest memory. */
export async function repeat(n: number, prepare: (i: number) => Promise<void>, once: (i: number) => Promise<Measured>): Promise<Measured & { runs_ms: number[] }> {
  const runs: Measured[] = [];
  for (let i = 0; i < n; i++) {
    await prepare(i);
    runs.push(await once(i));
  }
  const rss = runs.map((r) => r.max_rss_mib).filter((x): x is number => x !== null);
  return { ms: median(runs.map((r) => r.ms)), max_rss_mib: rss.length ? Math.max(...rss) : null, stdout: runs[runs.length - 1].stdout, runs_ms: runs.map((r) => r.ms) };
}
