/**
 * Level-wise tree growing, split into the steps the native strategy distributes (Spark MLlib's RandomForest:
 * per level, one pass over each data partition builds the histograms of the frontier nodes of MANY trees; the
 * driver merges them in partition order, chooses the splits and sends them back).
 *
 * Worker side (stateless functions over a row range [rowStart, rowEnd) of one partition, one entry per tree grown):
 *   counts   = bootstrapCounts(seed, t, train, rowStart, rowEnd, bootstrap)   derived, never shipped
 *   nodeOf   = initRowNodes(counts)                 row → current node id (−1: not in this tree's sample)
 *   part     = buildLevelHistograms(…, request)     one flat Float64Array, transferable
 *   applyLevelSplits(…, trees)                      moves each row one level down the partial trees
 *   (a stateless job may instead call routeRows(…) with the partial trees to recompute nodeOf)
 * Driver side:
 *   state    = startLevelGrowth(input, trees)
 *   request  = planLevel(state)                     which nodes to scan, null when every tree is finished
 *   merged   = Σ_p part_p in partition order        mergeHistograms (exact, so the order cannot change a bit)
 *   finishLevel(state, merged)                      splits every frontier node with the SAME chooseSplit as the
 *                                                   depth-first grower; only the smaller child of a split is
 *                                                   scanned next level, the larger is parent − smaller
 *   levelTrees(state)                               the trees, renumbered in pre-order
 * Because histogram sums are exact integers (labels.ts), the trees equal the depth-first grower's, array for
 * array, for any number of partitions (test/tree/levelwise-reference.ts is the single-process reference of that).
 * Memory: a level's request holds one histogram per scanned node (totalBins × 3 doubles); a driver with many
 * deep trees should split a level's frontier into groups (as Spark's maxMemoryInMB) — planLevel's output can be
 * partitioned by node freely, since every node's histogram is independent.
 */
import type { BinnedData } from './binning.js';
import { addLeafOf, leafByRule, recordSplit, treeSeed, type GrowInput } from './grower.js';
import { addHistogram, histogramLength, histogramTotals, statsOf, subtractHistogram } from './histogram.js';
import { chooseSplit, childKey, emptySplit, ROOT_KEY, SplitScratch } from './splitter.js';
import { goesLeft, toPreorder, TreeBuilder, type TreeArrays } from './tree.js';

/** Which nodes to scan this level: slotOfNode[g][node] is the node's histogram slot for tree g, or −1. */
export interface HistogramRequest {
  slots: number;
  slotOfNode: Int32Array[];
}

/** What routing needs of a partial tree (a TreeBuilder or TreeArrays). */
export type RoutingTree = Pick<TreeArrays, 'feature' | 'binThreshold' | 'left' | 'right' | 'set' | 'sets'>;

/** Node ids for the rows of a partition: 0 (the root) for rows in the sample, −1 for the others. */
export function initRowNodes(counts: Uint8Array): Int32Array {
  const nodeOf = new Int32Array(counts.length);
  for (let k = 0; k < counts.length; k++) nodeOf[k] = counts[k] > 0 ? 0 : -1;
  return nodeOf;
}

/**
 * Histograms of the requested nodes over rows [rowStart, rowEnd): slot q of the result is
 * out[q·L, (q+1)·L) with L = totalBins × (2 + width), laid out as histogram.ts. nodeOf[g] and counts[g] are tree
 * g's per-row arrays for this range (index row − rowStart).
 */
export function buildLevelHistograms(
  binned: BinnedData,
  yq: Float64Array,
  rowStart: number,
  rowEnd: number,
  nodeOf: readonly Int32Array[],
  counts: readonly Uint8Array[],
  request: HistogramRequest,
  width = 1,
  out: Float64Array = new Float64Array(request.slots * histogramLength(binned, width)),
): Float64Array {
  out.fill(0);
  const L = histogramLength(binned, width);
  const S = statsOf(width);
  const len = rowEnd - rowStart;
  const row = new Uint32Array(len);
  const base = new Float64Array(len);
  const gw = new Float64Array(len);
  const gs = new Float64Array(len);
  const { codes, rows, offsets, features } = binned;
  for (let g = 0; g < request.slotOfNode.length; g++) {
    const nodes = nodeOf[g];
    const cnt = counts[g];
    const slotOf = request.slotOfNode[g];
    let m = 0;
    for (let k = 0; k < len; k++) {
      const node = nodes[k];
      if (node < 0 || node >= slotOf.length) continue;
      const slot = slotOf[node];
      if (slot < 0) continue;
      const r = rowStart + k;
      row[m] = r;
      base[m] = slot * L;
      gw[m] = cnt[k];
      gs[m] = width === 1 ? cnt[k] * yq[r] : yq[r];
      m++;
    }
    for (let f = 0; f < features; f++) {
      const cb = f * rows;
      const off = offsets[f] * S;
      for (let q = 0; q < m; q++) {
        const h = base[q] + off + codes[cb + row[q]] * S;
        out[h] += 1;
        out[h + 1] += gw[q];
        if (width === 1) out[h + 2] += gs[q];
        else if (gs[q] > 0) out[h + 1 + gs[q]] += gw[q];
      }
    }
  }
  return out;
}

