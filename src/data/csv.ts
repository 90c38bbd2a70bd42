/**
 * Streaming CSV reader. A plain numeric file takes the fast path (csv-fast.ts: bytes scanned straight into the
 * column blocks); any other file, and any file the fast path gives up on, is read (again) on the general path:
 * fs.createReadStream → a NUL-byte guard → csv-parse (strings, no casting) → one pass
 * per record that parses only the selected columns straight into float64 column blocks → one copy onto the
 * dataset's SharedArrayBuffer. No row objects, never the whole file in memory as text.
 *
 * Every failure is a DataError located at file:line:column (column = 1-based field index, and the column's
 * name in the message). The line is the one where the record ends; it differs from where it starts only
 * when a quoted field spans lines.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { DataError } from '../errors.js';
import { csvErrorToDataError, fsErrorToDataError, isFsError } from './csv-errors.js';
import { scanPlainCsv } from './csv-fast.js';
import { RecordSink } from './csv-sink.js';
import type { LoadedData, LoadOptions } from './options.js';

/** A longer line is refused at once: it is almost surely not a CSV (or a quote that never closes). */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

/** Read a numeric CSV with a header line. `name` becomes Dataset.name (default: the path). */
export async function readCsv(file: string, options: LoadOptions = {}, name = file): Promise<LoadedData> {
  // Only a regular file can be read twice: a pipe's bytes would be gone when the fast path gives up.
  const before = await checkIsFile(file);
  const regular = before.isFile();
  const fast = regular ? await readPlainCsv(file, options, name) : null;
  const loaded = fast ?? (await readCsvParse(file, options, name));
  if (regular) await checkUnchanged(file, before);
  return loaded;
}

/**
 * A file rewritten while it was read (a job still writing it, an editor saving) would mix old and new rows: its
 * size and modification time must be the same after the read as before, or the load is refused.
 */
export async function checkUnchanged(file: string, before: Awaited<ReturnType<typeof stat>>): Promise<void> {
  let after: Awaited<ReturnType<typeof stat>>;
  try {
    after = await stat(file);
  } catch (err) {
    throw fsErrorToDataError(err, file);
  }
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ino !== before.ino) {
    throw new DataError(`the file changed while it was being read (size ${before.size} → ${after.size} bytes)`, { file }, 'run again once whatever writes it has finished');
  }
}

/** The fast path (csv-fast.ts); null when the file is not plain and csv-parse must read it. */
async function readPlainCsv(file: string, options: LoadOptions, name: string): Promise<LoadedData | null> {
  const sink = new RecordSink(file, name, options);
  return (await scanPlainCsv(file, sink)) ? sink.finish() : null;
}

/** The general path: every CSV, every error located. */
async function readCsvParse(file: string, options: LoadOptions, name: string): Promise<LoadedData> {
  const sink = new RecordSink(file, name, options);
  const parser = parse({
    cast: false,
    bom: true,
    relax_column_count: true, // ragged rows are reported by the sink, with expected vs got and the column name
    skip_empty_lines: true,
    // Explicit, because csv-parse's auto-discovery allocates three Buffers per byte until it meets a line break
    // (a line-less file would crawl at ~2 MB/s to the size limit).
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_LINE_BYTES,
  });
  // 'data' fires synchronously inside the parser's push while the stream flows, so parser.info.lines is the
  // line of this very record; the records counter proves it (if it ever lags, the line is left out).
  parser.on('data', (record: string[]) => {
    if (sink.failed) return;
    const inStep = parser.info.records === sink.records + 1;
    try {
      sink.push(record, inStep ? parser.info.lines : undefined);
    } catch (err) {
      sink.failed = true;
      parser.destroy(err as Error);
    }
  });
  try {
    await pipeline(createReadStream(file, { highWaterMark: READ_CHUNK }), textGuard(file), parser);
  } catch (err) {
    if (err instanceof DataError) throw err;
    if (isFsError(err)) throw fsErrorToDataError(err, file);
    throw csvErrorToDataError(err, file, sink.header);
  }
  return sink.finish();
}

/** Refuse a missing file or a directory; its stat (isFile() false for a pipe, a device, …). */
async function checkIsFile(file: string): Promise<Awaited<ReturnType<typeof stat>>> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (err) {
    throw fsErrorToDataError(err, file);
  }
  if (info.isDirectory()) throw new DataError('is a directory, not a CSV file', { file });
  return info;
}

/** Refuse binary input early: a NUL byte never occurs in a text CSV (UTF-16 text is full of them). */
function textGuard(file: string): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      const utf16 = first && chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff));
      first = false;
      if (utf16) return done(new DataError('not a text CSV file: it is UTF-16 encoded', { file }, 'save it as UTF-8'));
      if (chunk.indexOf(0) !== -1) return done(new DataError('not a text CSV file (it contains NUL bytes)', { file }));
      done(null, chunk);
    },
  });
}
