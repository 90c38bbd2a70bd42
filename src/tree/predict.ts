/**
 * Batched prediction on raw Float64 features (column-major, stride = the dataset's row count), so a saved forest
 * predicts any CSV with the same columns without its bins. Trees are added in tree order, so the floating-point
 * sum, and the prediction, is the same on every thread.
 */
import { binOf, hasMissingBin } from './binning.js';
import { goesLeft, inSet, type TreeArrays } from './tree.js';

/** The prediction subset of a tree (what a saved model keeps). */
export type PredictTree = Pick<TreeArrays, 'feature' | 'threshold' | 'left' | 'right' | 'value' | 'set' | 'sets'>;

/**
 * Per feature, the bin thresholds a split on a set of bins reads raw values through (binning.ts: the code of a
 * value is binOf; NaN has the missing bin's code, or, where the data had no missing value, is in no set and goes
 * right). Features no set split reads may be absent.
 */
export type SetBins = readonly (Float64Array | undefined)[];

/** Whether a set split on feature f of bins `thr` sends raw value v left. */
function setGoesLeft(thr: Float64Array | undefined, v: number, sets: Int32Array, q: number): boolean {
  if (!thr) throw new RangeError('a split on a set of bins needs the bins of its feature');
  const nt = thr.length;
  const missing = hasMissingBin(thr);
  const code = v !== v ? (missing ? nt : -1) : missing ? Math.min(binOf(thr, v), nt - 1) : binOf(thr, v);
  return code >= 0 && inSet(sets, q, code);
}

/** Values per node of a tree (tree.ts): 1, or a classifier's per-class probabilities. */
export function valueWidth(tree: Pick<TreeArrays, 'feature' | 'value'>): number {
  return tree.feature.length > 0 ? tree.value.length / tree.feature.length : 1;
}

/** out[k] += tree's value for row rows[k] of x (width W: out[k·W + j] += value j). */
export function addTreePredictions(tree: PredictTree, x: Float64Array, stride: number, rows: Uint32Array, out: Float64Array, bins: SetBins = []): void {
  const { feature, threshold, left, right, value, set, sets } = tree;
  const W = valueWidth(tree);
  if (set.length > 0) {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      let node = 0;
      while (left[node] >= 0) {
        const f = feature[node];
        const v = x[f * stride + r];
        const q = set[node];
        node = (q < 0 ? v <= threshold[node] : setGoesLeft(bins[f], v, sets, q)) ? left[node] : right[node];
      }
      for (let j = 0; j < W; j++) out[k * W + j] += value[node * W + j];
    }
    return;
  }
  if (W > 1) {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      let node = 0;
      while (left[node] >= 0) node = x[feature[node] * stride + r] <= threshold[node] ? left[node] : right[node];
      for (let j = 0; j < W; j++) out[k * W + j] += value[node * W + j];
    }
    return;
  }
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    let node = 0;
    let l = left[0];
    while (l >= 0) {
      node = x[feature[node] * stride + r] <= threshold[node] ? l : right[node];
      l = left[node];
    }
    out[k] += value[node];
  }
}

/** Mean of the trees' predictions for the given rows (rows × width, row-major). */
export function predictForest(trees: readonly PredictTree[], x: Float64Array, stride: number, rows: Uint32Array, bins: SetBins = []): Float64Array {
  const out = new Float64Array(rows.length * (trees.length > 0 ? valueWidth(trees[0]) : 1));
  for (const t of trees) addTreePredictions(t, x, stride, rows, out, bins);
  const inv = trees.length > 0 ? 1 / trees.length : 0;
  for (let k = 0; k < out.length; k++) out[k] *= inv;
  return out;
}

/**
 * The same predictions from bin codes (column-major, code of feature f for row r at codes[f·stride + r]), for a
 * thread that holds its rows' codes but not their raw values (a native worker). A split "x ≤ threshold" is
 * "code ≤ binThreshold" (binning.ts: code b means thr[b−1] < x ≤ thr[b]; NaN has the missing bin's code), and a
 * set split reads the same code either way (setGoesLeft), so every row reaches the same leaf, and the trees are added in the same order: the same bits.
 */
export function predictForestBinned(
  trees: readonly BinnedTree[],
  codes: Uint8Array,
  stride: number,
  rows: Uint32Array,
): Float64Array {
  const out = new Float64Array(rows.length * (trees.length > 0 ? valueWidth(trees[0]) : 1));
  for (const t of trees) addBinnedTreePredictions(t, codes, stride, rows, out);
  const inv = trees.length > 0 ? 1 / trees.length : 0;
  for (let k = 0; k < out.length; k++) out[k] *= inv;
  return out;
}

/** What prediction on bin codes reads of a tree. */
export type BinnedTree = Pick<TreeArrays, 'feature' | 'binThreshold' | 'left' | 'right' | 'value' | 'set' | 'sets'>;

function addBinnedTreePredictions(tree: BinnedTree, codes: Uint8Array, stride: number, rows: Uint32Array, out: Float64Array): void {
  const { feature, binThreshold, left, right, value, set, sets } = tree;
  const W = valueWidth(tree);
  if (set.length > 0) {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      let node = 0;
      while (left[node] >= 0) node = goesLeft(codes[feature[node] * stride + r], binThreshold[node], set[node], sets) ? left[node] : right[node];
      for (let j = 0; j < W; j++) out[k * W + j] += value[node * W + j];
    }
    return;
  }
  if (W > 1) {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      let node = 0;
      while (left[node] >= 0) node = codes[feature[node] * stride + r] <= binThreshold[node] ? left[node] : right[node];
      for (let j = 0; j < W; j++) out[k * W + j] += value[node * W + j];
    }
    return;
  }
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    let node = 0;
    let l = left[0];
    while (l >= 0) {
      node = codes[feature[node] * stride + r] <= binThreshold[node] ? l : right[node];
      l = left[node];
    }
    out[k] += value[node];
  }
}

/**
 * Impurity-based feature importances as scikit-learn's feature_importances_: per tree, the impurity decreases
 * summed per feature and normalised to sum 1 (a tree with no split contributes zeros); then the mean over trees,
 * normalised again.
 */
export function featureImportancesOf(trees: readonly Pick<TreeArrays, 'feature' | 'gain'>[], features: number): Float64Array {
  const total = new Float64Array(features);
  const per = new Float64Array(features);
  for (const t of trees) {
    per.fill(0);
    let sum = 0;
    for (let i = 0; i < t.feature.length; i++) {
      const f = t.feature[i];
      if (f >= 0) {
        per[f] += t.gain[i];
        sum += t.gain[i];
      }
    }
    if (sum > 0) for (let f = 0; f < features; f++) total[f] += per[f] / sum;
  }
  let all = 0;
  for (let f = 0; f < features; f++) all += total[f];
  if (all > 0) for (let f = 0; f < features; f++) total[f] /= all;
  return total;
}
