/**
 * The worker's side of a group: the Arrow table back to a `Dataset` and the fold's row indices, so a built-in
 * model fits exactly as it does on the shared dataset. Feature columns become one column-major Float64Array:
 * a zero-copy view when Arrow laid them out back to back and 8-byte aligned in the IPC body (it does for a
 * single record batch without nulls), a copy otherwise.
 */
import type * as arrow from 'apache-arrow';
import type { Dataset } from '../../data/dataset.js';
import { groupClasses, groupTypes } from './groups.js';
import { TRAINING_COLUMN } from './types.js';

export interface GroupRows {
  data: Dataset;
  /** Ascending indices of the rows with training = true. */
  train: Uint32Array;
  /** Ascending indices of the other rows. */
  test: Uint32Array;
}

/** A column's values as one Float64Array (the single chunk's buffer when possible). */
export function float64Column(table: arrow.Table, name: string): Float64Array {
  const vec = table.getChild(name);
  if (!vec) throw new Error(`group has no column "${name}"`);
  if (vec.data.length === 1 && vec.nullCount === 0 && vec.data[0].values instanceof Float64Array && vec.data[0].offset === 0) {
    return vec.data[0].values.subarray(0, vec.length);
  }
  const out = new Float64Array(vec.length);
  for (let i = 0; i < vec.length; i++) out[i] = Number(vec.get(i) ?? NaN);
  return out;
}

/** Features as one column-major array: a view if the columns are contiguous in one buffer, else a copy. */
export function featureMatrix(columns: readonly Float64Array[], rows: number): Float64Array {
  if (columns.length === 0) return new Float64Array(0);
  const first = columns[0];
  const contiguous = columns.every((c, j) => c.length === rows && c.buffer === first.buffer && c.byteOffset === first.byteOffset + 8 * rows * j);
  if (contiguous) return new Float64Array(first.buffer, first.byteOffset, rows * columns.length);
  const x = new Float64Array(rows * columns.length);
  columns.forEach((c, j) => x.set(c, j * rows));
  return x;
}

/** Training and test row indices from the boolean `training` column (null: a row the split leaves out, in neither). */
export function splitRows(table: arrow.Table): { train: Uint32Array; test: Uint32Array } {
  const vec = table.getChild(TRAINING_COLUMN);
  if (!vec) throw new Error(`group has no "${TRAINING_COLUMN}" column`);
  const n = vec.length;
  const flags = new Uint8Array(n);
  const chunk = vec.data[0];
  if (vec.data.length === 1 && vec.nullCount === 0 && chunk.offset === 0) {
    const bits = chunk.values as Uint8Array; // LSB-first, as groups.ts wrote it
    for (let i = 0; i < n; i++) flags[i] = (bits[i >>> 3] >>> (i & 7)) & 1;
  } else {
    for (let i = 0; i < n; i++) {
      const v = vec.get(i);
      flags[i] = v === true ? 1 : v === null ? 2 : 0;
    }
  }
  let nTrain = 0;
  let nTest = 0;
  for (let i = 0; i < n; i++) {
    if (flags[i] === 1) nTrain++;
    else if (flags[i] === 0) nTest++;
  }
  const train = new Uint32Array(nTrain);
  const test = new Uint32Array(nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (flags[i] === 1) train[a++] = i;
    else if (flags[i] === 0) test[b++] = i;
  }
  return { train, test };
}

/** The group as the Dataset the built-in models read, with its fold's rows. */
export function groupDataset(table: arrow.Table, name: string, features: readonly string[], target: string): GroupRows {
  const rows = table.numRows;
  const x = featureMatrix(features.map((f) => float64Column(table, f)), rows);
  const classes = groupClasses(table);
  const featureInfo = groupTypes(table);
  const y = classes ? classIndices(table, target, classes.length) : float64Column(table, target);
  return { data: { name, featureNames: features, targetName: target, rows, x, y, ...(classes ? { classes } : {}), ...(featureInfo ? { featureInfo } : {}) }, ...splitRows(table) };
}

/** A classification group's labels (a dictionary column of the class names) as class indices. */
function classIndices(table: arrow.Table, name: string, classes: number): Float64Array {
  const vec = table.getChild(name);
  if (!vec) throw new Error(`group has no column "${name}"`);
  const out = new Float64Array(vec.length);
  let at = 0;
  for (const chunk of vec.data) {
    const codes = chunk.values as Int32Array;
    for (let i = 0; i < chunk.length; i++) {
      const c = codes[chunk.offset + i];
      if (!(c >= 0 && c < classes)) throw new Error(`group's label ${c} is not a class index`);
      out[at++] = c;
    }
  }
  return out;
}
