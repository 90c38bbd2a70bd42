/**
 * Which reader a file needs: --format-in when given, else its first bytes (Parquet's "PAR1", Arrow IPC's "ARROW1"
 * or a stream's 0xFFFFFFFF continuation marker, gzip's magic number with the text inside judged as below), else its
 * name (.parquet, .arrow / .feather / .ipc, .jsonl / .ndjson), else its first character ("{": JSON lines), else CSV.
 * Standard input (--data -) is spooled to a private temporary file first, so every reader (and the CSV fast path)
 * works on it as on a file, and messages name it "stdin".
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DataError } from '../errors.js';
import { fileHead, isGzip, readCsv, textStream } from './csv.js';
import type { InputFormat, LoadedData, LoadOptions } from './options.js';

/** The format of a file (see the module comment). */
export async function sniffFormat(file: string, label: string): Promise<{ format: InputFormat; gzip: boolean }> {
  const head = await fileHead(file, label, 8);
  const ascii = head.toString('latin1');
  if (ascii.startsWith('PAR1')) return { format: 'parquet', gzip: false };
  if (ascii.startsWith('ARROW1') || (head.length >= 4 && head.readUInt32LE(0) === 0xffffffff)) return { format: 'arrow', gzip: false };
  const gzip = isGzip(head);
  const base = file.replace(/\.gz$/i, '');
  if (/\.parquet$/i.test(base)) return { format: 'parquet', gzip };
  if (/\.(arrow|feather|ipc)$/i.test(base)) return { format: 'arrow', gzip };
  if (/\.(jsonl|ndjson)$/i.test(base)) return { format: 'jsonl', gzip };
  if (/\.(csv|tsv|tab|txt)$/i.test(base)) return { format: 'csv', gzip };
  return { format: (await firstChar(file, gzip, label)) === '{' ? 'jsonl' : 'csv', gzip };
}

async function firstChar(file: string, gzip: boolean, label: string): Promise<string> {
  const stream = textStream(file, gzip, label);
  try {
    for await (const chunk of stream) {
      const m = /\S/.exec((chunk as Buffer).toString('utf8'));
      if (m) return m[0];
    }
  } catch {
    return ''; // the reader meets the error again and reports it
  } finally {
    stream.destroy();
  }
  return '';
}

/** Read a data file of any supported format. */
export async function readInput(file: string, options: LoadOptions, name: string, label: string): Promise<LoadedData> {
  const sniffed = await sniffFormat(file, label);
  const format = options.format ?? sniffed.format;
  if (sniffed.gzip && (format === 'arrow' || format === 'parquet')) throw new DataError(`a gzip-compressed ${format} file: decompress it first (${format} files compress inside)`, { file: label });
  // The other readers (and apache-arrow, hyparquet) are loaded only for their formats: a CSV run never pays for them.
  switch (format) {
    case 'csv':
      return readCsv(file, options, name, label, sniffed.gzip);
    case 'jsonl':
      return (await import('./jsonl.js')).readJsonLines(file, sniffed.gzip, options, name, label);
    case 'arrow':
      return (await import('./arrow.js')).readArrow(file, options, name, label);
    case 'parquet':
      return (await import('./parquet.js')).readParquet(file, options, name, label);
  }
}

/** --data -: standard input, spooled to a private temporary file and read as one. */
export async function readStdin(options: LoadOptions, input: NodeJS.ReadableStream = process.stdin): Promise<LoadedData> {
  if ((input as NodeJS.ReadStream).isTTY) throw new DataError('--data - reads standard input, which is a terminal: pipe a file in (sweep run --data - < data.csv)', { file: 'stdin' });
  const dir = await mkdtemp(join(tmpdir(), 'sweep-stdin-'));
  const file = join(dir, 'stdin');
  try {
    await pipeline(input, createWriteStream(file, { mode: 0o600 }));
    return await readInput(file, options, 'stdin', 'stdin');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
