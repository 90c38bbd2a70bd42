/**
 * Feature binning: every feature becomes a Uint8Array of bin codes (column-major, like the dataset) plus the raw
 * thresholds between bins, computed ONCE per (dataset, maxBins) over all rows of the dataset, features only.
 *
 * Why all rows and not each fold's training rows: the bins hold no label information, and one binned table then
 * serves every fold, config and tree a thread runs (LightGBM's and XGBoost's `cv` build one binned Dataset for all
 * folds the same way). It is cached in `FitInput.cache` under `bins:<maxBins>`.
 *
 * Thresholds follow scikit-learn's HistGradientBoosting `_find_binning_thresholds`: a feature with ≤ maxBins
 * distinct values gets the midpoints between consecutive distinct values; otherwise the `midpoint` percentiles at
 * 100·k/maxBins (k = 1..maxBins−1), taken on a deterministic subsample of at most 200 000 rows, with duplicates
 * dropped. Code b means thr[b−1] < v ≤ thr[b], so the split "code ≤ b goes left" is "x ≤ thr[b]" on raw values and
 * a saved tree predicts new data without the bins. NaN gets the last code (it compares false, so it goes right).
 */
import type { Dataset } from '../data/dataset.js';
import { permutation } from '../util/random.js';

export const MAX_BINS = 255;
export const BINNING_SUBSAMPLE = 200_000;
const SUBSAMPLE_SEED = 0x5eedb1;

export interface BinnedData {
  readonly rows: number;
  readonly features: number;
  /** Code of feature j for row i at codes[j * rows + i]. */
  readonly codes: Uint8Array;
  /** Raw thresholds per feature (nBins[j] − 1 of them, ascending). */
  readonly thresholds: Float64Array[];
  /** Bins per feature (≥ 1). */
  readonly nBins: Int32Array;
  /** First histogram bin of feature j; offsets[features] is the total number of bins. */
  readonly offsets: Int32Array;
  readonly totalBins: number;
}

/** Thresholds for one column of raw values (the values are not modified). */
export function binThresholds(values: ArrayLike<number>, maxBins: number): Float64Array {
  if (!(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= MAX_BINS)) throw new RangeError(`maxBins must be an integer from 2 to ${MAX_BINS}, got ${maxBins}`);
  const sorted = sortedFinite(values);
  const n = sorted.length;
  if (n === 0) return new Float64Array(0);
  let distinct = 1;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    const thr = new Float64Array(distinct - 1);
    let k = 0;
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) thr[k++] = (sorted[i - 1] + sorted[i]) * 0.5;
    return thr;
  }
  const out: number[] = [];
  for (let k = 1; k < maxBins; k++) {
    // numpy.percentile(method='midpoint'): mean of the two order statistics around q·(n−1).
    const pos = (k / maxBins) * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const v = (sorted[lo] + sorted[hi]) * 0.5;
    if (out.length === 0 || v > out[out.length - 1]) out.push(v);
  }
  // The maximum is never a threshold: code maxBins−1 must stay reachable only by the top values.
  while (out.length > 0 && out[out.length - 1] >= sorted[n - 1]) out.pop();
  return Float64Array.from(out);
}

function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/** Code of v: the number of thresholds strictly below v (binary search, as sklearn's `_map_to_bins`). */
export function binOf(thr: Float64Array, v: number): number {
  let lo = 0;
  let hi = thr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= thr[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * out[i] = binOf(thr, col[i]) for a whole column, fast: a table gives, per bucket of equal width between the
 * first and last thresholds, the code of the bucket's lower edge; a value starts from its bucket's previous
 * bucket and steps up while thresholds are below it. The start is checked (all thresholds before it must be
 * below the value), and a long walk or any doubt falls back to binOf, so every code is exactly binOf's.
 */
export function binColumn(thr: Float64Array, col: Float64Array, out: Uint8Array): void {
  const nt = thr.length;
  const lo = nt > 0 ? thr[0] : 0;
  const hi = nt > 0 ? thr[nt - 1] : 0;
  const buckets = 4 * nt;
  const scale = buckets / (hi - lo);
  if (nt < 2 || !(scale > 0 && scale < Infinity)) {
    for (let i = 0; i < col.length; i++) out[i] = binOf(thr, col[i]);
    return;
  }
  const start = new Int32Array(buckets + 1);
  for (let b = 0; b <= buckets; b++) start[b] = binOf(thr, lo + b / scale);
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (!(v > lo && v <= hi)) {
      out[i] = binOf(thr, v); // ≤ first threshold, above the last, or NaN
      continue;
    }
    const b = Math.floor((v - lo) * scale);
    let c = start[b > 0 ? (b <= buckets ? b - 1 : buckets) : 0];
    if (c > 0 && !(thr[c - 1] < v)) {
      out[i] = binOf(thr, v);
      continue;
    }
    let steps = 0;
    while (c < nt && thr[c] < v) {
      c++;
      if (++steps > 8) {
        c = binOf(thr, v);
        break;
      }
    }
    out[i] = c;
  }
}

/** Bin every feature of the dataset (all rows). */
export function binDataset(data: Dataset, maxBins: number): BinnedData {
  const rows = data.rows;
  const features = data.featureNames.length;
  const codes = new Uint8Array(rows * features);
  const thresholds: Float64Array[] = [];
  const nBins = new Int32Array(features);
  const offsets = new Int32Array(features + 1);
  const sample = rows > BINNING_SUBSAMPLE ? permutation(rows, SUBSAMPLE_SEED).subarray(0, BINNING_SUBSAMPLE) : undefined;
  const scratch = sample ? new Float64Array(sample.length) : undefined;
  for (let j = 0; j < features; j++) {
    const col = data.x.subarray(j * rows, (j + 1) * rows);
    let source: ArrayLike<number> = col;
    if (sample && scratch) {
      for (let k = 0; k < sample.length; k++) scratch[k] = col[sample[k]];
      source = scratch;
    }
    const thr = binThresholds(source, maxBins);
    thresholds.push(thr);
    nBins[j] = thr.length + 1;
    offsets[j + 1] = offsets[j] + nBins[j];
    binColumn(thr, col, codes.subarray(j * rows, (j + 1) * rows));
  }
  return { rows, features, codes, thresholds, nBins, offsets, totalBins: offsets[features] };
}

/** The binned table for this dataset and maxBins, from the per-thread cache when another task built it. */
export function cachedBins(data: Dataset, maxBins: number, cache?: Map<string, unknown>): BinnedData {
  const key = `bins:${maxBins}`;
  const hit = cache?.get(key) as { x: Float64Array; binned: BinnedData } | undefined;
  if (hit && hit.x === data.x) return hit.binned;
  const binned = binDataset(data, maxBins);
  cache?.set(key, { x: data.x, binned });
  return binned;
}