/** into += part: merge a partition's histograms (call in partition order; exact either way). */
export const mergeHistograms = addHistogram;

/** Move every row whose node was split to the child it falls in (one level). */
export function applyLevelSplits(binned: BinnedData, rowStart: number, _rowEnd: number, nodeOf: readonly Int32Array[], trees: readonly RoutingTree[]): void {
  const { codes, rows } = binned;
  for (let g = 0; g < trees.length; g++) {
    const { feature, binThreshold, left, right, set, sets } = trees[g];
    const nodes = nodeOf[g];
    if (set.length === 0) {
      for (let k = 0; k < nodes.length; k++) {
        const node = nodes[k];
        if (node < 0 || left[node] < 0) continue;
        nodes[k] = codes[feature[node] * rows + rowStart + k] <= binThreshold[node] ? left[node] : right[node];
      }
      continue;
    }
    for (let k = 0; k < nodes.length; k++) {
      const node = nodes[k];
      if (node < 0 || left[node] < 0) continue;
      nodes[k] = goesLeft(codes[feature[node] * rows + rowStart + k], binThreshold[node], set[node], sets) ? left[node] : right[node];
    }
  }
}

/** Stateless alternative: node ids of the rows of [rowStart, rowEnd) routed from the root of a partial tree. */
export function routeRows(binned: BinnedData, rowStart: number, counts: Uint8Array, tree: RoutingTree): Int32Array {
  const { codes, rows } = binned;
  const nodeOf = new Int32Array(counts.length);
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] === 0) {
      nodeOf[k] = -1;
      continue;
    }
    let node = 0;
    const bySets = tree.set.length > 0;
    while (tree.left[node] >= 0) {
      const code = codes[tree.feature[node] * rows + rowStart + k];
      const left = bySets ? goesLeft(code, tree.binThreshold[node], tree.set[node], tree.sets) : code <= tree.binThreshold[node];
      node = left ? tree.left[node] : tree.right[node];
    }
    nodeOf[k] = node;
  }
  return nodeOf;
}

/** A frontier node waiting for its histogram. id −1 is a root not created yet (its totals come from the histogram). */
interface Pending {
  id: number;
  depth: number;
  key: number;
  n: number;
  w: number;
  /** Label sums (labels.ts width entries). */
  s: Float64Array;
  /** Histogram slot of this level when scanned. */
  slot: number;
  /** Or: parent histogram and the scanned sibling (histogram = parent − sibling). */
  parent: Float64Array | null;
  siblingId: number;
  siblingSlot: number;
}

interface LevelTree {
  t: number;
  seed: number;
  builder: TreeBuilder;
  frontier: Pending[];
  /** Scan-only nodes (leaves whose histogram a sibling needs): node id → slot. */
  helpers: Map<number, number>;
}

/** The driver's state: the trees being grown and the next level's frontier. */
export interface LevelState {
  readonly input: GrowInput;
  readonly trees: LevelTree[];
  /** The partial trees, for applyLevelSplits / routeRows (same order as the request's slotOfNode). */
  readonly routing: RoutingTree[];
  request: HistogramRequest | null;
}

export function startLevelGrowth(input: GrowInput, treeIndices: readonly number[]): LevelState {
  const W = input.labels.width;
  const trees = treeIndices.map((t) => ({
    t,
    seed: treeSeed(input.seed, t),
    builder: new TreeBuilder(W),
    frontier: [{ id: -1, depth: 0, key: ROOT_KEY, n: 0, w: 0, s: new Float64Array(W), slot: -1, parent: null, siblingId: -1, siblingSlot: -1 }] as Pending[],
    helpers: new Map<number, number>(),
  }));
  return { input, trees, routing: trees.map((t) => t.builder), request: null };
}

