/**
 * Growing one regression tree, depth-first, on binned features.
 *
 * ALGORITHM (for new developers; after the sketch that opens Spark's RandomForest.scala)
 *  1. Bin once: every feature is a Uint8Array of codes with raw thresholds (binning.ts), labels are quantized
 *     to integers so all sums are exact (labels.ts). Both are per dataset and cached per thread.
 *  2. Bootstrap: row i of the training rows gets count c_i ~ Poisson(1) keyed by (seed, tree, i) (bootstrap.ts).
 *     The sample index array holds the rows with c_i > 0; nothing is copied.
 *  3. Root: scan the samples into a histogram (per feature × bin: distinct rows n, Σc, Σc·yq; histogram.ts).
 *  4. Pop a node. It is a leaf if depth ≥ maxDepth, n < 2 or n < 2·minSamplesLeaf. Otherwise choose the split
 *     with the largest variance reduction over maxFeatures randomly ordered features (splitter.ts); no positive
 *     gain ⇒ leaf.
 *  5. Partition the node's slice of the index array in place (codes ≤ bin to the left), build the smaller
 *     child's histogram by scanning its samples and the larger one's as parent − smaller, in the parent's buffer.
 *     Children that will be leaves by rule 4 get no histogram.
 *  6. Push right then left (so nodes come out in pre-order) and repeat from 4. Histogram buffers come from a
 *     small pool; live buffers are bounded by the depth, and nothing is allocated per node.
 *  7. Small nodes (≤ sampleLimit samples, most of a deep tree's nodes) skip histograms: the first one met on a
 *     path sorts its samples by code per feature (sorted.ts); it and its descendants read each feature's bins
 *     as runs of its list, and a split partitions the lists stably (step 5 for them).
 *     Every path yields the same exact per-bin totals, so where the switch happens changes speed, never the tree.
 * The level-wise builder (levelwise.ts: the steps the native strategy distributes) makes the same decisions from
 * the same exact histograms, so it grows the identical tree.
 */
import type { BinnedData } from './binning.js';
import { bootstrapCounts } from './bootstrap.js';
import { buildHistogram, gatherSamples, histogramLength, subtractHistogram } from './histogram.js';
import type { QuantizedLabels } from './labels.js';
import { chooseSplit, chooseSplitFromSorted, childKey, emptySplit, ROOT_KEY, SplitScratch, type SplitRule } from './splitter.js';
import { SortedLists } from './sorted.js';
import { TreeBuilder, type TreeArrays } from './tree.js';
import { hash32 } from '../util/random.js';

export interface TreeRule extends SplitRule {
  /** Infinity for unlimited. */
  maxDepth: number;
  bootstrap: boolean;
}

/** What every tree of one fit shares. */
export interface GrowInput {
  binned: BinnedData;
  labels: QuantizedLabels;
  /** Ascending training rows (global indices). */
  train: Uint32Array;
  seed: number;
  rule: TreeRule;
}

/** Seed of tree t's feature orders: keyed by (seed, t) only, so forests of different sizes share trees. */
export function treeSeed(seed: number, t: number): number {
  return hash32(seed, t, 0x7ee5);
}

/** True when a node with n distinct rows at this depth must be a leaf without looking for a split. */
export function leafByRule(rule: TreeRule, depth: number, n: number): boolean {
  return depth >= rule.maxDepth || n < 2 || n < 2 * rule.minSamplesLeaf;
}

/** Leaf prediction from quantized totals. */
export function leafValue(labels: QuantizedLabels, w: number, s: number): number {
  return w > 0 ? (s / w) * labels.unit + labels.center : labels.center;
}

/**
 * Below this many samples (about one per bin of a feature) a node is cheaper to search from its samples
 * than through a histogram (clear, scan, subtract, compact: per bin). Only speed depends on it, never the tree.
 */
export function sampleLimit(binned: BinnedData): number {
  return Math.max(8, Math.floor(binned.totalBins / Math.max(1, binned.features)));
}

/** Buffers reused across the trees of a fit (one per thread). */
export class GrowWorkspace {
  readonly counts: Uint8Array;
  readonly idx: Uint32Array;
  readonly gw: Float64Array;
  readonly gs: Float64Array;
  readonly scratch: SplitScratch;
  /** Nodes with at most this many samples search splits from sorted sample lists, without a histogram. */
  readonly sampleLimit: number;
  readonly sorted: SortedLists;
  /** Reused by every tree (finish() copies the nodes out). */
  readonly builder = new TreeBuilder();
  private readonly pool: Float64Array[] = [];
  private readonly histLength: number;

  /** `limit` overrides the sample-path threshold (tests use 0 to force histograms everywhere). */
  constructor(input: GrowInput, limit = sampleLimit(input.binned)) {
    this.counts = new Uint8Array(input.binned.rows);
    this.idx = new Uint32Array(input.train.length);
    this.gw = new Float64Array(input.train.length);
    this.gs = new Float64Array(input.train.length);
    this.scratch = new SplitScratch(input.binned.features);
    this.sampleLimit = limit;
    this.sorted = new SortedLists(input.binned.features, Math.max(0, Math.min(limit, input.train.length)));
    this.histLength = histogramLength(input.binned);
  }

  acquire(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.histLength);
  }

  release(h: Float64Array | null): void {
    if (h) this.pool.push(h);
  }
}

