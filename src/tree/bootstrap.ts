/**
 * Bagging as integer counts per row, never row copies (scikit-learn's sample_weight *= counts). A row's count
 * in tree t is Poisson(1) by inverse CDF of uniform01(seed, t, row): a pure function of the GLOBAL row index, so
 * any partition of the rows computes its own rows' counts and every strategy and worker count agrees. Tree t of
 * any config uses key (seed, t), so forests of 10 and 50 trees share their first 10 trees (as sklearn with a
 * fixed random_state). Counts are capped at MAX_COUNT (P(Poisson(1) > 15) ≈ 1e-13), which bounds the histogram
 * sums (see labels.ts).
 */
import { hashFinish, hashPrefix, uniform01 } from '../util/random.js';

export const MAX_COUNT = 15;
const BOOTSTRAP_TAG = 0xb007;

/** POISSON_CDF[k] = P(X ≤ k) for X ~ Poisson(1); the last entry is forced to 1. */
const POISSON_CDF = (() => {
  const cdf = new Float64Array(MAX_COUNT + 1);
  let p = Math.exp(-1);
  let acc = 0;
  for (let k = 0; k <= MAX_COUNT; k++) {
    acc += p;
    cdf[k] = acc;
    p /= k + 1;
  }
  cdf[MAX_COUNT] = 1;
  return cdf;
})();

/** Poisson(1) draw from a uniform in [0, 1), capped at MAX_COUNT. */
export function poissonCount(u: number): number {
  let k = 0;
  while (u >= POISSON_CDF[k]) k++;
  return k;
}

/** Count of one row in tree t. */
export function bootstrapCount(seed: number, tree: number, row: number): number {
  return poissonCount(uniform01(seed, tree, row, BOOTSTRAP_TAG));
}

/**
 * Counts for the training rows that fall in [rowStart, rowEnd), written to out[row − rowStart] (0 for rows that
 * do not train). `train` is ascending. bootstrap=false gives every training row count 1.
 */
export function bootstrapCounts(
  seed: number,
  tree: number,
  train: Uint32Array,
  rowStart: number,
  rowEnd: number,
  bootstrap: boolean,
  out: Uint8Array = new Uint8Array(rowEnd - rowStart),
): Uint8Array {
  out.fill(0, 0, rowEnd - rowStart);
  const k0 = lowerBound(train, rowStart);
  if (!bootstrap) {
    for (let k = k0; k < train.length && train[k] < rowEnd; k++) out[train[k] - rowStart] = 1;
    return out;
  }
  // bootstrapCount row by row, with the part of hash32(seed, tree, row, TAG) keyed by (seed, tree) computed once
  // and u = h / 2^32 ≥ cdf compared as h ≥ cdf · 2^32 (both exact).
  const prefix = hashPrefix(seed, tree);
  for (let k = k0; k < train.length && train[k] < rowEnd; k++) {
    const row = train[k];
    const h = hashFinish(prefix, row, BOOTSTRAP_TAG);
    let c = 0;
    while (h >= POISSON_CUT[c]) c++;
    out[row - rowStart] = c;
  }
  return out;
}

/** POISSON_CDF[k] · 2^32: a hash h has uniform01 = h / 2^32 ≥ POISSON_CDF[k] exactly when h ≥ POISSON_CUT[k]. */
const POISSON_CUT = POISSON_CDF.map((p) => p * 4294967296);

/** First k with a[k] ≥ v (a ascending). */
export function lowerBound(a: Uint32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
