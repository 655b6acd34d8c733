// Every benchmark command answers --help with its usage, and does no work: `npm run bench -- --help` once ran the
// whole benchmark (19 minutes) and bench/freshness.ts its load test. A bad option is refused before any work, with
// its reason alone (it once ended in a stack trace).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('benchmark commands', () => {
  it.each(['bench/run.ts', 'bench/freshness.ts', 'bench/profile.ts', 'bench/micro-batches.ts'])('%s --help prints its usage and exits 0', async (script) => {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, '--help'], { timeout: 60_000 });
    expect(stdout + stderr).toMatch(new RegExp(`^usage: .*${script === 'bench/run.ts' ? 'npm run bench' : script}`));
    expect(stdout + stderr).not.toContain('[bench]');
  });

  it.each([
    [['--figures', 'nope'], /^\[bench\] refused: unknown figure nope; use ingest, rebuild, incremental, api, freshness\n$/],
    [['--figures', 'api'], /^\[bench\] refused: --figures api needs rebuild too: the API is measured on the rebuilt warehouse\n$/],
    [['--sizes', '5m', '--figures', 'rebuild'], /^\[bench\] refused: unknown size 5m; use 100k, 1m, 10m\n$/],
  ])('npm run bench %j is refused before any work, with the reason and exit code 2', async (args, message) => {
    const r = await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { timeout: 60_000 }).then(() => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
