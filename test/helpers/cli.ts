// Runs the built `storepulse` command as a child process, the way a user does, and makes temp folders for it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in <root>/test/helpers/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The launcher script; it needs dist/ (built by `npm test` / `npx tsc -p tsconfig.build.json`). */
export const BIN = join(REPO_ROOT, 'bin', 'storepulse.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Passed as `--home DIR`. */
  home?: string;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
}

export interface TempDir {
  path: string;
  cleanup(): void;
}

/** A fresh folder under the OS temp dir; call cleanup() (e.g. in afterAll) to remove it. */
export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix.endsWith('-') ? prefix : `${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs `node bin/storepulse.js ARGS [--home DIR]` and resolves with its exit code and output (never rejects on a non-zero exit). */
export function storepulse(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const argv = [BIN, ...args];
  if (opts.home !== undefined) argv.push('--home', opts.home);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Runs the command, requires exit code 0 and parses stdout as JSON. */
export async function storepulseJson<T = unknown>(args: readonly string[], opts: CliOptions = {}): Promise<T> {
  const r = await storepulse(args, opts);
  if (r.code !== 0) {
    throw new Error(`storepulse ${args.join(' ')} exited with ${r.code}\nstderr: ${r.stderr.slice(0, 4000)}\nstdout: ${r.stdout.slice(0, 2000)}`);
  }
  try {
    return JSON.parse(r.stdout) as T;
  } catch (e) {
    throw new Error(`storepulse ${args.join(' ')} did not print JSON (${(e as Error).message}): ${r.stdout.slice(0, 2000)}`);
  }
}
