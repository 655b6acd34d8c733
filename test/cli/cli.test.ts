import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, storepulse } from '../helpers/cli.js';

const COMMANDS = ['contracts', 'generate', 'ingest', 'run', 'runs', 'kpis', 'rejects', 'status', 'serve', 'demo'];
const home = mkdtempSync(join(tmpdir(), 'sp-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('storepulse CLI', () => {
  it('prints help for the program and every command', async () => {
    const top = await storepulse(['--help']);
    expect(top.code).toBe(0);
    for (const c of COMMANDS) expect(top.stdout).toContain(c);
    for (const c of COMMANDS) {
      const r = await storepulse([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(new RegExp(`Usage: storepulse ${c}`));
    }
  });

  it('ends with a coded message and exit 2 on bad input, never a stack trace', async () => {
    const cases: [string[], string][] = [
      [['ingest', join(home, 'nope.csv')], 'SP_ERR_PATH_NOT_FOUND'],
      [['kpis'], 'SP_ERR_NO_DATA'],
      [['kpis', '--from', '2026-13-01'], 'SP_ERR_BAD_OPTION'],
      [['kpis', '--by', 'weather'], 'SP_ERR_BAD_OPTION'],
      [['generate', '--out', join(home, 'g'), '--format', 'xml'], 'SP_ERR_BAD_OPTION'],
      [['run', '--warehouse', 'mysql://x'], 'SP_ERR_UNSUPPORTED_WAREHOUSE'],
    ];
    for (const [args, code] of cases) {
      const r = await storepulse(args, { home });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(`error ${code}:`);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('prints errors as JSON for scripts when --json is given', async () => {
    const r = await storepulse(['kpis', '--json'], { home });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'SP_ERR_NO_DATA', message: expect.stringContaining('storepulse ingest') } });
  });

  it('says there is nothing to do when nothing landed since the last run', async () => {
    const first = await storepulse(['run'], { home });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Run \d+ succeeded/); // builds the (empty) gold tables once
    const again = await storepulse(['run'], { home });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Nothing to do/);
  });

  it('finishes quietly when the reader of its output stops early (`| head`)', async () => {
    // The pipe is closed before the command writes: every write it makes fails, as behind a `head` that is done.
    const child = spawn(process.execPath, [BIN, 'contracts', '--json-schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
