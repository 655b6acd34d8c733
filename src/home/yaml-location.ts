// Where a key sits in a YAML (or JSON) config file, so that every config error names its line and key.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, isMap, parseDocument, type Document } from 'yaml';

export interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  /** The first syntax error, with its line; the document is unusable when set. */
  syntaxError?: { line: number; message: string };
}

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length === 0) return { doc, lines };
  const e = doc.errors[0];
  return { doc, lines, syntaxError: { line: lines.linePos(e.pos[0]).line, message: e.message.split('\n')[0] } };
}

/** "line 7, key kpis.conversion_rate.below" for a path in the document (the nearest node that exists). */
export function locate(doc: Document, lines: LineCounter, path: readonly (string | number)[]): string {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    // The key's line (a block value starts on the next one), else the value's (a flow sequence has no keys).
    const range = keyRange(doc, path.slice(0, n)) ?? (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      const { line } = lines.linePos(range[0]);
      return path.length ? `line ${line}, key ${path.join('.')}` : `line ${line}`;
    }
  }
  return path.length ? `key ${path.join('.')}` : '';
}

function keyRange(doc: Document, path: readonly (string | number)[]): [number, number, number] | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[path.length - 1]);
  return (pair?.key as { range?: [number, number, number] } | undefined)?.range;
}

/** A config file's text; a missing or unreadable file becomes the error `fail` makes of the problem. */
export function readConfigText(file: string, fail: (problem: string) => Error, missing = 'no such file'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? missing : `cannot be read (${code ?? (e as Error).message})`);
  }
}

/** The config file named (an option), else the one in the environment, else the default when it exists; null: none. */
export function chooseConfigFile(named: string | undefined, fromEnv: string | undefined, fallback: string): string | null {
  const explicit = named ?? (fromEnv || undefined);
  if (explicit) return resolve(explicit);
  return existsSync(fallback) ? fallback : null;
}