/** Assign histogram slots for the current frontier; null when no tree has a node left to split. */
export function planLevel(state: LevelState): HistogramRequest | null {
  let slots = 0;
  const slotOfNode: Int32Array[] = [];
  let any = false;
  for (const tree of state.trees) {
    const map = new Int32Array(Math.max(1, tree.builder.nodes)).fill(-1);
    for (const p of tree.frontier) {
      any = true;
      if (p.parent !== null) continue; // derived by subtraction
      p.slot = slots++;
      map[Math.max(0, p.id)] = p.slot;
    }
    for (const id of tree.helpers.keys()) {
      const slot = slots++;
      tree.helpers.set(id, slot);
      map[id] = slot;
    }
    slotOfNode.push(map);
  }
  // Derived nodes find their scanned sibling's slot now that slots are assigned.
  state.trees.forEach((tree, g) => {
    for (const p of tree.frontier) if (p.parent !== null) p.siblingSlot = slotOfNode[g][p.siblingId];
  });
  state.request = any ? { slots, slotOfNode } : null;
  return state.request;
}

/** Choose the splits of the frontier from the merged histograms and set up the next level. */
export function finishLevel(state: LevelState, merged: Float64Array): void {
  const { binned, labels, rule } = state.input;
  const W = labels.width;
  const L = histogramLength(binned, W);
  const unit2 = labels.unit * labels.unit;
  const scratch = new SplitScratch(binned.features, W);
  const split = emptySplit(W);
  for (const tree of state.trees) {
    const b = tree.builder;
    const next: Pending[] = [];
    const helpers = new Map<number, number>();
    for (const p of tree.frontier) {
      let hist: Float64Array;
      if (p.parent === null) hist = merged.subarray(p.slot * L, (p.slot + 1) * L);
      else {
        hist = p.parent;
        subtractHistogram(p.parent, merged.subarray(p.siblingSlot * L, (p.siblingSlot + 1) * L), hist);
      }
      if (p.id < 0) {
        const tot = histogramTotals(hist, binned, 0, W, p.s);
        p.n = tot.n;
        p.w = tot.w;
        p.id = addLeafOf(b, labels, p.w, p.s);
        if (leafByRule(rule, p.depth, p.n)) continue;
      }
      if (!chooseSplit(hist, 0, binned, p.n, p.w, p.s, rule, tree.seed, p.key, scratch, split)) continue;
      recordSplit(b, p.id, split, binned.thresholds, unit2);
      const nL = split.nL;
      const nR = p.n - nL;
      const wL = split.wL;
      const sL = Float64Array.from(split.sL);
      const sR = new Float64Array(W);
      for (let j = 0; j < W; j++) sR[j] = p.s[j] - sL[j];
      const l = addLeafOf(b, labels, wL, sL);
      const r = addLeafOf(b, labels, p.w - wL, sR);
      b.left[p.id] = l;
      b.right[p.id] = r;
      const depth = p.depth + 1;
      const needL = !leafByRule(rule, depth, nL);
      const needR = !leafByRule(rule, depth, nR);
      if (!needL && !needR) continue;
      const leftSmaller = nL <= nR;
      const child = (id: number, key: number, n: number, w: number, s: Float64Array, parent: Float64Array | null): Pending => ({
        id, depth, key, n, w, s, slot: -1, parent, siblingId: parent === null ? -1 : leftSmaller ? l : r, siblingSlot: -1,
      });
      const small = leftSmaller
        ? child(l, childKey(p.key, 0), nL, wL, sL, null)
        : child(r, childKey(p.key, 1), nR, p.w - wL, sR, null);
      const needSmall = leftSmaller ? needL : needR;
      const needLarge = leftSmaller ? needR : needL;
      if (needSmall) next.push(small);
      else helpers.set(small.id, -1);
      if (needLarge) {
        const parentCopy = Float64Array.from(hist);
        next.push(
          leftSmaller
            ? child(r, childKey(p.key, 1), nR, p.w - wL, sR, parentCopy)
            : child(l, childKey(p.key, 0), nL, wL, sL, parentCopy),
        );
      }
    }
    tree.frontier = next;
    tree.helpers = helpers;
  }
}

/** The grown trees, numbered in pre-order like the depth-first grower's. */
export function levelTrees(state: LevelState): TreeArrays[] {
  return state.trees.map((t) => toPreorder(t.builder.finish()));
}
