/**
 * The fast path of readCsv, for the common case: a plain CSV — no quote characters, no NUL bytes, LF or CRLF line
 * ends, every row as wide as the header, every selected cell a plain decimal (decimal.ts), a text label or, when
 * --missing keeps them, a missing value. It scans the bytes of large chunks itself and writes numbers straight into
 * the RecordSink's column blocks, with no string per numeric cell and no csv-parse (which alone runs at about a
 * quarter of pandas' speed).
 *
 * It is a pure optimisation: the moment it meets anything else — a quote, a lone CR, a missing cell that is to be
 * dropped or refused, a bad cell, a ragged row, a line over MAX_FAST_LINE bytes, a header that the sink refuses, a read error — it
 * gives up, and readCsv reads the whole file again through csv-parse, which reports exactly as before. What it does
 * accept, it reads exactly as csv-parse + parseCell would: header names are the same UTF-8 strings through the same
 * checks, ignored columns are never looked at, blank lines are skipped, a leading UTF-8 BOM is dropped.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ColumnBlocks } from './columns.js';
import type { RecordSink } from './csv-sink.js';
import { cellLabel, numberLabel } from './task.js';
import { parseCell } from './number.js';
import { DecimalScanner } from './decimal.js';

const CHUNK = 4 * 1024 * 1024;
/**
 * Well below csv-parse's record limit (MAX_LINE_BYTES), so the fast path never accepts a line it would refuse;
 * also under half of CHUNK, so a read always has room for new bytes after a carried-over line.
 */
export const MAX_FAST_LINE = 2 * 1024 * 1024;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const GAVE_UP = -1;

