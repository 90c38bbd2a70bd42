/**
 * Arrow IPC files and streams (Feather v2 is the IPC file format), read with apache-arrow (already the udf
 * strategy's group format): numeric columns (floats, integers, booleans as 0/1, dates and timestamps as
 * milliseconds) become float64, text and dictionary columns text; columnar.ts makes the Dataset.
 */
import { readFile } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { DataError } from '../errors.js';
import { columnsToDataset, type InputColumn } from './columnar.js';
import { fsErrorToDataError } from './csv-errors.js';
import type { LoadedData, LoadOptions } from './options.js';

export async function readArrow(file: string, options: LoadOptions, name: string, label: string, bytes?: Uint8Array): Promise<LoadedData> {
  let buf: Uint8Array;
  try {
    buf = bytes ?? (await readFile(file));
  } catch (err) {
    throw fsErrorToDataError(err, label);
  }
  let table: arrow.Table;
  try {
    table = arrow.tableFromIPC(buf);
  } catch (err) {
    throw new DataError(`not a readable Arrow IPC / Feather file (${(err as Error).message.split('\n')[0]})`, { file: label });
  }
  const columns = table.schema.fields.map((field, j): InputColumn => columnOf(field, table.getChildAt(j)!, label));
  return columnsToDataset(columns, options, name, label);
}

function columnOf(field: arrow.Field, vec: arrow.Vector, label: string): InputColumn {
  const t = field.type;
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isDictionary(t)) {
    const values = new Array<string | null>(vec.length);
    for (let i = 0; i < vec.length; i++) {
      const v = vec.get(i);
      values[i] = v === null || v === undefined ? null : String(v);
    }
    return { name: field.name, kind: 'text', values };
  }
  const numeric = arrow.DataType.isFloat(t) || arrow.DataType.isInt(t) || arrow.DataType.isBool(t) || arrow.DataType.isDate(t) || arrow.DataType.isTimestamp(t) || arrow.DataType.isDecimal(t);
  if (!numeric) throw new DataError(`column "${field.name}" has Arrow type ${String(t)}, which is neither numbers nor text`, { file: label });
  // One float64 chunk without nulls (what a Float64 column written in one batch is): a view of the file's bytes,
  // no copy (columnar.ts copies the selected columns once, into the dataset).
  const only = vec.data.length === 1 ? vec.data[0] : undefined;
  if (only && arrow.DataType.isFloat(t) && only.values instanceof Float64Array && only.nullCount === 0) {
    return { name: field.name, kind: 'number', values: only.values.subarray(only.offset, only.offset + only.length) };
  }
  const values = new Float64Array(vec.length);
  let at = 0;
  for (const chunk of vec.data) {
    if (arrow.DataType.isFloat(t) && chunk.values instanceof Float64Array && chunk.nullCount === 0) {
      values.set(chunk.values.subarray(chunk.offset, chunk.offset + chunk.length), at);
      at += chunk.length;
      continue;
    }
    const part = arrow.makeVector(chunk);
    for (let i = 0; i < chunk.length; i++) {
      const v = part.get(i) as unknown;
      values[at++] = v === null || v === undefined ? NaN : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
    }
  }
  return { name: field.name, kind: 'number', values };
}
