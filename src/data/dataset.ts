/**
 * The in-memory table every later stage reads: column-major Float64 features and a Float64 target, both views
 * on one SharedArrayBuffer so worker threads receive the data once, with zero copies, never per task.
 */

export interface Dataset {
  /** What the user asked for: "diabetes", a CSV path, or a friedman1 spec. */
  readonly name: string;
  readonly featureNames: readonly string[];
  readonly targetName: string;
  readonly rows: number;
  /** Feature j of row i is x[j * rows + i]. */
  readonly x: Float64Array;
  /** The target: a number per row, or for a classification the row's class index into `classes`. */
  readonly y: Float64Array;
  /**
   * A classification's class names, sorted as scikit-learn's `classes_` (numbers numerically, text by code
   * point); y then holds class indices 0…K−1. Absent for a regression.
   */
  readonly classes?: readonly string[];
  /** The column --fold-col or --group-col names, read beside the features (not one of them). */
  readonly groups?: GroupColumn;
  /**
   * Each feature's type (data/types.ts); absent: every feature numeric. A categorical feature's x holds category
   * codes 0…C−1 into its categories; a missing value is NaN whatever the type.
   */
  readonly featureInfo?: readonly FeatureInfo[];
}

export type FeatureInfo = { kind: 'numeric' } | { kind: 'boolean' } | { kind: 'time' } | { kind: 'categorical'; categories: readonly string[] };

/** Whether a value read from outside (a saved model, the cluster's data store) is a FeatureInfo. */
export function isFeatureInfo(t: unknown): t is FeatureInfo {
  const o = t as { kind?: unknown; categories?: unknown };
  if (o === null || typeof o !== 'object') return false;
  if (o.kind === 'categorical') return Array.isArray(o.categories) && o.categories.every((c) => typeof c === 'string') && Object.keys(o).length === 2;
  return (o.kind === 'numeric' || o.kind === 'boolean' || o.kind === 'time') && Object.keys(o).length === 1;
}

/** Feature j's type (numeric when the dataset says nothing). */
export function featureInfoOf(data: Pick<Dataset, 'featureInfo'>, j: number): FeatureInfo {
  return data.featureInfo?.[j] ?? NUMERIC;
}

const NUMERIC: FeatureInfo = { kind: 'numeric' };

/** The fields a dataset carries beside its numbers (classes, groups, feature types), to put on a new copy of it. */
export function extrasOf(data: Dataset): Pick<Dataset, 'classes' | 'groups' | 'featureInfo'> {
  return { ...(data.classes ? { classes: data.classes } : {}), ...(data.groups ? { groups: data.groups } : {}), ...(data.featureInfo ? { featureInfo: data.featureInfo } : {}) };
}

/** A column that places rows in folds (--fold-col, --group-col), coded: codes[i] indexes values (sorted as classes). */
export interface GroupColumn {
  readonly column: string;
  readonly codes: Int32Array;
  readonly values: readonly string[];
}

/** The part of a Dataset that crosses to a worker thread (structured-clone friendly, buffer shared). */
export interface SharedDatasetHandle {
  name: string;
  featureNames: string[];
  targetName: string;
  rows: number;
  buffer: SharedArrayBuffer;
  classes?: string[];
  featureInfo?: FeatureInfo[];
  /** Its codes on a SharedArrayBuffer too (a cluster worker's pool threads plan the folds from it). */
  groups?: GroupColumn;
}

export function featureCount(data: Dataset): number {
  return data.featureNames.length;
}

/** A zero-copy view of feature j. */
export function column(data: Dataset, j: number): Float64Array {
  return data.x.subarray(j * data.rows, (j + 1) * data.rows);
}

/** Allocate an empty dataset on one SharedArrayBuffer: features first, then the target. */
export function allocateDataset(name: string, featureNames: readonly string[], targetName: string, rows: number, classes?: readonly string[]): Dataset {
  const f = featureNames.length;
  const buffer = new SharedArrayBuffer(8 * rows * (f + 1));
  return fromBuffer({ name, featureNames: [...featureNames], targetName, rows, buffer, ...(classes ? { classes: [...classes] } : {}) });
}