/** Lines of a file: its line feeds, plus one for a last line without one; null when it cannot be read (the reader reports it). */
export async function countLines(file: string): Promise<number | null> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const buf = Buffer.allocUnsafe(CHUNK);
    let lines = 0;
    let last = LF;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const view = buf.subarray(0, bytesRead);
      for (let i = view.indexOf(LF); i !== -1; i = view.indexOf(LF, i + 1)) lines++;
      last = view[bytesRead - 1];
    }
    return last === LF ? lines : lines + 1;
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Read the file into the sink; false when it is not plain (the sink is then half-filled: throw it away). */
export async function scanPlainCsv(file: string, sink: RecordSink, delimiter = ','): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    return await scan(handle, new PlainScanner(sink, delimiter.charCodeAt(0)));
  } catch {
    return false; // a read error: csv-parse's path meets it again and reports it
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * One buffer, reused: read into it after the unfinished line carried over from the last read, scan the whole
 * lines, move the rest to the front. No Buffer per chunk, so no garbage that would raise the peak RSS.
 */
async function scan(handle: FileHandle, scanner: PlainScanner): Promise<boolean> {
  const buf = Buffer.allocUnsafe(CHUNK);
  let left = 0; // bytes carried over, at the front of buf
  let first = true;
  for (;;) {
    const { bytesRead } = await handle.read(buf, left, buf.length - left, null);
    if (bytesRead === 0) break;
    const filled = left + bytesRead;
    const fresh = buf.subarray(left, filled);
    if (fresh.indexOf(0) !== -1 || fresh.indexOf(QUOTE) !== -1) return false;
    let pos = 0;
    if (first) {
      first = false;
      if (filled >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return false;
      if (filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    }
    const last = buf.lastIndexOf(LF, filled - 1);
    if (last >= pos) pos = scanner.lines(buf, pos, last + 1);
    if (pos === GAVE_UP) return false;
    left = filled - pos;
    if (left > MAX_FAST_LINE) return false;
    buf.copyWithin(0, pos, filled);
  }
  if (first) return true; // an empty file: the sink reports it
  if (left === 0) return true;
  // The last line has no line feed: give it one, so every line ends in a byte the scanner stops at.
  buf[left] = LF;
  return scanner.lines(buf, 0, left + 1) !== GAVE_UP;
}

class PlainScanner {
  private readonly decimal = new DecimalScanner();
  /** Per header field: the column block it goes to, or −1 when it is not selected. */
  private columnOf: Int32Array | null = null;
  private blocks: ColumnBlocks | null = null;
  /** Set when no target is read: its column holds zeros, as in the csv-parse path. */
  private zeroColumn = -1;
  /** The target's column block (−1: no target read): its cells may be class labels. */
  private targetK = -1;
  /** The group column's block (−1: none): its cells are always labels. */
  private groupK = -1;
  /** Per feature block: the labels seen so far by their bytes (label columns only). */
  private readonly labelCache: (LabelCache | undefined)[] = [];

  /** The field separator's byte (a comma, or a tab for TSV). */
  constructor(
    private readonly sink: RecordSink,
    private readonly sep: number,
  ) {}

  /** Scan the whole lines in buf[pos, end) (buf[end − 1] is a line feed); the new position, or GAVE_UP. */
  lines(buf: Buffer, pos: number, end: number): number {
    while (pos < end) {
      const c = buf[pos];
      if (c === LF) pos++; // a blank line, skipped as csv-parse does
      else if (c === CR && buf[pos + 1] === LF) pos += 2;
      else pos = this.columnOf === null ? this.header(buf, pos) : this.row(buf, pos);
      if (pos === GAVE_UP) return GAVE_UP;
    }
    return pos;
  }

  private header(buf: Buffer, pos: number): number {
    const start = pos;
    const sep = this.sep;
    const names: string[] = [];
    for (let field = pos; ; pos++) {
      const c = buf[pos];
      if (c !== sep && c !== LF && c !== CR) continue;
      names.push(buf.toString('utf8', field, pos));
      if (c === sep) {
        field = pos + 1;
        continue;
      }
      pos = lineEnd(buf, pos);
      break;
    }
    if (pos === GAVE_UP || pos - start > MAX_FAST_LINE) return GAVE_UP;
    try {
      this.sink.push(names, 1);
    } catch {
      return GAVE_UP; // csv-parse's path refuses the same header, at the right line
    }
    const { source, blocks, targetK, groupK } = this.sink.columns!;
    const columnOf = new Int32Array(names.length).fill(-1);
    source.forEach((index, k) => {
      if (index >= 0) columnOf[index] = k;
      else this.zeroColumn = k;
    });
    this.columnOf = columnOf;
    this.blocks = blocks;
    this.targetK = targetK;
    this.groupK = groupK;
    return pos;
  }

  /**
   * A target or group cell as a label (the csv-parse path's rule: a number by its shortest text, text trimmed):
   * the position after it, or GAVE_UP for an empty or missing-word cell (csv-parse's path reports or drops it).
   */
  private label(buf: Buffer, pos: number, v: number, k: number): number {
    const group = k === this.groupK;
    if (v === v) {
      this.blocks!.set(k, group ? this.sink.groupLabel(numberLabel(v)) : this.sink.targetLabel(numberLabel(v)));
      return this.decimal.end;
    }
    const sep = this.sep;
    let end = pos;
    for (let c = buf[end]; c !== sep && c !== LF && c !== CR; c = buf[++end]);
    const text = buf.toString('utf8', pos, end).trim();
    if (this.sink.isMissing(text) || text.includes('\uFFFD')) return GAVE_UP;
    // A number the scanner leaves to csv-parse's rules (" 1.50"): a label once the target is text, else csv-parse's.
    const n = parseCell(text);
    if (group) {
      this.blocks!.set(k, this.sink.groupLabel(cellLabel(text, n)));
      return end;
    }
    if (n === n && !this.sink.hasTextTarget) return GAVE_UP;
    this.blocks!.set(k, this.sink.targetLabel(cellLabel(text, n)));
    return end;
  }

  /**
   * A feature cell that is not a plain number, or one of a label column (the csv-parse path's rules: a missing
   * cell is NaN when --missing keeps it, a number the scanner left to parseCell is that number, anything else a
   * label): the position after it, or GAVE_UP for what the csv-parse path must report or drop.
   */
  private feature(buf: Buffer, pos: number, v: number, k: number): number {
    const sink = this.sink;
    if (v === v) {
      this.blocks!.set(k, sink.featureLabel(k, numberLabel(v)));
      return this.decimal.end;
    }
    const sep = this.sep;
    let end = pos;
    let h = 0x811c9dc5;
    for (let c = buf[end]; c !== sep && c !== LF && c !== CR; c = buf[++end]) h = Math.imul(h ^ c, 0x01000193);
    // A label this column has had before, by its bytes: no string made (most cells of a category column repeat).
    const cache = this.labelCache[k] ?? (this.labelCache[k] = new LabelCache());
    const hit = cache.find(buf, pos, end, h);
    if (hit >= 0) {
      this.blocks!.set(k, hit);
      return end;
    }
    const raw = buf.toString('utf8', pos, end);
    if (raw.includes('\uFFFD')) return GAVE_UP;
    const n = parseCell(raw);
    if (n !== n && sink.isMissing(raw)) {
      if (!sink.keepsMissing) return GAVE_UP;
      this.blocks!.set(k, NaN);
      return end;
    }
    let code: number;
    if (sink.isLabelFeature(k)) code = sink.featureLabel(k, cellLabel(raw, n));
    else if (n === n) {
      this.blocks!.set(k, n);
      return end;
    } else if (sink.isNumericFeature(k)) return GAVE_UP;
    else code = sink.featureLabel(k, raw.trim());
    this.blocks!.set(k, code);
    cache.add(buf, pos, end, h, code); // the column is a label column from here on: these bytes always mean this code
    return end;
  }

  private row(buf: Buffer, pos: number): number {
    const start = pos;
    const sep = this.sep;
    const columnOf = this.columnOf!;
    const blocks = this.blocks!;
    const decimal = this.decimal;
    const lastField = columnOf.length - 1;
    for (let f = 0; ; f++) {
      const k = columnOf[f];
      let c: number;
      if (k >= 0) {
        const v = decimal.scan(buf, pos);
        if (k === this.groupK || (k === this.targetK && (v !== v || this.sink.hasTextTarget))) {
          pos = this.label(buf, pos, v, k);
          if (pos === GAVE_UP) return GAVE_UP;
        } else if (k !== this.targetK && (v !== v || this.sink.isLabelFeature(k))) {
          pos = this.feature(buf, pos, v, k);
          if (pos === GAVE_UP) return GAVE_UP;
        } else {
          if (v !== v) return GAVE_UP;
          blocks.set(k, v);
          pos = decimal.end;
        }
        c = buf[pos];
      } else {
        c = buf[pos];
        while (c !== sep && c !== LF && c !== CR) c = buf[++pos];
      }
      if (f === lastField) {
        if (c === sep) return GAVE_UP; // more fields than the header
        pos = lineEnd(buf, pos);
        break;
      }
      if (c !== sep) return GAVE_UP; // fewer fields, or junk after a number
      pos++;
    }
    if (pos === GAVE_UP || pos - start > MAX_FAST_LINE) return GAVE_UP;
    if (this.zeroColumn >= 0) blocks.set(this.zeroColumn, 0);
    blocks.commit();
    return pos;
  }
}

/**
 * A label column's cells by their bytes → label code, for the labels it has had (at most MAX_CACHED, so a column of
 * ids does not grow it without bound): the hash of the bytes picks the bucket, the bytes themselves decide.
 */
class LabelCache {
  private static readonly MAX_CACHED = 4096;
  private readonly buckets = new Map<number, { bytes: Buffer; code: number }[]>();
  private size = 0;

  find(buf: Buffer, pos: number, end: number, h: number): number {
    const bucket = this.buckets.get(h);
    if (bucket === undefined) return -1;
    for (const e of bucket) if (e.bytes.length === end - pos && buf.compare(e.bytes, 0, e.bytes.length, pos, end) === 0) return e.code;
    return -1;
  }

  add(buf: Buffer, pos: number, end: number, h: number, code: number): void {
    if (this.size >= LabelCache.MAX_CACHED) return;
    const entry = { bytes: Buffer.from(buf.subarray(pos, end)), code };
    const bucket = this.buckets.get(h);
    if (bucket) bucket.push(entry);
    else this.buckets.set(h, [entry]);
    this.size++;
  }
}

/** Past the line end at buf[pos] (LF, or CR LF); GAVE_UP for a lone CR or anything else. */
function lineEnd(buf: Buffer, pos: number): number {
  const c = buf[pos];
  if (c === LF) return pos + 1;
  if (c === CR && buf[pos + 1] === LF) return pos + 2;
  return GAVE_UP;
}
