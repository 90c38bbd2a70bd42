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
 * a saved tree predicts new data without the bins.
 *
 * Missing values: a feature with a NaN anywhere in the dataset gets one more bin, above every value, for them
 * (scikit-learn's HistGradientBoosting keeps a missing-values bin too): its thresholds end with MISSING_EDGE, the
 * largest double, so every value is ≤ it and a NaN (which compares false) takes the bin after. A split can then
 * isolate the missing rows ("x ≤ MISSING_EDGE" left: every value) or send them with the high values, where a
 * threshold split sends a NaN (right) on bins and raw values alike. Which way they go is learned (splitter.ts): a
 * split that sends them left with the low values is a split on a set of bins (tree.ts), which raw prediction reads
 * through the bins (predict.ts), so binned training and raw prediction agree. The feature's maxBins counts its value
 * bins only, as scikit-learn's max_bins.
 *
 * Categorical features (data/types.ts codes 0..C−1 into sorted categories) with C ≤ maxBins get one bin per
 * category whatever rows are read, code c in bin c (thresholds c + ½), so a category no sampled row holds keeps
 * its own bin; their splits are sets of categories (splitter.ts). With more categories than maxBins the codes are
 * binned by quantiles like any number: neighbouring categories (in sorted order) share a bin, and a split sends a
 * bin's categories together (the cap on categories per feature, documented in the README).
 */
import { featureInfoOf, type Dataset } from '../data/dataset.js';
import { permutation } from '../util/random.js';

export const MAX_BINS = 255;
/** The last threshold of a feature with missing values (see above): every value is ≤ it, NaN is not. */
export const MISSING_EDGE = Number.MAX_VALUE;

/** Whether a feature's thresholds end with the missing-values bin's edge. */
export function hasMissingBin(thr: Float64Array): boolean {
  return thr.length > 0 && thr[thr.length - 1] === MISSING_EDGE;
}
export const BINNING_SUBSAMPLE = 200_000;
/** BinnedData.flags bits: the feature is categorical (splits on sets of bins), it has the missing-values bin. */
export const CATEGORICAL = 1;
export const MISSING = 2;
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
  /**
   * Per feature, the value of each bin when every bin holds one distinct value (≤ maxBins distinct values), else
   * an empty array: a split between two non-empty bins then sends the values between them the way scikit-learn's
   * midpoint threshold does (splitter.ts splitBin).
   */
  readonly values: Float64Array[];
  /** Per feature, CATEGORICAL | MISSING bits (the split search reads them; thresholds may be absent there). */
  readonly flags: Uint8Array;
}

/** Thresholds for one column of raw values (the values are not modified). */
export function binThresholds(values: ArrayLike<number>, maxBins: number): Float64Array {
  checkMaxBins(maxBins);
  return thresholdsOfSorted(sortedFinite(values), maxBins);
}

function checkMaxBins(maxBins: number): void {
  if (!(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= MAX_BINS)) throw new RangeError(`maxBins must be an integer from 2 to ${MAX_BINS}, got ${maxBins}`);
}

/** The distinct values of sorted values when there are at most maxBins of them (each is a bin), else none. */
export function binValuesOfSorted(sorted: Float64Array, maxBins: number): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    if (out.length === maxBins) return new Float64Array(0);
    out.push(sorted[i]);
  }
  return Float64Array.from(out);
}

/** binThresholds of values already sorted ascending, NaN removed. */
function thresholdsOfSorted(sorted: Float64Array, maxBins: number): Float64Array {
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
  return sortDoubles(out.subarray(0, n));
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** The radix sort's keys, kept per thread: fresh pages cost more to touch than the sort itself (a few MB). */
let radixScratch = new Uint32Array(0);
const radixCount = new Uint32Array(1 << 16);

/**
 * Sort NaN-free doubles ascending in place: the order of TypedArray#sort (−0 before +0), by an LSD radix sort on
 * their bits (sign-flipped so unsigned order is numeric order; 4 passes of 16 bits) on large arrays, where it is
 * ~4× faster: sorting the 200 000 sampled values of each feature was most of the time spent finding thresholds.
 */
export function sortDoubles(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < 4096 || !LITTLE_ENDIAN) return a.sort();
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n); // word 2i: low half of a[i], 2i + 1: high half
  if (radixScratch.length < 4 * n) radixScratch = new Uint32Array(4 * n);
  let lo = radixScratch.subarray(0, n);
  let hi = radixScratch.subarray(n, 2 * n);
  let lo2 = radixScratch.subarray(2 * n, 3 * n);
  let hi2 = radixScratch.subarray(3 * n, 4 * n);
  encodeKeys(words, lo, hi);
  // Small functions, each optimized once with full type feedback (one long one was recompiled 20 times over two workers).
  for (let pass = 0; pass < 4; pass++) {
    if (!radixPass(pass < 2 ? lo : hi, (pass & 1) * 16, lo, hi, lo2, hi2)) continue;
    const tl = lo;
    lo = lo2;
    lo2 = tl;
    const th = hi;
    hi = hi2;
    hi2 = th;
  }
  decodeKeys(words, lo, hi);
  return a;
}