/** The number of classes of a classification, 0 for a regression. */
export function classCount(data: Pick<Dataset, 'classes'>): number {
  return data.classes?.length ?? 0;
}

export function fromBuffer(h: SharedDatasetHandle): Dataset {
  const f = h.featureNames.length;
  return {
    name: h.name,
    featureNames: h.featureNames,
    targetName: h.targetName,
    rows: h.rows,
    x: new Float64Array(h.buffer, 0, h.rows * f),
    y: new Float64Array(h.buffer, 8 * h.rows * f, h.rows),
    ...(h.classes ? { classes: h.classes } : {}),
    ...(h.groups ? { groups: h.groups } : {}),
    ...(h.featureInfo ? { featureInfo: h.featureInfo } : {}),
  };
}

/** The handle to send to workers; copies into a SharedArrayBuffer only if the dataset is not on one already. */
export function shareDataset(data: Dataset): SharedDatasetHandle {
  const f = data.featureNames.length;
  const buf = data.x.buffer;
  const onOneShared =
    buf instanceof SharedArrayBuffer &&
    data.y.buffer === buf &&
    data.x.byteOffset === 0 &&
    data.y.byteOffset === 8 * data.rows * f &&
    buf.byteLength === 8 * data.rows * (f + 1);
  if (onOneShared) {
    return {
      name: data.name, featureNames: [...data.featureNames], targetName: data.targetName, rows: data.rows, buffer: buf as SharedArrayBuffer,
      ...(data.classes ? { classes: [...data.classes] } : {}),
      ...(data.groups ? { groups: sharedGroups(data.groups) } : {}),
      ...(data.featureInfo ? { featureInfo: [...data.featureInfo] } : {}),
    };
  }
  const copy = allocateDataset(data.name, data.featureNames, data.targetName, data.rows, data.classes);
  copy.x.set(data.x);
  copy.y.set(data.y);
  return shareDataset({ ...copy, ...extrasOf(data) });
}

/** Keep only some rows (e.g. after --missing drop); returns a new dataset. */
export function selectRows(data: Dataset, keep: Uint32Array): Dataset {
  const f = data.featureNames.length;
  const out = allocateDataset(data.name, data.featureNames, data.targetName, keep.length, data.classes);
  for (let j = 0; j < f; j++) {
    const src = column(data, j);
    const dst = column(out, j);
    for (let k = 0; k < keep.length; k++) dst[k] = src[keep[k]];
  }
  for (let k = 0; k < keep.length; k++) out.y[k] = data.y[keep[k]];
  const extras = extrasOf(data);
  return { ...out, ...extras, ...(data.groups ? { groups: selectGroupRows(data.groups, keep) } : {}) };
}

/** The group column of the kept rows; values no kept row holds are dropped (so every value names a non-empty group). */
function selectGroupRows(groups: GroupColumn, keep: Uint32Array): GroupColumn {
  const remap = new Int32Array(groups.values.length).fill(-1);
  for (let k = 0; k < keep.length; k++) remap[groups.codes[keep[k]]] = 0;
  const values: string[] = [];
  remap.forEach((v, c) => {
    if (v === 0) remap[c] = values.push(groups.values[c]) - 1;
  });
  const codes = new Int32Array(keep.length);
  for (let k = 0; k < keep.length; k++) codes[k] = remap[groups.codes[keep[k]]];
  return { column: groups.column, codes, values };
}

/** The group column with its codes on a SharedArrayBuffer (so sending a handle shares them, never copies). */
function sharedGroups(groups: GroupColumn): GroupColumn {
  if (groups.codes.buffer instanceof SharedArrayBuffer) return groups;
  const codes = new Int32Array(new SharedArrayBuffer(4 * groups.codes.length));
  codes.set(groups.codes);
  return { ...groups, codes };
}
