/**
 * Materialising one group of the cross-join (dataset × grid × folds), grouped by (config, fold), as an Arrow IPC
 * stream. Every group carries all N rows in their original order plus a `training` column that is true where the
 * row trains in this fold; the grouping keys (config index, fold, params) travel as schema metadata, since a
 * constant column per key would be N copies of one value. The bytes own their ArrayBuffer exactly, so they can
 * be transferred to a worker rather than cloned.
 */
import * as arrow from 'apache-arrow';
import { column, isFeatureInfo, type Dataset, type FeatureInfo } from '../../data/dataset.js';
import { rolesOf, TRAIN, UNUSED, type FoldPlan } from '../../data/folds.js';
import { UsageError } from '../../errors.js';
import type { Params } from '../../models/params.js';
import { TRAINING_COLUMN } from './types.js';

export const META_CONFIG = 'sweep.config';
export const META_FOLD = 'sweep.fold';
export const META_PARAMS = 'sweep.params';
/** A classification's class names (JSON list), in the order of the target column's dictionary. */
export const META_CLASSES = 'sweep.classes';
/** The features' types (JSON list) when any is not numeric: a categorical feature's column holds category codes. */
export const META_TYPES = 'sweep.types';

export interface GroupKey {
  config: number;
  fold: number;
  params: Params;
}

/** Refuse datasets whose column names would clash with the group's own `training` column. */
export function checkGroupColumns(data: Dataset): void {
  const names = [...data.featureNames, data.targetName];
  if (names.includes(TRAINING_COLUMN)) {
    throw new UsageError(`the udf strategy adds a column named "${TRAINING_COLUMN}" to each group; the data already has one`, 'rename or --ignore that column');
  }
}

/** Bit k set when the k-th role is TRAIN (Arrow's LSB-first validity/boolean bit order). */
export function trainingBitmap(roles: Uint8Array): Uint8Array {
  const bits = new Uint8Array((roles.length + 7) >>> 3);
  for (let i = 0; i < roles.length; i++) if (roles[i] === TRAIN) bits[i >>> 3] |= 1 << (i & 7);
  return bits;
}

/**
 * The group as an Arrow table: the dataset's rows in row order with the `training` flag, zero-copy views of the
 * dataset's columns (the bitmap is new). A split that leaves rows out (time series) marks them null in `training`
 * for a built-in model, which keys its randomness on the row's place in the whole dataset; a user's UDF, which
 * knows only true and false, gets copies of the used rows alone (`userModule`).
 */
export function groupTable(data: Dataset, folds: Pick<FoldPlan, 'roles' | 'rows'>, key: GroupKey, userModule = false): arrow.Table {
  const all = rolesOf(folds, key.fold);
  const used = userModule && all.includes(UNUSED) ? rowsUsed(all) : null;
  const pick = (v: Float64Array) => (used === null ? v : Float64Array.from(used, (i) => v[i]));
  const roles = used === null ? all : Uint8Array.from(used, (i) => all[i]);
  const children: Record<string, arrow.Vector> = {};
  data.featureNames.forEach((name, j) => {
    children[name] = arrow.makeVector(pick(column(data, j)));
  });
  children[data.targetName] = data.classes ? labelVector(pick(data.y), data.classes) : arrow.makeVector(pick(data.y));
  children[TRAINING_COLUMN] = trainingVector(roles);
  const plain = new arrow.Table(children);
  const metadata = new Map([
    [META_CONFIG, String(key.config)],
    [META_FOLD, String(key.fold)],
    [META_PARAMS, JSON.stringify(key.params)],
  ]);
  if (data.classes) metadata.set(META_CLASSES, JSON.stringify(data.classes));
  if (data.featureInfo) metadata.set(META_TYPES, JSON.stringify(data.featureInfo));
  const schema = new arrow.Schema(plain.schema.fields, metadata);
  return new arrow.Table(schema, plain.batches.map((b) => new arrow.RecordBatch(schema, b.data)));
}

