/**
 * Growing the whole subtree under one node from that node's samples alone: the depth-first grower's loop
 * (grower.ts: histograms above the sample limit, the smaller child scanned and the larger one parent − smaller,
 * chooseSplitFromSamples below it, in-place partition, right pushed before left so nodes come out in pre-order)
 * for a node whose rows were shipped to the caller: the native strategy gathers a small frontier node's rows from
 * the partitions instead of its histogram and has a worker grow the rest (Spark's "local training" of small
 * subtrees, SPARK-3162; strategies/native/driver/local.ts).
 *
 * The samples carry everything a split needs: per row its bin codes, its bootstrap count and its quantized
 * label. Per-bin totals are exact integers (labels.ts) whatever the row order, the node keys are path hashes and
 * the leaf rules the grower's (leafByRule), so the subtree is the one growTree builds under the same node, bit for
 * bit, whether growTree reached it through histograms or samples.
 */
import { withCodes, type BinnedData } from './binning.js';
import { addLabel, buildHistogram, gatherSamples, histogramLength, subtractHistogram } from './histogram.js';
import { addLeafOf, leafByRule, partitionSplit, recordSplit, sampleLimit, type TreeRule } from './grower.js';
import type { QuantizedLabels } from './labels.js';
import { chooseSplit, chooseSplitFromSamples, childKey, emptySplit, SplitScratch } from './splitter.js';
import { NodeStack } from './stack.js';
import { TreeBuilder, type TreeArrays } from './tree.js';

/** The rows of one node (each with a count > 0): codes column-major (feature j of row k at codes[j·rows + k]). */
export interface NodeSamples {
  rows: number;
  codes: Uint8Array;
  counts: Uint8Array;
  yq: Float64Array;
}

/** Where the node sits in its tree: depth and path key (splitter.ts childKey; ROOT_KEY for a root). */
export interface SubtreeRoot {
  depth: number;
  key: number;
}

/**
 * Per-row and histogram buffers growSubtree reuses across calls (a worker grows thousands of subtrees; fresh
 * pages cost far more to touch than to reuse). Optional: without it every call allocates its own.
 */
export class GrowBuffers {
  idx = new Uint32Array(0);
  tmp = new Uint32Array(0);
  gw = new Float64Array(0);
  gs = new Float64Array(0);
  readonly histograms: Float64Array[] = [];
  histLength = 0;
  stack = new NodeStack();
  sums = new Float64Array(1);

  reserve(rows: number, histLength: number, width = 1): void {
    if (histLength !== this.histLength) {
      this.histograms.length = 0;
      this.histLength = histLength;
    }
    if (this.stack.width !== width) {
      this.stack = new NodeStack(width);
      this.sums = new Float64Array(width);
    }
    if (this.idx.length >= rows) return;
    const n = Math.max(rows, Math.ceil(this.idx.length * 1.5));
    this.idx = new Uint32Array(n);
    this.tmp = new Uint32Array(n);
    this.gw = new Float64Array(n);
    this.gs = new Float64Array(n);
  }
}

/**
 * The subtree under a node, numbered in pre-order (node 0 is the node itself, with its leaf value and weight).
 * `binned` gives the bins and raw thresholds (its codes are not read); the node's totals are the samples' sums.
 */
