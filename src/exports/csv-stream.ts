// A CSV download as a stream: the header, then one chunk of lines per batch of rows from the engine. The HTTP
// response pulls the next batch only when the previous one is on its way, so memory holds a batch, not the file.
import { Readable } from 'node:stream';
import { csvLine } from './csv.js';

export function csvStream(columns: readonly string[], batches: AsyncGenerator<Record<string, unknown>[]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield '\uFEFF' + csvLine(columns); // the byte-order mark makes spreadsheet programs read UTF-8
    for await (const rows of batches) {
      let chunk = '';
      for (const r of rows) chunk += csvLine(columns.map((c) => r[c]));
      yield chunk;
    }
  }
  const stream = Readable.from(lines());
  // A download cancelled half-way ends the query (the engine's cursor closes with the generator).
  stream.on('close', () => { void batches.return(undefined); });
  return stream;
}
