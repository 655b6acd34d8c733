// A benchmark step has a time limit: when it runs out, the step's command is killed with everything it started
// (GNU time, which measures its memory, runs it as a child), and the step reports that it did not finish.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { measure, TimeoutError } from '../../bench/lib/measure.js';

/** Running: it exists and is not a zombie (killed, waiting to be reaped by whoever inherited it). */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('measure', () => {
  let dir: string | undefined;
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('kills a command that outlives its limit, and what it started, and says it did not finish', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sp-measure-test-'));
    const pidFile = join(dir, 'pid');
    const started = Date.now();
    // The shell starts a grandchild that would hold the output pipes open for a minute.
    await expect(measure('bash', ['-c', `sleep 60 & echo $! > ${pidFile}; wait`], {}, 500)).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(30_000);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(running(grandchild)).toBe(false);
  });

  it('measures a command that finishes: its output, wall time and exit', async () => {
    const r = await measure('bash', ['-c', 'echo done'], {}, 30_000);
    expect(r.stdout.trim()).toBe('done');
    expect(r.ms).toBeGreaterThanOrEqual(0);
    await expect(measure('bash', ['-c', 'exit 3'], {}, 30_000)).rejects.toThrow('exited with 3');
  });

  it('says why a step failed before it names the command, whose arguments it cuts short', async () => {
    const paths = Array.from({ length: 2_000 }, (_, i) => `/data/by-day/orders/day-${i}.csv`);
    const failure = await measure('bash', ['-c', 'echo refused >&2; exit 2', 'ingest', ...paths], {}, 30_000).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message.startsWith('exited with 2: bash -c')).toBe(true);
    expect(message).toContain('(2003 arguments)');
    expect(message).toContain('refused');
    expect(message.length).toBeLessThan(400);
  });
});
