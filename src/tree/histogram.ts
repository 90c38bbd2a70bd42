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
  runKernels(hist, binned, idx, start, end, gw, gs, false);
}

/**
 * buildHistogram (width 1) with each sample's count and label read at its row, gw[row] and gs[row], instead of
 * gathered into position order first (boosting's gradients are per row already; the gather was a pass of its own);
 * gw null: every count is 1 (boosting's squared error), so w is n.
 */
export function buildHistogramByRow(hist: Float64Array, binned: BinnedData, idx: Uint32Array, start: number, end: number, gw: Float64Array | null, gs: Float64Array, smallIntegers = false): void {
  hist.fill(0);
  if (!smallIntegers) {
    runKernels(hist, binned, idx, start, end, gw, gs, true);
    return;
  }
  // Packed, in chunks of at most PACK_MAX_ROWS rows, each decoded and added (exact integers).
  for (let a = start; a < end; a += PACK_MAX_ROWS) buildPacked(hist, binned, idx, a, Math.min(end, a + PACK_MAX_ROWS), gw, gs);
}

/**
 * PACKED SUMS. When every weight and label is an integer of magnitude at most SMALL_INTEGER (boosting's quantised
 * Hessians and gradients, smallIntegers), a bin's row count and one of its sums fit in ONE double: each row adds
 * v + C with C = 2^k, so the bin holds S = Σv + n·C, and as long as |Σv| < C/2 and S < 2^53, n = round(S / C) and
 * Σv = S − n·C exactly. With k = 34 that holds for nodes of up to PACK_MAX_ROWS = 2^17 rows (|Σv| ≤ 2^32 < 2^33,
 * S < 2^51 + 2^32). The histogram loop then updates one entry per feature instead of two (unit weights: n and s)
 * or two instead of three (n and w packed, s apart): one histogram of 80 000 rows × 10 features, 3.2–4.0 ms with
 * two entries, 1.7–2.2 ms packed. A bigger node is packed in chunks of PACK_MAX_ROWS rows, each decoded and added.
 */
export const SMALL_INTEGER = 2 ** 15;
const PACK_MAX_ROWS = 2 ** 17;
const PACK_UNIT = 2 ** 34;
let packedA = new Float64Array(0);
let packedB = new Float64Array(0);

function buildPacked(hist: Float64Array, binned: BinnedData, idx: Uint32Array, start: number, end: number, gw: Float64Array | null, gs: Float64Array): void {
  const { features, offsets, totalBins } = binned;
  if (packedA.length < totalBins) {
    packedA = new Float64Array(totalBins);
    packedB = new Float64Array(totalBins);
  }
  const a = packedA.subarray(0, totalBins);
  const b = packedB.subarray(0, totalBins);
  a.fill(0);
  if (gw !== null) b.fill(0);
  const codes = rowCodes(binned);
  for (let f0 = 0; f0 < features; f0 += KERNEL_FEATURES) {
    const kernel = packedKernel(Math.min(KERNEL_FEATURES, features - f0), gw === null);
    kernel(a, b, codes, features, f0, offsets, idx, start, end, gw, gs, PACK_UNIT);
  }
  // Unit weights: a packs (n, s); else a packs (n, w) and b holds s. Added to hist (a node's chunks add up).
  for (let bin = 0, h = 0; bin < totalBins; bin++, h += STATS) {
    const S = a[bin];
    const n = Math.round(S / PACK_UNIT);
    const rest = S - n * PACK_UNIT;
    hist[h] += n;
    hist[h + 1] += gw === null ? n : rest;
    hist[h + 2] += gw === null ? rest : b[bin];
  }
}

type PackedKernel = (a: Float64Array, b: Float64Array, codes: Uint8Array, F: number, f0: number, offsets: Int32Array, idx: Uint32Array, start: number, end: number, gw: Float64Array | null, gs: Float64Array, unit: number) => void;
const packedKernels = new Map<string, PackedKernel>();

/** histogramKernel's packed twin (by row): a[bin] += gs[r] + unit (unit weights), or a[bin] += gw[r] + unit and b[bin] += gs[r]. */
function packedKernel(width: number, unitWeights: boolean): PackedKernel {
  return compiled(packedKernels, `${width}:${unitWeights}`, ['a', 'b', 'codes', 'F', 'f0', 'offsets', 'idx', 'start', 'end', 'gw', 'gs', 'unit'], () => {
    const lines: string[] = ['let h = 0;'];
    for (let j = 0; j < width; j++) lines.push(`const o${j} = offsets[f0 + ${j}];`);
    lines.push('for (let k = start; k < end; k++) {', 'const r = idx[k];', 'const base = r * F + f0;');
    lines.push(unitWeights ? 'const v = gs[r] + unit;' : 'const v = gw[r] + unit;', unitWeights ? '' : 'const s = gs[r];');
    for (let j = 0; j < width; j++) {
      lines.push(`h = o${j} + codes[base + ${j}];`, 'a[h] += v;');
      if (!unitWeights) lines.push('b[h] += s;');
    }
    lines.push('}');
    return lines;
  });
}

