// Every benchmark command answers --help with its usage, and does no work: `npm run bench -- --help` once ran the
// whole benchmark (19 minutes) and bench/freshness.ts its load test.
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
});
