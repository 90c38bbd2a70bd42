/**
 * JSON lines (one JSON object per line, `.jsonl` / `.ndjson`, gzip-compressed or not): the first object's keys, in
 * order, are the header; every line's values go through the CSV reader's RecordSink as the cells of a record, so
 * column selection, a text target, missing values and every message (file:line:column) are the CSV path's. A value
 * is a number (its shortest round-trip text, so parsing it back gives the same double), a string, or null (a
 * missing cell); a key the first line does not have, a nested value or a line that is not an object is an error.
 */
import { DataError } from '../errors.js';
import { fsErrorToDataError, isFsError } from './csv-errors.js';
import { RecordSink, show } from './csv-sink.js';
import { textStream } from './csv.js';
import type { LoadedData, LoadOptions } from './options.js';

export async function readJsonLines(file: string, gzip: boolean, options: LoadOptions, name: string, label: string): Promise<LoadedData> {
  const sink = new RecordSink(label, name, options);
  let keys: string[] | null = null;
  let index: Map<string, number> | null = null;
  let line = 0;
  let rest = '';
  const take = (text: string): void => {
    line++;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new DataError(`not valid JSON (${(err as Error).message.replace(/^.*?: /, '')})`, { file: label, line });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DataError('a JSON lines record must be an object {"column": value, …}', { file: label, line });
    const obj = value as Record<string, unknown>;
    if (keys === null) {
      keys = Object.keys(obj);
      index = new Map(keys.map((k, i) => [k, i] as const));
      sink.push(keys, line);
    }
    const record = new Array<string>(keys.length).fill('');
    for (const [k, v] of Object.entries(obj)) {
      const at = index!.get(k);
      if (at === undefined) throw new DataError(`key ${show(k)} is not in the first record's keys`, { file: label, line }, 'every line needs the keys of the first (null for a missing value)');
      record[at] = cell(v, k, label, line, at);
    }
    sink.push(record, line);
  };
  try {
    for await (const chunk of textStream(file, gzip, label)) {
      const text = rest + (chunk as Buffer).toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop()!;
      if (rest.length > 64 * 1024 * 1024) throw new DataError('a line is over 64 MiB: not JSON lines', { file: label, line: line + 1 });
      for (const l of lines) take(l.endsWith('\r') ? l.slice(0, -1) : l);
    }
    if (rest !== '') take(rest);
  } catch (err) {
    if (err instanceof DataError) throw err;
    if (isFsError(err)) throw fsErrorToDataError(err, label);
    throw new DataError(`cannot read the file: ${(err as Error).message}`, { file: label });
  }
  return sink.finish();
}

function cell(v: unknown, key: string, file: string, line: number, at: number): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  throw new DataError(`key ${show(key)}: a nested ${Array.isArray(v) ? 'array' : 'object'} is not a column value`, { file, line, column: at + 1 });
}