/** The function of these parameters and body lines (strict mode), compiled once per key and cached. */
function compiled<T>(cache: Map<string, T>, key: string, params: readonly string[], body: () => string[]): T {
  let fn = cache.get(key);
  if (fn === undefined) {
    fn = new Function(...params, `'use strict';\n${body().join('\n')}`) as T;
    cache.set(key, fn);
  }
  return fn;
}

function runKernels(hist: Float64Array, binned: BinnedData, idx: Uint32Array, start: number, end: number, gw: Float64Array | null, gs: Float64Array, byRow: boolean): void {
  const { features, offsets } = binned;
  const codes = rowCodes(binned);
  for (let f0 = 0; f0 < features; f0 += KERNEL_FEATURES) {
    const kernel = histogramKernel(Math.min(KERNEL_FEATURES, features - f0), gw === null, byRow);
    kernel(hist, codes, features, f0, offsets, idx, start, end, gw, gs);
  }
  if (gw === null) for (let h = 0; h < hist.length; h += STATS) hist[h + 1] = hist[h];
}

/**
 * ROW-MAJOR CODES. A node's samples are a scattered subset of the rows, so reading feature-major codes
 * (codes[j·rows + i]) costs a cache line per feature per sample; the same codes row-major (rowCodes[i·F + j]) put a
 * sample's features on one line. The copy is made once per binned table (rows × features bytes, as the codes) and
 * kept beside it. Friedman #1, 80 000 rows × 10 features, one histogram of all rows: 7.1 ms feature-major in passes
 * of four features, 3.9 ms row-major with the kernel below.
 */
const rowMajor = new WeakMap<Uint8Array, Uint8Array>();

export function rowCodes(binned: BinnedData): Uint8Array {
  let out = rowMajor.get(binned.codes);
  if (out === undefined) {
    const { codes, rows, features } = binned;
    out = new Uint8Array(rows * features);
    for (let j = 0; j < features; j++) {
      const col = codes.subarray(j * rows, (j + 1) * rows);
      for (let i = 0; i < rows; i++) out[i * features + j] = col[i];
    }
    rowMajor.set(binned.codes, out);
  }
  return out;
}

type Kernel = (hist: Float64Array, codes: Uint8Array, F: number, f0: number, offsets: Int32Array, idx: Uint32Array, start: number, end: number, gw: Float64Array | null, gs: Float64Array) => void;

/** Features one kernel call takes per pass over the samples. */
const KERNEL_FEATURES = 32;
const kernels = new Map<string, Kernel>();

/**
 * The histogram loop for `width` features [f0, f0 + width) of row-major codes, unrolled: each sample's row, count
 * and label are read once and its `width` bins updated with offsets held in locals. The loop is written out per
 * width (generated once, then cached) because a loop over the features costs 1.6–1.8× the unrolled one (measured
 * on the histogram above); `unit`: counts of 1, w left for the caller to copy from n; `byRow`: gw and gs indexed
 * by row, not by position.
 */
function histogramKernel(width: number, unit: boolean, byRow: boolean): Kernel {
  return compiled(kernels, `${width}:${unit}:${byRow}`, ['hist', 'codes', 'F', 'f0', 'offsets', 'idx', 'start', 'end', 'gw', 'gs'], () => {
    const at = byRow ? 'r' : 'k';
    const lines: string[] = ['let h = 0, s = 0, w = 0;'];
    for (let j = 0; j < width; j++) lines.push(`const o${j} = offsets[f0 + ${j}];`);
    lines.push('for (let k = 0, n = end - start; k < n; k++) {', 'const r = idx[start + k];', 'const base = r * F + f0;', `s = gs[${at}];`);
    if (!unit) lines.push(`w = gw[${at}];`);
    for (let j = 0; j < width; j++) {
      lines.push(`h = (o${j} + codes[base + ${j}]) * ${STATS};`, 'hist[h] += 1;');
      if (!unit) lines.push('hist[h + 1] += w;');
      lines.push('hist[h + 2] += s;');
    }
    lines.push('}');
    return lines;
  });
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
