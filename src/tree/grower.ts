/**
 * Growing one tree (regression, or classification by class counts), depth-first, on binned features.
 *
 * ALGORITHM (for new developers; after the sketch that opens Spark's RandomForest.scala)
 *  1. Bin once: every feature is a Uint8Array of codes with raw thresholds (binning.ts), labels are quantized
 *     to integers so all sums are exact (labels.ts). Both are per dataset and cached per thread.
 *  2. Bootstrap: row i of the training rows gets count c_i ~ Poisson(1) keyed by (seed, tree, i) (bootstrap.ts).
 *     The sample index array holds the rows with c_i > 0; nothing is copied.
 *  3. Root: scan the samples into a histogram (per feature × bin: distinct rows n, Σc, Σc·yq — or the count of
 *     each class but the first; histogram.ts).
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
 *     (With more than two classes the lists are not used: small nodes search straight from their samples.)
 * The level-wise builder (levelwise.ts: the steps the native strategy distributes) makes the same decisions from
 * the same exact histograms, so it grows the identical tree.
 */
import type { BinnedData } from './binning.js';
import { bootstrapCounts } from './bootstrap.js';
import { addLabel, buildHistogram, gatherSamples, histogramLength, subtractHistogram } from './histogram.js';
import type { QuantizedLabels } from './labels.js';
import { chooseSplit, chooseSplitFromSamples, chooseSplitFromSorted, childKey, emptySplit, ROOT_KEY, SplitScratch, type Split, type SplitRule } from './splitter.js';
import { SortedLists } from './sorted.js';
import { NodeStack } from './stack.js';
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

/** Leaf prediction from quantized totals (width 1: the mean label, or a two-class node's probability of class 1). */
export function leafValue(labels: QuantizedLabels, w: number, s: number): number {
  return w > 0 ? (s / w) * labels.unit + labels.center : labels.center;
}