/**
 * A classification's labels as given — text, as a dictionary column (the class names once, an Int32 index per
 * row), which a UDF reads as strings with `get(i)` and a built-in model as class indices.
 */
function labelVector(y: Float64Array, classes: readonly string[]): arrow.Vector {
  const dictionary = arrow.vectorFromArray([...classes], new arrow.Utf8());
  const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
  return arrow.makeVector(arrow.makeData({ type, length: y.length, nullCount: 0, data: Int32Array.from(y), dictionary }));
}

/** The features' types of a group (null: every feature numeric); a categorical feature's column holds codes into its categories. */
export function groupTypes(table: arrow.Table): FeatureInfo[] | null {
  const raw = table.schema.metadata.get(META_TYPES);
  if (raw === undefined) return null;
  const v: unknown = JSON.parse(raw);
  if (!Array.isArray(v) || !v.every(isFeatureInfo)) throw new Error('group has a malformed sweep.types list');
  return v as FeatureInfo[];
}

/** The class names of a classification group (null: a regression). */
export function groupClasses(table: arrow.Table): string[] | null {
  const raw = table.schema.metadata.get(META_CLASSES);
  if (raw === undefined) return null;
  const v: unknown = JSON.parse(raw);
  if (!Array.isArray(v) || v.length < 2 || !v.every((c) => typeof c === 'string')) throw new Error('group has a malformed sweep.classes list');
  return v as string[];
}

/** A Uint8Array that is the whole of its ArrayBuffer (a view into a larger or pooled buffer is copied). */
export function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const buf = bytes.buffer;
  if (buf instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buf.byteLength) return bytes as Uint8Array<ArrayBuffer>;
  const copy = new Uint8Array(new ArrayBuffer(bytes.byteLength));
  copy.set(bytes);
  return copy;
}

/** The group as transferable Arrow IPC stream bytes. */
export function encodeGroup(data: Dataset, folds: Pick<FoldPlan, 'roles' | 'rows'>, key: GroupKey, userModule = false): Uint8Array<ArrayBuffer> {
  return ownBuffer(arrow.tableToIPC(groupTable(data, folds, key, userModule), 'stream'));
}

/** The `training` column: true, false, or null for a row the split leaves out. */
function trainingVector(roles: Uint8Array): arrow.Vector {
  const n = roles.length;
  let unused = 0;
  for (let i = 0; i < n; i++) if (roles[i] === UNUSED) unused++;
  if (unused === 0) return arrow.makeVector(arrow.makeData({ type: new arrow.Bool(), length: n, nullCount: 0, data: trainingBitmap(roles) }));
  const valid = new Uint8Array((n + 7) >>> 3);
  for (let i = 0; i < n; i++) if (roles[i] !== UNUSED) valid[i >>> 3] |= 1 << (i & 7);
  return arrow.makeVector(arrow.makeData({ type: new arrow.Bool(), length: n, nullCount: unused, nullBitmap: valid, data: trainingBitmap(roles) }));
}

/** The rows a split trains or tests on, ascending. */
function rowsUsed(roles: Uint8Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < roles.length; i++) if (roles[i] !== UNUSED) n++;
  const out = new Uint32Array(n);
  for (let i = 0, k = 0; i < roles.length; i++) if (roles[i] !== UNUSED) out[k++] = i;
  return out;
}

/** The grouping keys of a decoded group. */
export function groupKeyOf(table: arrow.Table): GroupKey {
  const meta = table.schema.metadata;
  const config = Number(meta.get(META_CONFIG));
  const fold = Number(meta.get(META_FOLD));
  const params = JSON.parse(meta.get(META_PARAMS) ?? '{}') as Params;
  if (!Number.isInteger(config) || !Number.isInteger(fold)) throw new Error('group has no sweep.config / sweep.fold metadata');
  return { config, fold, params };
}
