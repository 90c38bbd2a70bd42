/**
 * Parquet files, read with hyparquet (pure JavaScript, no native build: it installs anywhere Node runs; every
 * codec through hyparquet-compressors). Columns are read column-chunk by column-chunk (onChunk) into float64 or
 * text columns, then columnar.ts makes the Dataset. Numbers (INT32/INT64/FLOAT/DOUBLE, decimals), booleans (0/1)
 * and timestamps (milliseconds) are numeric; UTF-8 strings are text; nested columns are refused.
 */
import { DataError } from '../errors.js';
import { columnsToDataset, type InputColumn } from './columnar.js';
import { fsErrorToDataError, isFsError } from './csv-errors.js';
import type { LoadedData, LoadOptions } from './options.js';

export async function readParquet(file: string, options: LoadOptions, name: string, label: string): Promise<LoadedData> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetRead } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  let buffer: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    if (isFsError(err)) throw fsErrorToDataError(err, label);
    throw new DataError(`not a readable Parquet file (${(err as Error).message})`, { file: label });
  }
  const leaves = metadata.schema.slice(1);
  const nested = leaves.find((e) => (e.num_children ?? 0) > 0);
  if (nested) throw new DataError(`column "${nested.name}" is nested (a group of ${nested.num_children}): only flat tables are read`, { file: label });
  const rows = Number(metadata.num_rows);
  const names = leaves.map((e) => e.name);
  const cells = names.map(() => new Array<unknown>(rows));
  try {
    await parquetRead({
      file: buffer,
      metadata,
      compressors,
      onChunk: (chunk: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number; rowEnd: number }) => {
        const j = names.indexOf(chunk.columnName);
        if (j < 0) return;
        const out = cells[j];
        for (let k = 0; k < chunk.rowEnd - chunk.rowStart; k++) out[chunk.rowStart + k] = chunk.columnData[k];
      },
    });
  } catch (err) {
    throw new DataError(`cannot read the Parquet data (${(err as Error).message})`, { file: label });
  }
  const columns = names.map((n, j): InputColumn => columnOf(n, cells[j], label));
  return columnsToDataset(columns, options, name, label);
}

function columnOf(name: string, cells: readonly unknown[], label: string): InputColumn {
  const text = cells.some((v) => typeof v === 'string');
  if (text) {
    const values = cells.map((v) => (v === null || v === undefined ? null : String(v)));
    return { name, kind: 'text', values };
  }
  const values = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (v === null || v === undefined) values[i] = NaN;
    else if (typeof v === 'number') values[i] = v;
    else if (typeof v === 'bigint') values[i] = Number(v);
    else if (typeof v === 'boolean') values[i] = v ? 1 : 0;
    else if (v instanceof Date) values[i] = v.getTime();
    else throw new DataError(`column "${name}" holds ${Array.isArray(v) ? 'lists' : typeof v === 'object' ? 'objects' : typeof v} (row ${i + 1}), not numbers or text`, { file: label });
  }
  return { name, kind: 'number', values };
}
