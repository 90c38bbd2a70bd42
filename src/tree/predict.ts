/**
 * Batched prediction on raw Float64 features (column-major, stride = the dataset's row count), so a saved forest
 * predicts any CSV with the same columns without its bins. Trees are added in tree order, so the floating-point
 * sum, and the prediction, is the same on every thread.
 */
import type { TreeArrays } from './tree.js';

/** The prediction subset of a tree (what a saved model keeps). */
export type PredictTree = Pick<TreeArrays, 'feature' | 'threshold' | 'left' | 'right' | 'value'>;

/** Values per node of a tree (tree.ts): 1, or a classifier's per-class probabilities. */
export function valueWidth(tree: Pick<TreeArrays, 'feature' | 'value'>): number {
  return tree.feature.length > 0 ? tree.value.length / tree.feature.length : 1;
}

/** out[k] += tree's value for row rows[k] of x (width W: out[k·W + j] += value j). */
export function addTreePredictions(tree: PredictTree, x: Float64Array, stride: number, rows: Uint32Array, out: Float64Array): void {
  const { feature, threshold, left, right, value } = tree;
  const W = valueWidth(tree);
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
export function predictForest(trees: readonly PredictTree[], x: Float64Array, stride: number, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length * (trees.length > 0 ? valueWidth(trees[0]) : 1));
  for (const t of trees) addTreePredictions(t, x, stride, rows, out);
  const inv = trees.length > 0 ? 1 / trees.length : 0;
  for (let k = 0; k < out.length; k++) out[k] *= inv;
  return out;
}

/**
 * The same predictions from bin codes (column-major, code of feature f for row r at codes[f·stride + r]), for a
 * thread that holds its rows' codes but not their raw values (a native worker). A split "x ≤ threshold" is
 * "code ≤ binThreshold" (binning.ts: code b means thr[b−1] < x ≤ thr[b]; NaN has the last code and goes right
 * both ways), so every row reaches the same leaf, and the trees are added in the same order: the same bits.
 */
export function predictForestBinned(
  trees: readonly Pick<TreeArrays, 'feature' | 'binThreshold' | 'left' | 'right' | 'value'>[],
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

function addBinnedTreePredictions(tree: Pick<TreeArrays, 'feature' | 'binThreshold' | 'left' | 'right' | 'value'>, codes: Uint8Array, stride: number, rows: Uint32Array, out: Float64Array): void {
  const { feature, binThreshold, left, right, value } = tree;
  const W = valueWidth(tree);
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
