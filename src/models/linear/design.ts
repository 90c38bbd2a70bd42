/**
 * The design matrix of the linear models when the data has categories or missing values: part of the fitted
 * model, fitted on a fold's training rows only (no leakage across folds), as scikit-learn's ColumnTransformer of
 * SimpleImputer and OneHotEncoder inside a pipeline, or Spark's Imputer and OneHotEncoder stages.
 *   numeric feature      its value; a missing one imputed (--impute mean, median or most_frequent of the training
 *                        rows; 0 when the training rows have none)
 *   categorical feature  one 0/1 column per category seen in the training rows but the last of them (Spark's
 *                        dropLast, so the columns are not collinear with the intercept); the last, a missing value
 *                        and a category the training rows never saw (at predict time too) are all zeros
 * Data with neither (every feature numeric, no NaN) uses the raw columns as before: no design, the same bits.
 */
import { featureInfoOf, type Dataset } from '../../data/dataset.js';
import { ModelError } from '../../errors.js';
import { columnMeans } from './stats.js';

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent';
export const IMPUTE_STRATEGIES: readonly ImputeStrategy[] = ['mean', 'median', 'most_frequent'];

export interface Design {
  readonly impute: ImputeStrategy;
  /** Per source feature: the value a missing numeric cell takes (NaN for a categorical feature). */
  readonly fill: readonly number[];
  /** Per source feature: the category codes (of the fitted data) that get a column, in order; null for a numeric one. */
  readonly levels: readonly (readonly number[] | null)[];
  /** Per source feature: the fitted data's category names (to read another table's codes by name); null if numeric. */
  readonly categories: readonly (readonly string[] | null)[];
}

/** Whether the linear models need a design for this data: a categorical feature or a missing value (cached). */
export function needsDesign(data: Dataset, cache?: Map<string, unknown>): boolean {
  const hit = cache?.get('linear:needs-design') as { x: Float64Array; needs: boolean } | undefined;
  if (hit && hit.x === data.x) return hit.needs;
  let needs = data.featureInfo?.some((f) => f.kind === 'categorical') ?? false;
  for (let i = 0; !needs && i < data.x.length; i++) if (data.x[i] !== data.x[i]) needs = true;
  cache?.set('linear:needs-design', { x: data.x, needs });
  return needs;
}

/** The design fitted on the training rows of `data`. */
export function fitDesign(data: Dataset, train: Uint32Array, impute: ImputeStrategy): Design {
  const f = data.featureNames.length;
  const fill: number[] = [];
  const levels: (number[] | null)[] = [];
  const categories: (readonly string[] | null)[] = [];
  for (let j = 0; j < f; j++) {
    const info = featureInfoOf(data, j);
    const col = data.x.subarray(j * data.rows, (j + 1) * data.rows);
    if (info.kind === 'categorical') {
      const seen = new Uint8Array(info.categories.length);
      for (let k = 0; k < train.length; k++) {
        const c = col[train[k]];
        if (c === c) seen[c] = 1;
      }
      const present = [...seen.keys()].filter((c) => seen[c] === 1);
      levels.push(present.slice(0, -1));
      categories.push(info.categories);
      fill.push(NaN);
    } else {
      levels.push(null);
      categories.push(null);
      fill.push(imputeValue(col, train, impute));
    }
  }
  return { impute, fill, levels, categories };
}

function imputeValue(col: Float64Array, train: Uint32Array, impute: ImputeStrategy): number {
  const values: number[] = [];
  for (let k = 0; k < train.length; k++) {
    const v = col[train[k]];
    if (v === v) values.push(v);
  }
  if (values.length === 0) return 0;
  if (impute === 'mean') {
    let s = 0;
    for (const v of values) s += v;
    return s / values.length;
  }
  const sorted = Float64Array.from(values).sort();
  if (impute === 'median') {
    const m = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }
  // most_frequent: the smallest of the most frequent values (scikit-learn's SimpleImputer tie rule).
  let best = sorted[0];
  let bestRun = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestRun) {
      bestRun = j - i;
      best = sorted[i];
    }
    i = j;
  }
  return best;
}

/** The number of the design's columns: one per numeric feature, one per level of a categorical one. */
export function designWidth(design: Design): number {
  return design.levels.reduce((w, lv) => w + (lv === null ? 1 : lv.length), 0);
}

