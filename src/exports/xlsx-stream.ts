// An XLSX download as a stream, written by exceljs's streaming WorkbookWriter (rows are committed as they come,
// never held as a workbook in memory). A sheet holds at most 1,048,576 rows, so a larger export continues on
// the next sheet.
import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';

const ROWS_PER_SHEET = 1_000_000;
/** Rows written between two looks at the buffers downstream. */
const CHECK_EVERY = 1000;
const MAX_BUFFERED = 1 << 20;

/**
 * exceljs hands each sheet's XML to its zip writer without waiting for it: left alone, a fast query fills the
 * zip's input buffer with the whole sheet (450 MB at a million rows). Waiting here while that buffer holds more
 * than a megabyte, or while the response is not draining, keeps memory flat.
 */
async function settle(sheet: ExcelJS.Worksheet, out: Writable): Promise<void> {
  const pipes = (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes ?? [];
  for (const p of pipes) {
    const buffered = () => p.writableLength ?? (p as unknown as { _writableState?: { length: number } })._writableState?.length ?? 0;
    while (buffered() > MAX_BUFFERED) await once(p, 'drain');
  }
  if (out.writableNeedDrain) await once(out, 'drain');
}

export function xlsxStream(columns: readonly string[], batches: AsyncGenerator<Record<string, unknown>[]>, sheetName: string): Readable {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  let cancelled = false;
  out.on('close', () => {
    cancelled = true;
    void batches.return(undefined);
  });
  const write = async () => {
    let sheet: ExcelJS.Worksheet | undefined;
    let inSheet = 0;
    let sheets = 0;
    const newSheet = () => {
      sheet?.commit();
      sheets += 1;
      sheet = book.addWorksheet(sheets === 1 ? sheetName : `${sheetName} ${sheets}`);
      sheet.addRow([...columns]).commit();
      inSheet = 0;
    };
    newSheet();
    for await (const rows of batches) {
      if (cancelled) return;
      for (const r of rows) {
        if (inSheet === ROWS_PER_SHEET) newSheet();
        // Objects (JSON columns) as their text; everything else as the cell's own type.
        sheet!.addRow(columns.map((c) => { const v = r[c]; return v !== null && typeof v === 'object' ? JSON.stringify(v) : v; })).commit();
        inSheet += 1;
        if (inSheet % CHECK_EVERY === 0) await settle(sheet!, out);
      }
    }
    sheet!.commit();
    await book.commit();
  };
  write().catch((e: unknown) => out.destroy(e as Error));
  return out;
}
