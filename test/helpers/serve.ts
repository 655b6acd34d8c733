// Starts `storepulse serve` as a real process on a free port and stops it after the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli.js';

export interface ServedProcess {
  url: string;
  child: ChildProcess;
  logs: () => string;
  stop(): Promise<void>;
}

export async function startServe(home: string, extra: string[] = [], env: Record<string, string> = {}): Promise<ServedProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--home', home, '--min-interval', '50', ...extra], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${stdout}\n${stderr}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /dashboard: (http:\/\/[^\s/]+)\//.exec(stdout);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`)); });
  });
  return {
    url, child,
    logs: () => stderr,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Polls until fn returns a truthy value (or throws after timeoutMs). */
/** Posts records to a served process's ingest route and expects them landed (202); returns the answer. */
export async function postRecords(url: string, entity: string, records: unknown[]): Promise<{ accepted: number; rejected: number }> {
  const r = await fetch(`${url}/api/ingest/${entity}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
  if (r.status !== 202) throw new Error(`POST /api/ingest/${entity} answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as { accepted: number; rejected: number };
}

export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads Server-Sent Events `snapshot`s from the stream until `until` accepts one. */
export async function nextSnapshot<T>(url: string, until: (s: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(`${url}/api/stream`, { signal: controller.signal });
    const reader = res.body!.getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += Buffer.from(value).toString();
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (block.includes('event: snapshot') && data) {
          const snapshot = JSON.parse(data.slice(6)) as T;
          if (until(snapshot)) return snapshot;
        }
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