/** The design's column names: a numeric feature's own, "feature=category" for a one-hot column. */
export function designNames(design: Design, features: readonly string[]): string[] {
  return features.flatMap((name, j) => {
    const lv = design.levels[j];
    return lv === null ? [name] : lv.map((c) => `${name}=${design.categories[j]![c]}`);
  });
}

/**
 * Per source feature of `data`, its category codes as the design's (by name; −1 for a category the fitted data did
 * not have): null when the codes already are the design's (the same category list) or the feature is numeric.
 */
function codeMaps(design: Design, data: Dataset): (Int32Array | null)[] {
  return design.levels.map((lv, j) => {
    if (lv === null) return null;
    const info = featureInfoOf(data, j);
    if (info.kind !== 'categorical') throw new ModelError(`feature "${data.featureNames[j]}" was categorical when the model was fitted; here it is ${info.kind}`);
    const fitted = design.categories[j]!;
    if (info.categories.length === fitted.length && info.categories.every((c, i) => c === fitted[i])) return null;
    const index = new Map(fitted.map((c, i) => [c, i] as const));
    return Int32Array.from(info.categories, (c) => index.get(c) ?? -1);
  });
}

/**
 * The design's columns for the given rows of a column-major table (`stride` rows per column), column-major with
 * rows.length rows; the table's category codes read through `maps` (codeMaps) when they are another table's.
 */
export function encodeRows(design: Design, x: Float64Array, stride: number, rows: Uint32Array | null, maps?: readonly (Int32Array | null)[]): Float64Array {
  const n = rows === null ? stride : rows.length;
  const out = new Float64Array(designWidth(design) * n);
  let at = 0;
  design.levels.forEach((lv, j) => {
    const base = j * stride;
    if (lv === null) {
      const fill = design.fill[j];
      const dst = out.subarray(at * n, (at + 1) * n);
      for (let k = 0; k < n; k++) {
        const v = x[base + (rows === null ? k : rows[k])];
        dst[k] = v === v ? v : fill;
      }
      at++;
      return;
    }
    const column = new Int32Array(design.categories[j]!.length).fill(-1);
    lv.forEach((c, q) => (column[c] = q));
    const map = maps?.[j] ?? null;
    for (let k = 0; k < n; k++) {
      const v = x[base + (rows === null ? k : rows[k])];
      if (v !== v) continue;
      const c = map === null ? v : map[v];
      const q = c >= 0 ? column[c] : -1;
      if (q >= 0) out[(at + q) * n + k] = 1;
    }
    at += lv.length;
  });
  return out;
}

/** The whole dataset through the design (every row; y, classes kept), as the linear code reads a table. */
export function encodeDataset(design: Design, data: Dataset): Dataset {
  const x = encodeRows(design, data.x, data.rows, null, codeMaps(design, data));
  return { name: data.name, featureNames: designNames(design, data.featureNames), targetName: data.targetName, rows: data.rows, x, y: data.y, ...(data.classes ? { classes: data.classes } : {}) };
}

/** Some rows of a dataset through the design, as a dataset of those rows only (rows 0…m−1). */
export function encodeSubset(design: Design, data: Dataset, rows: Uint32Array): Dataset {
  const x = encodeRows(design, data.x, data.rows, rows, codeMaps(design, data));
  return { name: data.name, featureNames: designNames(design, data.featureNames), targetName: data.targetName, rows: rows.length, x, y: Float64Array.from(rows, (i) => data.y[i]) };
}

/** A cache key of a design fitted on these training rows with this strategy (FNV-1a over the rows). */
function designKey(train: Uint32Array, impute: ImputeStrategy): string {
  let h = 0x811c9dc5;
  for (let k = 0; k < train.length; k++) h = Math.imul(h ^ train[k], 0x01000193);
  return `linear:design:${impute}:${train.length}:${(h >>> 0).toString(16)}`;
}

/** The design of a fit, cached per training rows and strategy; null when the data needs none. */
export function fittedDesign(data: Dataset, train: Uint32Array, impute: ImputeStrategy, cache?: Map<string, unknown>): Design | null {
  if (!needsDesign(data, cache)) return null;
  const key = `${designKey(train, impute)}:fit`;
  const hit = cache?.get(key) as { x: Float64Array; design: Design } | undefined;
  if (hit && hit.x === data.x) return hit.design;
  const design = fitDesign(data, train, impute);
  cache?.set(key, { x: data.x, design });
  return design;
}

