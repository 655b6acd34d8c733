// Reads a CSV file's header record (RFC 4180 quoting), so DuckDB reads the rest with exactly these columns
// and refuses any row with a different number of fields, instead of guessing the layout from the data.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

export function parseHeaderLine(line: string): string[] {
  const names: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { names.push(cur); cur = ''; }
    else cur += ch;
  }
  names.push(cur);
  return names.map((n) => n.replace(/^\uFEFF/, '').trim());
}

/** The header names, or undefined when the file is empty. */
export async function readCsvHeader(path: string): Promise<string[] | undefined> {
  const raw = createReadStream(path, { highWaterMark: 64 * 1024 });
  const stream = path.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  let text = '';
  try {
    for await (const chunk of stream) {
      text += chunk.toString('utf8');
      // The header ends at the first newline outside quotes.
      let quoted = false;
      for (let i = 0; i < text.length; i++) {
        if (text[i] === '"') quoted = !quoted;
        else if (text[i] === '\n' && !quoted) return parseHeaderLine(text.slice(0, i).replace(/\r$/, ''));
      }
      if (text.length > 1024 * 1024) break;
    }
  } finally {
    raw.destroy();
  }
  return text.trim() === '' ? undefined : parseHeaderLine(text.replace(/\r?\n?$/, ''));
}
