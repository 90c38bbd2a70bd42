/**
 * Small nodes finish locally (Spark's "local training" of small subtrees, SPARK-3162; XGBoost and LightGBM
 * distributed likewise stop paying per-node collective costs for tiny nodes). A frontier node's histogram costs
 * totalBins × 3 doubles (tens of KB) from every worker whatever the node's size, and every level costs a round
 * trip: with unlimited depth a forest on a few hundred rows spent seconds per level zeroing, shipping, adding and
 * searching histograms of nodes holding 3 rows. So once a node holds few enough distinct rows (autoLocalRows, or
 * the localRows option) the next level's job asks the partitions for its rows instead (codes, bootstrap count,
 * quantized label), one buffer per node. The driver forwards a node's pieces by transfer (no copy, no
 * reshuffling: partition order is source order) as a subtree job to whichever worker has the fewest subtree jobs
 * outstanding when the node's turn comes (forest.ts SubtreeQueue), and the workers grow the nodes' whole subtrees
 * alongside the level loop, so the bottom of the trees is grown in parallel rather than on the driver, and a
 * worker slowed down (its core shared with the driver, say) simply takes fewer nodes; with the depth-first
 * grower's small-node code
 * (tree/subtree.ts): the same chooseSplitFromSamples, node keys and leaf rules, so the same subtree, bit for bit.
 * The node's descendants never appear in later levels and the workers' routing never learns them (their rows
 * stay at the node). The subtrees are kept apart and grafted onto the level-wise tree at the end, before the
 * pre-order renumbering, so the final arrays equal the depth-first grower's.
 */
import { ROOT_KEY } from '../../../tree/splitter.js';
import { resized } from '../../../util/typed.js';
import { inNodeOrder, packSets, toPreorder, type TreeArrays } from '../../../tree/tree.js';
import type { GrowingForest, LocalNode } from './growing.js';
import type { NodeSampleReply, SubtreeJob, SubtreeReply } from '../protocol.js';

export type { LocalNode } from './growing.js';

/**
 * The row limit of "auto": the larger of (a) a node's rows (feature codes + count byte + float64 label) fit in
 * one histogram, so shipping rows never costs more bytes, and (b) 256 rows per bin of a feature: below that a
 * node's histogram path costs more CPU than its whole subtree from samples (per node and level it zeroes, ships,
 * merges, subtracts, copies and searches totalBins × 3 doubles, and scans its rows' codes column by column).
 * (b) is measured, not derived (Friedman #1, 1M rows, 20 trees, maxDepth 10, 255 bins, CPU seconds of the one
 * worker / the two workers summed, load 3-4): 14.9 / — at 16 384 rows, 13.0 / 13.9 at 65 280 (this rule),
 * 10.5 / 14.2 at 262 144, 12.3 / 17.8 with every node local. Two workers side by side cost more CPU seconds than
 * one (shared caches and memory bandwidth, probably), the more the larger the subtrees; 65 280 gave the lowest
 * two-worker total.
 */
export function autoLocalRows(features: number, histLength: number): number {
  const bytes = Math.floor((8 * histLength) / (features + 9));
  const perBin = 256 * Math.round(histLength / 3 / Math.max(1, features));
  return Math.max(bytes, perBin);
}

/**
 * Move the frontier nodes with at most f.localRows distinct rows to f.local (their samples are asked for with the
 * next job). A scanned sibling a remaining derived node subtracts from stays scanned (as a helper).
 */
export function detachSmallNodes(f: GrowingForest): void {
  if (f.localRows <= 0) return;
  const input = f.state.input;
  f.state.trees.forEach((tree, g) => {
    const keep = tree.frontier.filter((p) => {
      // The root's distinct rows are not known before its histogram: at most the training rows.
      const small = p.id < 0 ? input.train.length <= f.localRows : p.n <= f.localRows;
      if (small) f.local[g].push({ id: p.id, depth: p.depth, key: p.id < 0 ? ROOT_KEY : p.key, n: p.id < 0 ? -1 : p.n });
      return !small;
    });
    if (keep.length === tree.frontier.length) return;
    tree.frontier = keep;
    const scanned = new Set(keep.filter((p) => p.parent === null).map((p) => p.id));
    const helpers = new Map<number, number>();
    for (const p of keep) if (p.parent !== null && !scanned.has(p.siblingId)) helpers.set(p.siblingId, -1);
    tree.helpers = helpers;
  });
}

/** The worker-side node ids of tree g's pending local nodes (the root is node 0 there). */
export function localNodeIds(f: GrowingForest, g: number): Int32Array {
  return Int32Array.from(f.local[g], (n) => Math.max(0, n.id));
}

/** A local node whose rows arrived, and how many there are over all partitions. */
export interface LocalRows {
  forest: GrowingForest;
  g: number;
  node: LocalNode;
  rows: number;
}

/**
 * The local nodes a pass asked for, in job order (the order of every reply's pieces); `requests` lists (forest,
 * tree) pairs in job order (levels.ts sampleRequests). The requests are taken: f.local[g] is emptied.
 */