/**
 * The design of a fit (null when the data needs none), the data through it and that data's column means (the
 * linear statistics' shift, stats.ts), cached per training rows and strategy.
 */
export function designedData(data: Dataset, train: Uint32Array, impute: ImputeStrategy, cache?: Map<string, unknown>): { design: Design; data: Dataset; shift: Float64Array } | null {
  const design = fittedDesign(data, train, impute, cache);
  if (design === null) return null;
  const key = designKey(train, impute);
  const hit = cache?.get(key) as { x: Float64Array; design: Design; data: Dataset; shift: Float64Array } | undefined;
  if (hit && hit.x === data.x) return hit;
  const encoded = encodeDataset(design, data);
  const entry = { x: data.x, design, data: encoded, shift: columnMeans(encoded) };
  cache?.set(key, entry);
  return entry;
}

/** A saved design, checked (the JSON of a Design). */
export function loadDesign(raw: unknown, features: number): Design {
  const d = raw as Partial<Record<keyof Design, unknown>>;
  const bad = (what: string): never => {
    throw new ModelError(`the saved model's design ${what}`);
  };
  if (d === null || typeof d !== 'object') bad('is not an object');
  if (!IMPUTE_STRATEGIES.includes(d.impute as ImputeStrategy)) bad('has no impute strategy');
  if (!Array.isArray(d.fill) || d.fill.length !== features) bad(`has no fill value per feature (${features})`);
  if (!Array.isArray(d.levels) || d.levels.length !== features || !Array.isArray(d.categories) || d.categories.length !== features) bad('has no levels and categories per feature');
  const levels = d.levels as unknown[];
  const categories = d.categories as unknown[];
  const fill = (d.fill as unknown[]).map((v, j) => (levels[j] === null ? (typeof v === 'number' && Number.isFinite(v) ? v : bad(`fill of feature ${j + 1} is not a number`)) : NaN));
  levels.forEach((lv, j) => {
    const cats = categories[j];
    if (lv === null) return cats === null || bad(`feature ${j + 1} has categories but no levels`);
    if (!Array.isArray(cats) || !cats.every((c) => typeof c === 'string')) return bad(`feature ${j + 1} has levels but no category names`);
    if (!Array.isArray(lv) || !lv.every((c) => Number.isInteger(c) && c >= 0 && c < cats.length)) bad(`levels of feature ${j + 1} are not category indices`);
  });
  return { impute: d.impute as ImputeStrategy, fill, levels: levels as number[][], categories: categories as string[][] };
}

/** The JSON of a design (fill NaN of a categorical feature written as null). */
export function designJson(design: Design): Record<string, unknown> {
  return { impute: design.impute, fill: design.fill.map((v) => (Number.isFinite(v) ? v : null)), levels: design.levels, categories: design.categories };
}

/**
 * Feature importances of a linear model: |coefficient| × the column's standard deviation over the training rows
 * (the coefficient of the standardised column), summed over a categorical feature's columns and averaged over
 * `coefficients`' rows (one per class of a multinomial model). Coefficients are per design column when there is a
 * design, per feature otherwise.
 */
export function standardisedImportances(coefficients: Float64Array, design: Design | undefined, data: Dataset, train: Uint32Array): Float64Array {
  const enc = design ? encodeSubset(design, data, train) : undefined;
  const x = enc ? enc.x : data.x;
  const stride = enc ? enc.rows : data.rows;
  const at = (k: number) => (enc ? k : train[k]);
  const columns = enc ? enc.featureNames.length : data.featureNames.length;
  const source = design ? design.levels.flatMap((lv, j) => (lv === null ? [j] : lv.map(() => j))) : Array.from({ length: columns }, (_, j) => j);
  const models = coefficients.length / columns;
  const out = new Float64Array(data.featureNames.length);
  const n = train.length;
  for (let c = 0; c < columns; c++) {
    let mean = 0;
    for (let k = 0; k < n; k++) mean += x[c * stride + at(k)];
    mean /= n || 1;
    let ss = 0;
    for (let k = 0; k < n; k++) ss += (x[c * stride + at(k)] - mean) ** 2;
    const sd = Math.sqrt(ss / (n || 1));
    let size = 0;
    for (let m = 0; m < models; m++) size += Math.abs(coefficients[m * columns + c]);
    out[source[c]] += (sd * size) / models;
  }
  return out;
}