export function growSubtree(
  binned: BinnedData,
  labels: QuantizedLabels,
  rule: TreeRule,
  treeSeed: number,
  root: SubtreeRoot,
  samples: NodeSamples,
  scratch: SplitScratch = new SplitScratch(binned.features, labels.width),
  buffers: GrowBuffers = new GrowBuffers(),
): TreeArrays {
  const m = samples.rows;
  // The samples as a binned table of m rows: row k is sample k.
  const local = withCodes(binned, m, samples.codes);
  const { codes } = local;
  const W = labels.width;
  const L = histogramLength(binned, W);
  buffers.reserve(m, L, W);
  const { idx, gw, gs } = buffers;
  const s = buffers.sums;
  s.fill(0);
  let w0 = 0;
  for (let k = 0; k < m; k++) {
    idx[k] = k;
    w0 += samples.counts[k];
    addLabel(s, 0, W, samples.counts[k], samples.yq[k]);
  }
  const tree = new TreeBuilder(W);
  const split = emptySplit(W);
  const unit2 = labels.unit * labels.unit;
  // As growTree: nodes above the sample limit split from a histogram (the smaller child scanned, the larger one
  // parent − smaller), smaller ones straight from their samples. Either way the same split.
  const limit = sampleLimit(binned);
  const pool = buffers.histograms;
  const acquire = (): Float64Array => pool.pop() ?? new Float64Array(L);
  const release = (h: Float64Array | null): void => {
    if (h) pool.push(h);
  };

  // Pending nodes on typed stacks (reused; no boxed numbers whose element kinds change under V8's feet: the
  // plain arrays this used cost 25 deopts and 17 recompilations of this function over two workers on a 1M-row forest).
  const stack = buffers.stack;
  stack.size = 0;
  stack.push(0, m, root.depth, -1, root.key | 0, w0, s, 0, null);
  while (stack.size > 0) {
    const k = --stack.size;
    const start = stack.start[k];
    const end = stack.end[k];
    const depth = stack.depth[k];
    const key = stack.key[k];
    const parent = stack.parent[k];
    const w = stack.w[k];
    for (let j = 0; j < W; j++) s[j] = stack.s[k * W + j];
    let hist = stack.hist[k];
    stack.hist[k] = null;
    const n = end - start;
    const id = addLeafOf(tree, labels, w, s);
    if (parent >= 0) {
      if ((parent & 1) === 0) tree.left[parent >> 1] = id;
      else tree.right[parent >> 1] = id;
    }
    if (leafByRule(rule, depth, n)) {
      release(hist);
      continue;
    }
    let found: boolean;
    if (hist === null && n <= limit) {
      gatherSamples(idx, start, end, samples.counts, samples.yq, gw, gs, W);
      found = chooseSplitFromSamples(local, idx, start, end, gw, gs, n, w, s, rule, treeSeed, key, scratch, split);
    } else {
      if (hist === null) {
        hist = acquire();
        gatherSamples(idx, start, end, samples.counts, samples.yq, gw, gs, W);
        buildHistogram(hist, local, idx, start, end, gw, gs, W);
      }
      found = chooseSplit(hist, 0, local, n, w, s, rule, treeSeed, key, scratch, split);
    }
    if (!found) {
      release(hist);
      continue;
    }
    recordSplit(tree, id, split, binned.thresholds, unit2);
    const mid = partitionSplit(idx, start, end, codes, split.feature * m, split, buffers.tmp);
    const nL = mid - start;
    const nR = end - mid;
    const needL = nL > limit && !leafByRule(rule, depth + 1, nL);
    const needR = nR > limit && !leafByRule(rule, depth + 1, nR);
    let histL: Float64Array | null = null;
    let histR: Float64Array | null = null;
    if (needL || needR) {
      const leftSmaller = nL <= nR;
      const small = acquire();
      const a = leftSmaller ? start : mid;
      const b = leftSmaller ? mid : end;
      gatherSamples(idx, a, b, samples.counts, samples.yq, gw, gs, W);
      buildHistogram(small, local, idx, a, b, gw, gs, W);
      const needLarge = leftSmaller ? needR : needL;
      const needSmall = leftSmaller ? needL : needR;
      let large: Float64Array | null = null;
      if (needLarge && hist !== null) {
        subtractHistogram(hist, small, hist);
        large = hist;
      } else release(hist);
      const smallKept = needSmall ? small : null;
      if (!needSmall) release(small);
      histL = leftSmaller ? smallKept : large;
      histR = leftSmaller ? large : smallKept;
    } else release(hist);
    stack.push(mid, end, depth + 1, 2 * id + 1, childKey(key, 1) | 0, w - split.wL, s, 0, histR, split.sL);
    stack.push(start, mid, depth + 1, 2 * id, childKey(key, 0) | 0, split.wL, split.sL, 0, histL);
  }
  return tree.finish();
}