export function takeLocalRows(requests: readonly { forest: GrowingForest; g: number }[], replies: readonly (NodeSampleReply[] | undefined)[]): LocalRows[] {
  const out: LocalRows[] = [];
  for (const { forest: f, g } of requests) {
    for (const node of f.local[g]) {
      const i = out.length;
      let rows = 0;
      replies.forEach((r, w) => {
        const piece = r?.[i];
        if (!piece) throw new Error(`native worker ${w} sent no rows for a node it was asked for (tree ${f.ids[g]}, node ${node.id})`);
        rows += piece.sizes[0];
      });
      if (node.n >= 0 && rows !== node.n) throw new Error(`node ${node.id} of tree ${f.ids[g]} has ${node.n} rows, the workers sent ${rows}`);
      out.push({ forest: f, g, node, rows });
    }
    f.local[g] = [];
  }
  return out;
}

/** The subtree job of local node i of a pass: its root and every partition's piece of its rows, forwarded as is. */
export function subtreeJob(n: LocalRows, replies: readonly (NodeSampleReply[] | undefined)[], i: number): Omit<SubtreeJob, 'job'> {
  const { labels, rule } = n.forest.state.input;
  const roots = Float64Array.of(n.forest.state.trees[n.g].seed, n.node.depth, n.node.key, rule.maxDepth, rule.maxFeatures, rule.minSamplesLeaf, rule.criterion === 'entropy' ? 1 : 0);
  return { type: 'subtree', maxBins: n.forest.maxBins, unit: labels.unit, center: labels.center, roots, pieces: replies.map((r) => r![i]) };
}

/** Keep the subtrees a worker grew, filling in the raw thresholds (x ≤ threshold goes left) from the bins. */
export function keepSubtrees(nodes: readonly LocalRows[], reply: SubtreeReply): void {
  let at = 0;
  const W = nodes.length > 0 ? nodes[0].forest.state.input.labels.width : 1;
  nodes.forEach((n, i) => {
    const size = reply.nodes[i];
    const pick = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => a.slice(at, at + size) as T;
    const value = reply.value.slice(at * W, (at + size) * W);
    const feature = pick(reply.feature);
    const binThreshold = pick(reply.binThreshold);
    const thresholds = n.forest.state.input.binned.thresholds;
    const set = reply.set.length > 0 ? pick(reply.set) : reply.set;
    const threshold = Float64Array.from(feature, (f, k) => (f < 0 || (set.length > 0 && set[k] >= 0) ? NaN : thresholds[f][binThreshold[k]]));
    n.forest.subtrees[n.g].set(n.node.id, {
      nodes: size, feature, threshold, binThreshold, left: pick(reply.left), right: pick(reply.right), value, weight: pick(reply.weight), gain: pick(reply.gain),
      ...inNodeOrder(set, reply.sets),
    });
    at += size;
  });
}

/** The forest's trees: level-wise nodes with the local subtrees grafted on, renumbered in pre-order. */
export function grownTrees(f: GrowingForest): TreeArrays[] {
  return f.state.trees.map((tree, g) => {
    const subs = f.subtrees[g];
    const whole = subs.get(-1);
    if (whole) return whole;
    const main = tree.builder.finish();
    return toPreorder(subs.size === 0 ? main : graft(main, subs));
  });
}

/** main with subtree s grafted at leaf id (its node 0 becomes the leaf), node numbers not yet in pre-order. */
function graft(main: TreeArrays, subs: Map<number, TreeArrays>): TreeArrays {
  let n = main.nodes;
  for (const s of subs.values()) n += s.nodes - 1;
  const W = main.nodes > 0 ? main.value.length / main.nodes : 1;
  const out = {
    nodes: n, feature: resized(main.feature, n), threshold: resized(main.threshold, n), binThreshold: resized(main.binThreshold, n),
    left: resized(main.left, n), right: resized(main.right, n), value: resized(main.value, n * W), weight: resized(main.weight, n), gain: resized(main.gain, n),
  };
  // The sets: main's, then each subtree's after them, as packSets numbers them (toPreorder renumbers them in node
  // order); packed.set[at + k] is node k's of the tree packed at `at` (main at 0).
  const packed = packSets([main, ...subs.values()]);
  const anySets = packed.set.length > 0;
  const set = anySets ? resized(packed.set.subarray(0, main.nodes), n, -1) : packed.set;
  let at = main.nodes;
  let next = main.nodes;
  for (const [leaf, s] of subs) {
    const base = next - 1; // subtree node k > 0 becomes base + k
    const id = (k: number): number => (k === 0 ? leaf : base + k);
    for (let k = 0; k < s.nodes; k++) {
      const i = id(k);
      out.feature[i] = s.feature[k];
      out.threshold[i] = s.threshold[k];
      out.binThreshold[i] = s.binThreshold[k];
      for (let j = 0; j < W; j++) out.value[i * W + j] = s.value[k * W + j];
      out.weight[i] = s.weight[k];
      out.gain[i] = s.gain[k];
      out.left[i] = s.left[k] < 0 ? -1 : id(s.left[k]);
      out.right[i] = s.right[k] < 0 ? -1 : id(s.right[k]);
      if (anySets) set[i] = packed.set[at + k];
    }
    at += s.nodes;
    next += s.nodes - 1;
  }
  return { ...out, set, sets: packed.sets };
}
