/**
 * Small nodes finish on the driver (Spark's "local training" of small subtrees, SPARK-3162; XGBoost and LightGBM
 * distributed likewise stop paying per-node collective costs for tiny nodes). A frontier node's histogram costs
 * totalBins × 3 doubles (tens of KB) from every worker, whatever the node's size, and every level costs a round
 * trip: with unlimited depth a forest on a few hundred rows spent seconds per level zeroing, shipping, adding and
 * searching histograms of nodes holding 3 rows. So once a node holds few enough distinct rows that its rows are
 * no bigger than its histogram (rows × (features + 9) bytes ≤ 8 × histogram length, or an explicit row limit), the
 * next level's job asks the partitions for its rows instead (codes, bootstrap count, quantized label), and the
 * driver grows the node's whole subtree from them with the depth-first grower's small-node code (subtree.ts):
 * the same chooseSplitFromSamples, node keys and leaf rules, so the same tree, bit for bit. The node's
 * descendants never appear in later levels; the workers' routing never learns them (their rows stay at the
 * node). The subtrees are kept apart and grafted onto the level-wise tree at the end, before the pre-order
 * renumbering, so the final arrays equal the depth-first grower's.
 */
import { growSubtree } from '../../tree/subtree.js';
import { ROOT_KEY, SplitScratch } from '../../tree/splitter.js';
import { toPreorder, type TreeArrays } from '../../tree/tree.js';
import type { GrowingForest } from './levels.js';
import type { NodeSampleReply } from './protocol.js';

/** A node whose rows the next level's job fetches. id −1: the root, not created yet (the whole tree is local). */
export interface LocalNode {
  id: number;
  depth: number;
  key: number;
  /** Distinct rows (−1 for the root: not known yet). */
  n: number;
}

/** The row limit of "auto": a node's rows (features codes + count byte + float64 label) fit in one histogram. */
export function autoLocalRows(features: number, histLength: number): number {
  return Math.floor((8 * histLength) / (features + 9));
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

/**
 * Grow the subtrees of the local nodes a pass asked for, from every worker's sample reply (worker = partition
 * order); `requests` lists (forest, tree) pairs in job order, as sampleRequests gives them.
 */
export function growLocalNodes(requests: readonly { forest: GrowingForest; g: number }[], replies: readonly (NodeSampleReply | undefined)[]): void {
  const at = replies.map(() => ({ node: 0, row: 0 }));
  const scratch = new Map<number, SplitScratch>();
  for (const { forest: f, g } of requests) {
    const { binned, labels, rule } = f.state.input;
    const F = binned.features;
    const sc = scratch.get(F) ?? new SplitScratch(F);
    scratch.set(F, sc);
    for (const node of f.local[g]) {
      let m = 0;
      const parts = replies.map((r, w) => {
        if (!r) throw new Error(`native worker ${w} sent no samples for a level job that asked for them`);
        const p = { from: at[w].row, rows: r.sizes[at[w].node++] };
        at[w].row += p.rows;
        m += p.rows;
        return p;
      });
      if (node.n >= 0 && m !== node.n) throw new Error(`node ${node.id} of tree ${f.ids[g]} has ${node.n} rows, the workers sent ${m}`);
      const codes = new Uint8Array(m * F);
      const counts = new Uint8Array(m);
      const yq = new Float64Array(m);
      let k = 0;
      parts.forEach(({ from, rows }, w) => {
        const r = replies[w]!;
        counts.set(r.counts.subarray(from, from + rows), k);
        yq.set(r.yq.subarray(from, from + rows), k);
        for (let i = 0; i < rows; i++, k++) {
          const src = (from + i) * F;
          for (let j = 0; j < F; j++) codes[j * m + k] = r.codes[src + j];
        }
      });
      const tree = growSubtree(binned, labels, rule, f.state.trees[g].seed, node, { rows: m, codes, counts, yq }, sc);
      f.subtrees[g].set(node.id, tree);
    }
    f.local[g] = [];
  }
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
  const copy = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
    const b = new (a.constructor as new (n: number) => T)(n);
    b.set(a);
    return b;
  };
  const out = {
    nodes: n, feature: copy(main.feature), threshold: copy(main.threshold), binThreshold: copy(main.binThreshold),
    left: copy(main.left), right: copy(main.right), value: copy(main.value), weight: copy(main.weight), gain: copy(main.gain),
  };
  let next = main.nodes;
  for (const [leaf, s] of subs) {
    const base = next - 1; // subtree node k > 0 becomes base + k
    const id = (k: number): number => (k === 0 ? leaf : base + k);
    for (let k = 0; k < s.nodes; k++) {
      const i = id(k);
      out.feature[i] = s.feature[k];
      out.threshold[i] = s.threshold[k];
      out.binThreshold[i] = s.binThreshold[k];
      out.value[i] = s.value[k];
      out.weight[i] = s.weight[k];
      out.gain[i] = s.gain[k];
      out.left[i] = s.left[k] < 0 ? -1 : id(s.left[k]);
      out.right[i] = s.right[k] < 0 ? -1 : id(s.right[k]);
    }
    next += s.nodes - 1;
  }
  return out;
}