/** Sign-flipped keys: unsigned order of (hi, lo) is the numeric order of the doubles. */
function encodeKeys(words: Uint32Array, lo: Uint32Array, hi: Uint32Array): void {
  for (let i = 0; i < lo.length; i++) {
    const h = words[2 * i + 1];
    const l = words[2 * i];
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
}

/** One stable counting pass on 16 bits of `key` (lo or hi) from (lo, hi) into (lo2, hi2); false when it would change nothing. */
function radixPass(key: Uint32Array, shift: number, lo: Uint32Array, hi: Uint32Array, lo2: Uint32Array, hi2: Uint32Array): boolean {
  const n = key.length;
  const count = radixCount;
  count.fill(0);
  for (let i = 0; i < n; i++) count[(key[i] >>> shift) & 0xffff]++;
  if (count[(key[0] >>> shift) & 0xffff] === n) return false; // one digit everywhere
  let sum = 0;
  for (let d = 0; d < count.length; d++) {
    const c = count[d];
    count[d] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const p = count[(key[i] >>> shift) & 0xffff]++;
    lo2[p] = lo[i];
    hi2[p] = hi[i];
  }
  return true;
}

function decodeKeys(words: Uint32Array, lo: Uint32Array, hi: Uint32Array): void {
  for (let i = 0; i < lo.length; i++) {
    const h = hi[i];
    if (h & 0x80000000) {
      words[2 * i + 1] = h & 0x7fffffff;
      words[2 * i] = lo[i];
    } else {
      words[2 * i + 1] = ~h >>> 0;
      words[2 * i] = ~lo[i] >>> 0;
    }
  }
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
  if (hasMissingBin(thr)) {
    // The value bins from the other thresholds (the bucket table needs finite edges), then NaN to the missing bin.
    const nt = thr.length;
    binColumn(thr.subarray(0, nt - 1), col, out);
    for (let i = 0; i < col.length; i++) if (col[i] !== col[i]) out[i] = nt;
    return;
  }
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

/**
 * Every BinnedData is built here, as one object shape: the hot loops that read them (split search, histograms,
 * subtree growing) then see a single hidden class; spreads and literals in different places gave V8 several and
 * it deoptimized growSubtree and search on each new one.
 */
export function binnedTable(
  rows: number,
  features: number,
  codes: Uint8Array,
  thresholds: Float64Array[],
  nBins: Int32Array,
  offsets: Int32Array,
  values: Float64Array[] = [],
  flags: Uint8Array = new Uint8Array(features),
): BinnedData {
  return { rows, features, codes, thresholds, nBins, offsets, totalBins: offsets[features], values, flags };
}

/** A binned table's codes replaced (the same bins, flags and layout): a node's samples, a worker's rows. */
export function withCodes(edges: BinEdges, rows: number, codes: Uint8Array, thresholds: Float64Array[] = edges.thresholds): BinnedData {
  return binnedTable(rows, edges.features, codes, thresholds, edges.nBins, edges.offsets, edges.values, edges.flags);
}

/** The flags (CATEGORICAL, MISSING) of features with these thresholds, categorical where `categorical` says so. */
export function binFlags(thresholds: readonly Float64Array[], categorical: ArrayLike<boolean | number> = []): Uint8Array {
  return Uint8Array.from(thresholds, (thr, j) => (categorical[j] ? CATEGORICAL : 0) | (hasMissingBin(thr) ? MISSING : 0));
}

/** Which features of the dataset are categorical (data/types.ts). */
export function categoricalFeatures(data: Pick<Dataset, 'featureInfo' | 'featureNames'>): boolean[] {
  return data.featureNames.map((_, j) => featureInfoOf(data, j).kind === 'categorical');
}

/** A dataset's bins without its codes: thresholds and histogram layout (what a driver that does not scan needs). */
export type BinEdges = Omit<BinnedData, 'codes'>;

/**
 * The rows the thresholds are taken from: all of them, or (undefined) a deterministic subsample of
 * BINNING_SUBSAMPLE rows on larger data, in ascending order (a forward scan of each column instead of random
 * reads: the thresholds depend only on the sampled values, not on their order).
 */
export function binningSample(rows: number): Uint32Array | undefined {
  return rows > BINNING_SUBSAMPLE ? permutation(rows, SUBSAMPLE_SEED).subarray(0, BINNING_SUBSAMPLE).sort() : undefined;
}

/** One feature's bins for one maxBins: its thresholds and, when each bin is one distinct value, those values. */
export interface FeatureBins {
  thresholds: Float64Array;
  values: Float64Array;
}

/** Bins of feature j for each maxBins, from the sample's values (binningSample) or the whole column. */
export function featureBins(data: Dataset, j: number, maxBins: readonly number[], sample: Uint32Array | undefined): FeatureBins[] {
  const col = data.x.subarray(j * data.rows, (j + 1) * data.rows);
  let values: Float64Array = col;
  if (sample) {
    values = new Float64Array(sample.length);
    for (let k = 0; k < sample.length; k++) values[k] = col[sample[k]];
  }
  maxBins.forEach(checkMaxBins);
  const info = featureInfoOf(data, j);
  const categories = info.kind === 'categorical' ? info.categories.length : 0;
  const sorted = sortedFinite(values); // once for every maxBins
  // A missing value anywhere in the column (not only in the sample) gets the missing bin.
  let missing = sorted.length < values.length;
  for (let i = 0; !missing && sample && i < col.length; i++) if (col[i] !== col[i]) missing = true;
  // Bin values only when every row was read: a subsample may miss values that would share a bin.
  return maxBins.map((m) => {
    const own = categories >= 2 && categories <= m; // one bin per category
    const thresholds = own ? Float64Array.from({ length: categories - 1 }, (_, c) => c + 0.5) : thresholdsOfSorted(sorted, m);
    const binValues = own ? Float64Array.from({ length: categories }, (_, c) => c) : sample ? new Float64Array(0) : binValuesOfSorted(sorted, m);
    if (!missing) return { thresholds, values: binValues };
    return { thresholds: Float64Array.of(...thresholds, MISSING_EDGE), values: binValues.length > 0 ? Float64Array.of(...binValues, NaN) : binValues };
  });
}

/**
 * The edges of a table of `rows` rows from its thresholds (and bin values, binValuesOfSorted) per feature; the
 * features `categorical` names split on sets of bins.
 */
export function edgesOf(thresholds: Float64Array[], rows: number, values: Float64Array[] = [], categorical: ArrayLike<boolean | number> = []): BinEdges {
  const features = thresholds.length;
  const nBins = Int32Array.from(thresholds, (t) => t.length + 1);
  const offsets = new Int32Array(features + 1);
  for (let j = 0; j < features; j++) offsets[j + 1] = offsets[j] + nBins[j];
  for (let j = 0; j < values.length; j++) {
    if (values[j].length !== 0 && values[j].length !== nBins[j]) throw new RangeError(`feature ${j} has ${nBins[j]} bins but ${values[j].length} bin values`);
  }
  return { rows, features, thresholds, nBins, offsets, totalBins: offsets[features], values, flags: binFlags(thresholds, categorical) };
}

/** The bins of every feature (thresholds and histogram layout), without binning any row. */
export function binEdges(data: Dataset, maxBins: number): BinEdges {
  const sample = binningSample(data.rows);
  const bins = data.featureNames.map((_, j) => featureBins(data, j, [maxBins], sample)[0]);
  return edgesOf(bins.map((b) => b.thresholds), data.rows, bins.map((b) => b.values), categoricalFeatures(data));
}

/** Codes of rows [a, b) of a column-major table with `rows` rows (column-major over the b − a rows). */
export function binRows(thresholds: readonly Float64Array[], x: Float64Array, rows: number, a: number, b: number): Uint8Array {
  const n = b - a;
  const codes = new Uint8Array(n * thresholds.length);
  thresholds.forEach((thr, j) => binColumn(thr, x.subarray(j * rows + a, j * rows + b), codes.subarray(j * n, (j + 1) * n)));
  return codes;
}

/** binRows for some rows `which` (in their order) instead of a range: codes column-major over the which.length rows. */
export function binRowsAt(thresholds: readonly Float64Array[], x: Float64Array, rows: number, which: Uint32Array): Uint8Array {
  const n = which.length;
  const codes = new Uint8Array(n * thresholds.length);
  const col = new Float64Array(n);
  thresholds.forEach((thr, j) => {
    for (let k = 0; k < n; k++) col[k] = x[j * rows + which[k]];
    binColumn(thr, col, codes.subarray(j * n, (j + 1) * n));
  });
  return codes;
}

/** Bin every feature of the dataset (all rows). */
export function binDataset(data: Dataset, maxBins: number): BinnedData {
  const edges = binEdges(data, maxBins);
  return withCodes(edges, edges.rows, binRows(edges.thresholds, data.x, data.rows, 0, data.rows));
}

/** The binned table for this dataset and maxBins, from the per-thread cache when another task built it. */
export function cachedBins(data: Dataset, maxBins: number, cache?: Map<string, unknown>): BinnedData {
  const key = `bins:${maxBins}`;
  const hit = cache?.get(key) as { x: Float64Array; binned: BinnedData } | undefined;
  if (hit && hit.x === data.x) return hit.binned;
  const binned = binDataset(data, maxBins);
  cacheBins(data, maxBins, binned, cache);
  return binned;
}

/** Put a binned table where cachedBins finds it (the native driver caches edges with no codes: it never scans). */
export function cacheBins(data: Dataset, maxBins: number, binned: BinnedData, cache?: Map<string, unknown>): void {
  cache?.set(`bins:${maxBins}`, { x: data.x, binned });
}