/** Grow tree t of the forest, depth-first. */
export function growTree(input: GrowInput, t: number, ws: GrowWorkspace = new GrowWorkspace(input)): TreeArrays {
  const { binned, labels, train, rule } = input;
  const { codes, rows } = binned;
  const yq = labels.yq;
  const tSeed = treeSeed(input.seed, t);
  const counts = bootstrapCounts(input.seed, t, train, 0, rows, rule.bootstrap, ws.counts);
  const idx = ws.idx;
  let n0 = 0;
  let w0 = 0;
  let s0 = 0;
  for (let k = 0; k < train.length; k++) {
    const i = train[k];
    const c = counts[i];
    if (c === 0) continue;
    idx[n0++] = i;
    w0 += c;
    s0 += c * yq[i];
  }
  const tree = ws.builder;
  tree.reset();
  const sorted = ws.sorted;
  const split = emptySplit();
  const unit2 = labels.unit * labels.unit;
  const limit = ws.sampleLimit;

  // The stack of pending nodes, as parallel arrays of numbers plus their histogram (or null).
  const sStart: number[] = [0];
  const sEnd: number[] = [n0];
  const sDepth: number[] = [0];
  const sKey: number[] = [ROOT_KEY];
  const sParent: number[] = [-1];
  const sW: number[] = [w0];
  const sS: number[] = [s0];
  const sHist: (Float64Array | null)[] = [null];
  // 1 for nodes inside the current transition subtree (their samples are in `sorted`, not in idx).
  const sSorted: number[] = [0];

  while (sStart.length > 0) {
    const start = sStart.pop()!;
    const end = sEnd.pop()!;
    const depth = sDepth.pop()!;
    const key = sKey.pop()!;
    const parent = sParent.pop()!;
    const w = sW.pop()!;
    const s = sS.pop()!;
    let hist = sHist.pop()!;
    const inSorted = sSorted.pop()!;
    const n = end - start;

    const id = tree.addLeaf(leafValue(labels, w, s), w);
    if (parent >= 0) {
      // parent is encoded as 2·id + side.
      if ((parent & 1) === 0) tree.left[parent >> 1] = id;
      else tree.right[parent >> 1] = id;
    }
    if (leafByRule(rule, depth, n)) {
      ws.release(hist);
      continue;
    }
    let found: boolean;
    if (inSorted === 1 || (hist === null && n <= limit)) {
      if (inSorted === 0) sorted.load(binned, idx, start, end, counts, yq);
      found = chooseSplitFromSorted(binned, sorted, start, end, n, w, s, rule, tSeed, key, ws.scratch, split);
      if (!found) continue;
      const f = split.feature;
      const bin = split.bin;
      tree.setSplit(id, f, bin, binned.thresholds[f][bin], split.gain * unit2);
      const mid = start + split.nL;
      // Children that are leaves by rule need no sorted samples.
      if (!leafByRule(rule, depth + 1, split.nL) || !leafByRule(rule, depth + 1, end - mid)) sorted.partition(start, end, f, split.nL);
      sStart.push(mid, start);
      sEnd.push(end, mid);
      sDepth.push(depth + 1, depth + 1);
      sKey.push(childKey(key, 1), childKey(key, 0));
      sParent.push(2 * id + 1, 2 * id);
      sW.push(w - split.wL, split.wL);
      sS.push(s - split.sL, split.sL);
      sHist.push(null, null);
      sSorted.push(1, 1);
      continue;
    } else {
      if (hist === null) {
        hist = ws.acquire();
        gatherSamples(idx, start, end, counts, yq, ws.gw, ws.gs);
        buildHistogram(hist, binned, idx, start, end, ws.gw, ws.gs);
      }
      found = chooseSplit(hist, 0, binned, n, w, s, rule, tSeed, key, ws.scratch, split);
    }
    if (!found) {
      ws.release(hist);
      continue;
    }
    const f = split.feature;
    const bin = split.bin;
    tree.setSplit(id, f, bin, binned.thresholds[f][bin], split.gain * unit2);

    // Partition idx[start, end) in place: codes ≤ bin first.
    const base = f * rows;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const r = idx[i];
      if (codes[base + r] <= bin) i++;
      else {
        idx[i] = idx[j];
        idx[j--] = r;
      }
    }
    const mid = i;
    const nL = mid - start;
    const nR = end - mid;
    // A child needs a histogram when it may split and is too big for the sample path.
    const needL = nL > limit && !leafByRule(rule, depth + 1, nL);
    const needR = nR > limit && !leafByRule(rule, depth + 1, nR);
    let histL: Float64Array | null = null;
    let histR: Float64Array | null = null;
    if (needL || needR) {
      const leftSmaller = nL <= nR;
      const small = ws.acquire();
      const a = leftSmaller ? start : mid;
      const b = leftSmaller ? mid : end;
      gatherSamples(idx, a, b, counts, yq, ws.gw, ws.gs);
      buildHistogram(small, binned, idx, a, b, ws.gw, ws.gs);
      const needLarge = leftSmaller ? needR : needL;
      const needSmall = leftSmaller ? needL : needR;
      let large: Float64Array | null = null;
      if (needLarge) {
        subtractHistogram(hist, small, hist);
        large = hist;
      } else ws.release(hist);
      const smallKept = needSmall ? small : null;
      if (!needSmall) ws.release(small);
      histL = leftSmaller ? smallKept : large;
      histR = leftSmaller ? large : smallKept;
    } else ws.release(hist);

    const wL = split.wL;
    const sL = split.sL;
    // Right first, so the left child is popped (and numbered) next: pre-order.
    sStart.push(mid, start);
    sEnd.push(end, mid);
    sDepth.push(depth + 1, depth + 1);
    sKey.push(childKey(key, 1), childKey(key, 0));
    sParent.push(2 * id + 1, 2 * id);
    sW.push(w - wL, wL);
    sS.push(s - sL, sL);
    sHist.push(histR, histL);
    sSorted.push(0, 0);
  }
  return tree.finish();
}