/** Append a leaf with totals (w, s) to the tree: its prediction, or with more classes each class's probability. */
export function addLeafOf(tree: TreeBuilder, labels: QuantizedLabels, w: number, s: Float64Array): number {
  const W = labels.width;
  if (W === 1) return tree.addLeaf(leafValue(labels, w, s[0]), w);
  const id = tree.addLeaf(0, w);
  for (let j = 0; j < W; j++) tree.value[id * W + j] = w > 0 ? s[j] / w : 0;
  return id;
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
  /** The partitions' right sides, before they are copied back. */
  readonly tmp: Uint32Array;
  readonly gw: Float64Array;
  readonly gs: Float64Array;
  readonly scratch: SplitScratch;
  /** Nodes with at most this many samples search splits from sorted sample lists, without a histogram. */
  readonly sampleLimit: number;
  readonly sorted: SortedLists;
  /** Reused by every tree (finish() copies the nodes out). */
  readonly builder: TreeBuilder;
  readonly stack: NodeStack;
  /** The current node's label sums. */
  readonly sums: Float64Array;
  private readonly pool: Float64Array[] = [];
  private readonly histLength: number;

  /** True when the constructor was given the limit: it then holds whatever maxFeatures is. */
  readonly limitGiven: boolean;

  /** `limit` overrides the sample-path threshold (tests use 0 to force histograms everywhere). */
  constructor(input: GrowInput, given?: number) {
    const limit = given ?? sampleLimit(input.binned);
    this.limitGiven = given !== undefined;
    this.counts = new Uint8Array(input.binned.rows);
    this.idx = new Uint32Array(input.train.length);
    this.tmp = new Uint32Array(input.train.length);
    this.gw = new Float64Array(input.train.length);
    this.gs = new Float64Array(input.train.length);
    const width = input.labels.width;
    this.scratch = new SplitScratch(input.binned.features, width);
    this.sampleLimit = limit;
    this.sorted = new SortedLists(input.binned.features, width === 1 ? Math.max(0, Math.min(limit, input.train.length)) : 0);
    this.histLength = histogramLength(input.binned, width);
    this.builder = new TreeBuilder(width);
    this.stack = new NodeStack(width);
    this.sums = new Float64Array(width);
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
  // Seeds and node keys are kept as int32 (hash32 reads keys modulo 2^32): uint32 values above 2^31 would be
  // doubles to the JIT and cost a deoptimization and recompilation of the hot loop in every thread.
  const tSeed = treeSeed(input.seed, t) | 0;
  const counts = bootstrapCounts(input.seed, t, train, 0, rows, rule.bootstrap, ws.counts);
  const idx = ws.idx;
  const W = labels.width;
  // The current node's label sums (width 1: Σ count·yq; see histogram.ts).
  const s = ws.sums;
  s.fill(0);
  let n0 = 0;
  let w0 = 0;
  for (let k = 0; k < train.length; k++) {
    const i = train[k];
    const c = counts[i];
    if (c === 0) continue;
    idx[n0++] = i;
    w0 += c;
    addLabel(s, 0, W, c, yq[i]);
  }
  const tree = ws.builder;
  tree.reset();
  const sorted = ws.sorted;
  const stack = ws.stack;
  stack.size = 0;
  const split = emptySplit(W);
  const unit2 = labels.unit * labels.unit;
  // Small nodes search from sorted lists, or straight from their samples (the same splits either way): the lists
  // sort every feature once per transition node and partition every feature at each split, which pays when a node
  // searches most features; with few features per node (maxFeatures √F on 30 features: 5) the samples path touches
  // only the features searched. More than two classes always take the samples path (the lists hold one label sum).
  // A node searching under half the features is cheaper from its samples at any size (n × searched features)
  // than through a histogram (half its rows × every feature, plus a subtraction per bin): no histograms then.
  const fewFeatures = 2 * rule.maxFeatures < binned.features;
  const sortedOk = W === 1 && !fewFeatures;
  const limit = fewFeatures && !ws.limitGiven ? Number.MAX_SAFE_INTEGER : ws.sampleLimit;

  // The current node; after a split its left child becomes the current node (it is next in pre-order) and
  // the right child waits on the stack.
  let start = 0;
  let end = n0;
  let depth = 0;
  let key = ROOT_KEY | 0;
  let parent = -1; // 2·id + side
  let w = w0;
  let hist: Float64Array | null = null;
  let inSorted = 0;
  for (;;) {
    const n = end - start;
    const id = addLeafOf(tree, labels, w, s);
    if (parent >= 0) {
      if ((parent & 1) === 0) tree.left[parent >> 1] = id;
      else tree.right[parent >> 1] = id;
    }
    let mid = -1;
    let histL: Float64Array | null = null;
    let histR: Float64Array | null = null;
    let childSorted = 0;
    if (leafByRule(rule, depth, n)) {
      // a leaf: nothing to do
    } else if (!sortedOk && hist === null && n <= limit) {
      gatherSamples(idx, start, end, counts, yq, ws.gw, ws.gs, W);
      if (chooseSplitFromSamples(binned, idx, start, end, ws.gw, ws.gs, n, w, s, rule, tSeed, key, ws.scratch, split)) {
        mid = partitionSplit(idx, start, end, codes, split.feature * rows, split, ws.tmp);
      }
    } else if (inSorted === 1 || (hist === null && n <= limit)) {
      if (inSorted === 0) sorted.load(binned, idx, start, end, counts, yq);
      if (chooseSplitFromSorted(binned, sorted, start, end, n, w, s, rule, tSeed, key, ws.scratch, split)) {
        mid = start + split.nL;
        // Children that are leaves by rule need no sorted samples.
        if (!leafByRule(rule, depth + 1, split.nL) || !leafByRule(rule, depth + 1, end - mid)) {
          if (split.isSet) sorted.partitionBySet(start, end, split.feature, split.set);
          else sorted.partition(start, end, split.feature, split.nL);
        }
        childSorted = 1;
      }
    } else {
      if (hist === null) {
        hist = ws.acquire();
        gatherSamples(idx, start, end, counts, yq, ws.gw, ws.gs, W);
        buildHistogram(hist, binned, idx, start, end, ws.gw, ws.gs, W);
      }
      if (chooseSplit(hist, 0, binned, n, w, s, rule, tSeed, key, ws.scratch, split)) {
        mid = partitionSplit(idx, start, end, codes, split.feature * rows, split, ws.tmp);
        const nL = mid - start;
        const nR = end - mid;
        // A child needs a histogram when it may split and is too big for the sample path.
        const needL = nL > limit && !leafByRule(rule, depth + 1, nL);
        const needR = nR > limit && !leafByRule(rule, depth + 1, nR);
        if (needL || needR) {
          const leftSmaller = nL <= nR;
          const small = ws.acquire();
          const a = leftSmaller ? start : mid;
          const b = leftSmaller ? mid : end;
          gatherSamples(idx, a, b, counts, yq, ws.gw, ws.gs, W);
          buildHistogram(small, binned, idx, a, b, ws.gw, ws.gs, W);
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
        hist = null;
      }
    }
    if (mid >= 0) {
      recordSplit(tree, id, split, binned.thresholds, unit2);
      stack.push(mid, end, depth + 1, 2 * id + 1, childKey(key, 1) | 0, w - split.wL, s, childSorted, histR, split.sL);
      end = mid;
      depth++;
      key = childKey(key, 0) | 0;
      parent = 2 * id;
      w = split.wL;
      s.set(split.sL);
      hist = histL;
      inSorted = childSorted;
      continue;
    }
    ws.release(hist);
    if (stack.size === 0) break;
    const k = --stack.size;
    start = stack.start[k];
    end = stack.end[k];
    depth = stack.depth[k];
    parent = stack.parent[k];
    key = stack.key[k];
    w = stack.w[k];
    for (let j = 0; j < W; j++) s[j] = stack.s[k * W + j];
    inSorted = stack.sorted[k];
    hist = stack.hist[k];
    stack.hist[k] = null;
  }
  return tree.finish();
}

/** Make leaf `id` the split (threshold or set; tree.ts), its gain in label units² (gain · scale). */
export function recordSplit(tree: TreeBuilder, id: number, split: Split, thresholds: readonly Float64Array[], scale: number): void {
  const f = split.feature;
  if (split.isSet) tree.setSetSplit(id, f, split.set, split.gain * scale);
  else tree.setSplit(id, f, split.bin, thresholds[f][split.bin], split.gain * scale);
}

/**
 * Partition idx[start, end) by the split, left rows first (feature column at codes[base + row]), keeping each side
 * in its order (ascending rows stay ascending, so the children's histogram scans read the codes forward), through
 * `tmp` (room for end − start rows); returns the split point.
 */
export function partitionSplit(idx: Uint32Array, start: number, end: number, codes: Uint8Array, base: number, split: Split, tmp: Uint32Array): number {
  let l = start;
  let r = 0;
  const { isSet, set, bin } = split;
  // Branch-free: each row is written to both sides and only its own side's cursor moves, by arithmetic (a node's
  // rows go left or right at random, and a mispredicted branch costs more than the rest of the loop: 12 ns against
  // 3 ns a row for a comparison as a branch or as a sign bit, measured here).
  if (isSet) {
    for (let k = start; k < end; k++) {
      const row = idx[k];
      const c = codes[base + row];
      const left = (set[c >> 5] >>> (c & 31)) & 1; // inSet(set, 0, c) as 0 or 1
      idx[l] = row;
      tmp[r] = row;
      l += left;
      r += left ^ 1;
    }
  } else {
    for (let k = start; k < end; k++) {
      const row = idx[k];
      // 1 when code ≤ bin: the sign bit of bin − code is clear.
      const left = ((bin - codes[base + row]) >>> 31) ^ 1;
      idx[l] = row;
      tmp[r] = row;
      l += left;
      r += left ^ 1;
    }
  }
  idx.set(tmp.subarray(0, r), l);
  return l;
}

