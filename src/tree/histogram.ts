/**
 * Node histograms: one flat Float64Array of totalBins × (2 + width) per node. For (feature, bin) at
 * h = (offsets[f] + b) · stride:
 *   h[0]     n = rows of the node in the bin with count > 0 (unweighted: scikit-learn's min_samples_leaf counts
 *              distinct samples of the bootstrap, so minSamplesLeaf needs it),
 *   h[1]     w = Σ count,
 *   h[2 + j] s_j: a regression's (and a two-class label's) Σ count · yq (width 1); with more classes the count of
 *              class j + 1 (class 0's is w − Σ s_j), so a node's class counts are all there (labels.ts).
 * No Σy² (as the issue first proposed): the variance-reduction gain is wL·wR/W·(sL/wL − sR/wR)² and needs only
 * (w, s), while n is needed for minSamplesLeaf. All entries are integers below 2^53 (labels.ts), hence exact: the
 * smaller child is built by scanning and its sibling as parent − child with no rounding at all.
 */
import type { BinnedData } from './binning.js';

/** Entries per bin of a regression or two-class histogram (width 1). */
export const STATS = 3;

/** Entries per bin for `width` label sums. */
export function statsOf(width: number): number {
  return 2 + width;
}

export function histogramLength(binned: BinnedData, width = 1): number {
  return binned.totalBins * statsOf(width);
}

/**
 * Fill `hist` from the samples idx[start, end) (global row indices), with per-sample count and label already
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
  width = 1,
): void {
  hist.fill(0);
  if (width > 1) {
    buildClassHistogram(hist, binned, idx, start, end, gw, gs, width);
    return;
  }
  const { codes, rows, offsets, features } = binned;
  const n = end - start;
  let f = 0;
  // Four features per pass over the samples: each sample's row, count and label are read once for the four (1.5×
  // faster on ascending rows, measured; the sums, exact integers, are the same in any order).
  for (; f + 4 <= features; f += 4) {
    const b0 = f * rows;
    const b1 = b0 + rows;
    const b2 = b1 + rows;
    const b3 = b2 + rows;
    const o0 = offsets[f];
    const o1 = offsets[f + 1];
    const o2 = offsets[f + 2];
    const o3 = offsets[f + 3];
    for (let k = 0; k < n; k++) {
      const r = idx[start + k];
      const w = gw[k];
      const s = gs[k];
      let h = (o0 + codes[b0 + r]) * STATS;
      hist[h] += 1;
      hist[h + 1] += w;
      hist[h + 2] += s;
      h = (o1 + codes[b1 + r]) * STATS;
      hist[h] += 1;
      hist[h + 1] += w;
      hist[h + 2] += s;
      h = (o2 + codes[b2 + r]) * STATS;
      hist[h] += 1;
      hist[h + 1] += w;
      hist[h + 2] += s;
      h = (o3 + codes[b3 + r]) * STATS;
      hist[h] += 1;
      hist[h + 1] += w;
      hist[h + 2] += s;
    }
  }
  for (; f < features; f++) {
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

/** buildHistogram for width > 1: gs holds each sample's class, whose count goes to s_{class − 1} (none for class 0). */
function buildClassHistogram(hist: Float64Array, binned: BinnedData, idx: Uint32Array, start: number, end: number, gw: Float64Array, gs: Float64Array, width: number): void {
  const { codes, rows, offsets, features } = binned;
  const S = statsOf(width);
  const n = end - start;
  for (let f = 0; f < features; f++) {
    const base = f * rows;
    const off = offsets[f];
    for (let k = 0; k < n; k++) {
      const h = (off + codes[base + idx[start + k]]) * S;
      const c = gw[k];
      const cls = gs[k];
      hist[h] += 1;
      hist[h + 1] += c;
      if (cls > 0) hist[h + 1 + cls] += c;
    }
  }
}

/**
 * Gather each sample's count into gw and its label into gs for idx[start, end) (LightGBM's "ordered gradients"):
 * count·yq for width 1, the class index for width > 1.
 */
export function gatherSamples(
  idx: Uint32Array,
  start: number,
  end: number,
  counts: Uint8Array,
  yq: Float64Array,
  gw: Float64Array,
  gs: Float64Array,
  width = 1,
): void {
  if (width > 1) {
    for (let k = start; k < end; k++) {
      const i = idx[k];
      gw[k - start] = counts[i];
      gs[k - start] = yq[i];
    }
    return;
  }
  for (let k = start; k < end; k++) {
    const i = idx[k];
    const c = counts[i];
    gw[k - start] = c;
    gs[k - start] = c * yq[i];
  }
}

/** Add one sample (count c, label yq) to label sums s[at, at + width): Σ count·yq, or the count of its class. */
export function addLabel(s: Float64Array, at: number, width: number, c: number, yq: number): void {
  if (width === 1) s[at] += c * yq;
  else if (yq > 0) s[at + yq - 1] += c;
}

/** out = parent − child, elementwise (out may be parent). Exact: all entries are integers below 2^53. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let k = 0; k < out.length; k++) out[k] = parent[k] - child[k];
}

/** into += part, elementwise: merging partition histograms (exact, so the order cannot matter). */
export function addHistogram(into: Float64Array, part: Float64Array): void {
  for (let k = 0; k < into.length; k++) into[k] += part[k];
}

/** Node totals (n, w, s) read off feature 0's bins of a histogram starting at `at`; s is written into `s`. */
export function histogramTotals(hist: Float64Array, binned: BinnedData, at = 0, width = 1, s: Float64Array = new Float64Array(width)): { n: number; w: number; s: Float64Array } {
  const S = statsOf(width);
  let n = 0;
  let w = 0;
  s.fill(0, 0, width);
  const end = at + binned.nBins[0] * S;
  for (let h = at; h < end; h += S) {
    n += hist[h];
    w += hist[h + 1];
    for (let j = 0; j < width; j++) s[j] += hist[h + 2 + j];
  }
  return { n, w, s };
}
