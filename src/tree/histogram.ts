/**
 * Node histograms: one flat Float64Array of totalBins × 3 per node. For (feature, bin) at h = (offsets[f] + b) · 3:
 *   h[0] n = rows of the node in the bin with count > 0 (unweighted: scikit-learn's min_samples_leaf counts
 *          distinct samples of the bootstrap, so minSamplesLeaf needs it),
 *   h[1] w = Σ count,
 *   h[2] s = Σ count · yq.
 * No Σy² (as the issue first proposed): the variance-reduction gain is wL·wR/W·(sL/wL − sR/wR)² and needs only
 * (w, s), while n is needed for minSamplesLeaf. All three are integers below 2^53 (labels.ts), hence exact: the
 * smaller child is built by scanning and its sibling as parent − child with no rounding at all.
 */
import type { BinnedData } from './binning.js';

export const STATS = 3;

export function histogramLength(binned: BinnedData): number {
  return binned.totalBins * STATS;
}

/**
 * Fill `hist` from the samples idx[start, end) (global row indices), with per-sample count and count·yq already
 * gathered in position order into gw/gs[0, end − start) (see gatherSamples). Overwrites `hist`.
 */
export function buildHistogram(
  hist: Float64Array,
  binned: BinnedData,
  idx: Uint32Array,
  start: number,
  end: number,
  gw: Float64Array,
  gs: Float64Array,
): void {
  hist.fill(0);
  const { codes, rows, offsets, features } = binned;
  const n = end - start;
  for (let f = 0; f < features; f++) {
    const base = f * rows;
    const off = offsets[f];
    for (let k = 0; k < n; k++) {
      const h = (off + codes[base + idx[start + k]]) * STATS;
      hist[h] += 1;
      hist[h + 1] += gw[k];
      hist[h + 2] += gs[k];
    }
  }
}

/** Gather count and count·yq of idx[start, end) into gw/gs (LightGBM's "ordered gradients"). */
export function gatherSamples(
  idx: Uint32Array,
  start: number,
  end: number,
  counts: Uint8Array,
  yq: Float64Array,
  gw: Float64Array,
  gs: Float64Array,
): void {
  for (let k = start; k < end; k++) {
    const i = idx[k];
    const c = counts[i];
    gw[k - start] = c;
    gs[k - start] = c * yq[i];
  }
}

/** out = parent − child, elementwise (out may be parent). Exact: all entries are integers below 2^53. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let k = 0; k < out.length; k++) out[k] = parent[k] - child[k];
}

/** into += part, elementwise: merging partition histograms (exact, so the order cannot matter). */
export function addHistogram(into: Float64Array, part: Float64Array): void {
  for (let k = 0; k < into.length; k++) into[k] += part[k];
}

/** Node totals (n, w, s) read off feature 0's bins of a histogram starting at `at`. */
export function histogramTotals(hist: Float64Array, binned: BinnedData, at = 0): { n: number; w: number; s: number } {
  let n = 0;
  let w = 0;
  let s = 0;
  const end = at + binned.nBins[0] * STATS;
  for (let h = at; h < end; h += STATS) {
    n += hist[h];
    w += hist[h + 1];
    s += hist[h + 2];
  }
  return { n, w, s };
}
