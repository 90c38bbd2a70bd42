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
import { open, stat } from 'node:fs/promises';
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { DataError } from '../errors.js';
import { csvErrorToDataError, fsErrorToDataError, isFsError } from './csv-errors.js';
import { countLines, scanPlainCsv } from './csv-fast.js';
import { RecordSink } from './csv-sink.js';
import type { LoadedData, LoadOptions } from './options.js';

/** A longer line is refused at once: it is almost surely not a CSV (or a quote that never closes). */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

/**
 * Read a CSV (or TSV, or any one-character delimiter; gzip-compressed or not) with a header line. `name` becomes
 * Dataset.name (default: the path); `label` names the input in messages (default: the path; "stdin" for --data -).
 */
export async function readCsv(file: string, options: LoadOptions = {}, name = file, label = file, gzipped?: boolean): Promise<LoadedData> {
  // Only a regular file can be read twice: a pipe's bytes would be gone when the fast path gives up.
  const before = await checkIsFile(file, label);
  const regular = before.isFile();
  // gzip or not: as the caller found it (formats.ts sniffs it), else from the first bytes.
  const gzip = regular && (gzipped ?? isGzip(await fileHead(file, label, 2)));
  const delimiter = await chooseDelimiter(options.delimiter, file, label, gzip);
  const fast = regular && !gzip ? await readPlainCsv(file, options, name, label, delimiter) : null;
  const loaded = fast ?? (await readCsvParse(file, options, name, label, delimiter, gzip));
  if (regular) await checkUnchanged(file, before, label);
  return loaded;
}

/** The first bytes of a file (fewer when it is shorter). */
export async function fileHead(file: string, label: string, bytes: number): Promise<Buffer> {
  try {
    const h = await open(file, 'r');
    try {
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await h.read(buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await h.close();
    }
  } catch (err) {
    throw fsErrorToDataError(err, label);
  }
}

/** gzip's magic number. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The file's bytes as a stream, decompressed when it is gzip (a corrupt one fails with a DataError naming it). */
export function textStream(file: string, gzip: boolean, label: string): Readable {
  const raw = createReadStream(file, { highWaterMark: READ_CHUNK });
  if (!gzip) return raw;
  const gunzip = createGunzip();
  const out = new PassThrough();
  const fail = (err: NodeJS.ErrnoException) =>
    out.destroy(isFsError(err) ? fsErrorToDataError(err, label) : new DataError(`not a valid gzip file (${err.code ?? err.message})`, { file: label }));
  raw.on('error', fail);
  gunzip.on('error', fail);
  raw.pipe(gunzip).pipe(out);
  return out;
}

/**
 * The field delimiter: --delimiter as given (one character; "tab" or "\t" for a tab), else a tab for a .tsv/.tab
 * file or a header line with tabs and no commas, else a comma.
 */
async function chooseDelimiter(asked: string | undefined, file: string, label: string, gzip: boolean): Promise<string> {
  if (asked !== undefined) return asked;
  if (/\.(tsv|tab)(\.gz)?$/i.test(file)) return '\t';
  const line = await firstLine(file, label, gzip);
  return line.includes('\t') && !line.includes(',') ? '\t' : ',';
}

/** The first line of the (decompressed) text, at most 64 KiB of it. */
async function firstLine(file: string, label: string, gzip: boolean): Promise<string> {
  let text = '';
  const stream = textStream(file, gzip, label);
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString('utf8');
      const nl = text.search(/\r|\n/);
      if (nl >= 0) return text.slice(0, nl);
      if (text.length >= 65536) break;
    }
  } catch {
    return text; // the read proper meets the error again and reports it
  } finally {
    stream.destroy();
  }
  return text;
}

/**
 * A file rewritten while it was read (a job still writing it, an editor saving) would mix old and new rows: its
 * size and modification time must be the same after the read as before, or the load is refused.
 */
export async function checkUnchanged(file: string, before: Awaited<ReturnType<typeof stat>>, label = file): Promise<void> {
  let after: Awaited<ReturnType<typeof stat>>;
  try {
    after = await stat(file);
  } catch (err) {
    throw fsErrorToDataError(err, label);
  }
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ino !== before.ino) {
    throw new DataError(`the file changed while it was being read (size ${before.size} → ${after.size} bytes)`, { file: label }, 'run again once whatever writes it has finished');
  }
}

/** The fast path (csv-fast.ts); null when the file is not plain and csv-parse must read it. */
async function readPlainCsv(file: string, options: LoadOptions, name: string, label: string, delimiter: string): Promise<LoadedData | null> {
  // The rows to expect (lines but the header): the columns are then stored where the dataset will live, no copy.
  const lines = await countLines(file);
  const sink = new RecordSink(label, name, options, lines === null ? undefined : Math.max(0, lines - 1));
  return (await scanPlainCsv(file, sink, delimiter)) ? sink.finish() : null;
}

/** The general path: every CSV, every error located. */
async function readCsvParse(file: string, options: LoadOptions, name: string, label: string, delimiter: string, gzip: boolean): Promise<LoadedData> {
  const sink = new RecordSink(label, name, options);
  const parser = parse({
    delimiter,
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
    await pipeline(textStream(file, gzip, label), textGuard(label), parser);
  } catch (err) {
    if (err instanceof DataError) throw err;
    if (isFsError(err)) throw fsErrorToDataError(err, label);
    throw csvErrorToDataError(err, label, sink.header);
  }
  return sink.finish();
}

/** Refuse a missing file or a directory; its stat (isFile() false for a pipe, a device, …). */
export async function checkIsFile(file: string, label = file): Promise<Awaited<ReturnType<typeof stat>>> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (err) {
    throw fsErrorToDataError(err, label);
  }
  if (info.isDirectory()) throw new DataError('is a directory, not a data file', { file: label });
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
