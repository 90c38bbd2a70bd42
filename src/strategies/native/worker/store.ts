/**
 * The partition store a native worker holds: one contiguous block of rows (bin codes per maxBins and quantized
 * labels, or raw columns for linear; the fold of each row) and, per cached tree, the bootstrap counts and the
 * row → node array the level jobs advance.
 */
import { fromBuffer, type Dataset } from '../../../data/dataset.js';
import { TEST, TRAIN } from '../../../data/folds.js';
import { binnedTable, binRows, type BinnedData } from '../../../tree/binning.js';
import { bootstrapCount } from '../../../tree/bootstrap.js';
import { applyLevelSplits, initRowNodes, routeRows, type RoutingTree } from '../../../tree/levelwise.js';
import { SET_WORDS } from '../../../tree/tree.js';
import { resized } from '../../../util/typed.js';
import { BoundedCache } from '../../../util/cache.js';
import { sliceColumns } from '../assign.js';
import { KernelWorkspace } from './kernel.js';
import { GrowBuffers } from '../../../tree/subtree.js';
import type { LocalBoostRows } from '../../../tree/boost-rows.js';
import { SPLIT_FIELDS, type InitMessage, type LevelTree } from '../protocol.js';

interface CachedTree {
  counts: Uint8Array;
  nodeOf: Int32Array;
  /** The worker's copy of the partial tree (only what routing reads). */
  routing: GrowableRouting;
  /** Level the rows are routed to. */
  level: number;
}

export interface PartitionStore {
  readonly seed: number;
  readonly bounds: Uint32Array;
  readonly partitions: readonly number[];
  readonly rowStart: number;
  readonly rowEnd: number;
  /** The folds' roles of the held rows (InitMessage.roles); rolesOf gives one split's. */
  readonly roles: Uint8Array;
  readonly bins: Map<number, BinnedData>;
  readonly yq?: Float64Array;
  /** Label sums per histogram bin (tree/labels.ts width). */
  readonly width: number;
  /** The held rows as a small Dataset (linear): local row k is global row rowStart + k. */
  readonly local?: Dataset;
  readonly trees: Map<number, CachedTree>;
  /** Bytes of partition data held (set at init, never grows). */
  readonly bytesHeld: number;
  /** Scratch buffers reused by every level and subtree job (grow-only, not counted as held data). */
  readonly kernel: KernelWorkspace;
  /** The held rows through a linear design, by design id (worker/linear.ts): a few folds' worth. */
  readonly designs: BoundedCache<Dataset>;
  readonly subtree: SubtreeWorkspace;
  /** Gradient boosting: the held rows' labels (local row k is global row rowStart + k). */
  readonly y?: Float64Array;
  /** Gradient boosting: the rows of each fit in progress and its histogram slot, by fit id (worker/boost.ts). */
  readonly boosts: Map<number, { rows: LocalBoostRows; slot: Float64Array | undefined }>;
}

export function createStore(m: InitMessage): PartitionStore {
  const rows = m.rowEnd - m.rowStart;
  const bins = new Map<number, BinnedData>();
  const table = m.table ? fromBuffer(m.table) : undefined;
  for (const s of m.bins ?? []) {
    let codes = s.codes;
    if (!codes) {
      if (!s.thresholds || !table) throw new Error(`init: maxBins ${s.maxBins} comes with neither codes nor thresholds and the table`);
      codes = binRows(s.thresholds, table.x, table.rows, m.rowStart, m.rowEnd);
    }
    // Thresholds stay on the driver: workers route on bin codes only.
    bins.set(s.maxBins, binnedTable(rows, m.features, codes, [], s.nBins, s.offsets, s.values, s.flags));
  }
  let { x, y } = m;
  if (m.linear) {
    if (!table) throw new Error('init: a linear store needs its rows or the table');
    x = sliceColumns(table.x, table.rows, m.features, m.rowStart, m.rowEnd);
    y = table.y.slice(m.rowStart, m.rowEnd);
  }
  const local: Dataset | undefined =
    x && y ? { name: 'partitions', featureNames: Array.from({ length: m.features }, (_, j) => `x${j}`), targetName: 'y', rows, x, y } : undefined;
  // Boosting's labels: the worker's own copy of its rows' (from the shared table), or those sent.
  const labels = m.boost ? (table ? table.y.slice(m.rowStart, m.rowEnd) : m.y) : undefined;
  if (m.boost && !labels) throw new Error('init: a boosting store needs its labels or the table');
  let bytesHeld = m.roles.byteLength;
  for (const b of bins.values()) bytesHeld += b.codes.byteLength;
  for (const v of [m.yq, x, m.boost ? labels : y]) if (v) bytesHeld += v.byteLength;
  return {
    seed: m.seed, bounds: m.bounds, partitions: m.partitions, rowStart: m.rowStart, rowEnd: m.rowEnd, roles: m.roles,
    bins, yq: m.yq, width: m.labelWidth ?? 1, local, trees: new Map(), bytesHeld, designs: new BoundedCache(4), kernel: new KernelWorkspace(), subtree: new SubtreeWorkspace(),
    ...(labels ? { y: labels } : {}), boosts: new Map(),
  };
}

/** Bytes of the per-tree state a store keeps (counts, row → node arrays, partial trees). */
export function stateBytes(store: PartitionStore): number {
  let n = 0;
  for (const t of store.trees.values()) n += t.counts.byteLength + t.nodeOf.byteLength + t.routing.bytes();
  return n;
}

/** Local row ranges [a, b) of the requested partitions, consecutive partitions joined. */
export function localRanges(store: PartitionStore, partitions: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const p of [...partitions].sort((a, b) => a - b)) {
    if (!store.partitions.includes(p)) throw new Error(`partition ${p} is not held here (held: ${store.partitions.join(', ')})`);
    const a = store.bounds[p] - store.rowStart;
    const b = store.bounds[p + 1] - store.rowStart;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === a) last[1] = b;
    else ranges.push([a, b]);
  }
  return ranges;
}

/** Bootstrap counts of the held rows for tree t of fold f (the same as bootstrapCounts over the fold's train). */
export function treeCounts(store: PartitionStore, fold: number, t: number, bootstrap: boolean): Uint8Array {
  const n = store.rowEnd - store.rowStart;
  const counts = new Uint8Array(n);
  const roles = foldRoles(store, fold);
  for (let k = 0; k < n; k++) {
    if (roles[k] !== TRAIN) continue; // a test row of this fold, or one it leaves out
    counts[k] = bootstrap ? bootstrapCount(store.seed, t, store.rowStart + k) : 1;
  }
  return counts;
}

/** Row → node of a tree at the job's level: cached and advanced, or routed from the root (stateless). */
export function treeRows(store: PartitionStore, binned: BinnedData, e: LevelTree): { counts: Uint8Array; nodeOf: Int32Array } {
  if (e.partial) {
    const counts = treeCounts(store, e.fold, e.t, e.bootstrap);
    return { counts, nodeOf: routeRows(binned, 0, counts, e.partial) };
  }
  let tree = store.trees.get(e.id);
  if (!tree) {
    if (e.level !== 0) throw new Error(`tree ${e.id} is unknown here at level ${e.level} (send it stateless)`);
    const counts = treeCounts(store, e.fold, e.t, e.bootstrap);
    tree = { counts, nodeOf: initRowNodes(counts), routing: new GrowableRouting(), level: 0 };
    store.trees.set(e.id, tree);
  }
  if (e.level === tree.level + 1) {
    tree.routing.apply(e.splits ?? new Int32Array(0), e.splitSets);
    applyLevelSplits(binned, 0, binned.rows, [tree.nodeOf], [tree.routing]);
    tree.level = e.level;
  } else if (e.level !== tree.level) {
    throw new Error(`tree ${e.id} is at level ${tree.level}, the job asks for level ${e.level}`);
  }
  return tree;
}

/** The held test rows of fold f (local indices, ascending). */
export function testRowsOf(store: PartitionStore, fold: number): Uint32Array {
  const roles = foldRoles(store, fold);
  let m = 0;
  for (let k = 0; k < roles.length; k++) if (roles[k] === TEST) m++;
  const rows = new Uint32Array(m);
  m = 0;
  for (let k = 0; k < roles.length; k++) if (roles[k] === TEST) rows[m++] = k;
  return rows;
}

/** Fold f's roles of the held rows (a view). */
export function foldRoles(store: PartitionStore, fold: number): Uint8Array {
  const n = store.rowEnd - store.rowStart;
  if (!(fold >= 0 && (fold + 1) * n <= store.roles.length)) throw new Error(`fold ${fold} is not one of the ${store.roles.length / Math.max(1, n)} folds held here`);
  return store.roles.subarray(fold * n, (fold + 1) * n);
}

export function releaseTrees(store: PartitionStore, ids: readonly number[], fits: readonly number[] = []): void {
  for (const id of ids) store.trees.delete(id);
  for (const id of fits) store.boosts.delete(id);
}

/** A partial tree's routing arrays, grown as the driver's splits arrive. */
export class GrowableRouting implements RoutingTree {
  feature = new Int32Array(16);
  binThreshold = new Uint8Array(16);
  left = new Int32Array(16).fill(-1);
  right = new Int32Array(16).fill(-1);
  /** Empty until the first split on a set of bins (tree.ts). */
  set = new Int32Array(0);
  sets = new Int32Array(0);
  private setCount = 0;

  /** Apply split tuples and their sets (protocol.ts SPLIT_FIELDS); re-applying a split is harmless (same values). */
  apply(splits: Int32Array, splitSets: Int32Array = new Int32Array(0)): void {
    for (let k = 0; k < splits.length; k += SPLIT_FIELDS) {
      const node = splits[k];
      this.reserve(Math.max(node, splits[k + 3], splits[k + 4]) + 1);
      this.feature[node] = splits[k + 1];
      this.binThreshold[node] = splits[k + 2];
      this.left[node] = splits[k + 3];
      this.right[node] = splits[k + 4];
      const s = splits[k + 5];
      if (s < 0) continue;
      if ((s + 1) * SET_WORDS > splitSets.length) throw new Error(`split of node ${node} names set ${s}, the job carries ${splitSets.length / SET_WORDS}`);
      const bits = splitSets.subarray(s * SET_WORDS, (s + 1) * SET_WORDS);
      if (this.set.length === 0) this.set = new Int32Array(this.left.length).fill(-1);
      let q = this.set[node];
      if (q < 0) {
        q = this.setCount++;
        if (this.setCount * SET_WORDS > this.sets.length) this.sets = resized(this.sets, Math.max(64, this.sets.length * 2));
        this.set[node] = q;
      }
      this.sets.set(bits, q * SET_WORDS);
    }
  }

  bytes(): number {
    return this.feature.byteLength + this.binThreshold.byteLength + this.left.byteLength + this.right.byteLength + this.set.byteLength + this.sets.byteLength;
  }

  private reserve(n: number): void {
    if (n <= this.left.length) return;
    let cap = this.left.length;
    while (cap < n) cap *= 2;
    this.feature = resized(this.feature, cap);
    this.binThreshold = resized(this.binThreshold, cap);
    this.left = resized(this.left, cap, -1);
    this.right = resized(this.right, cap, -1);
    if (this.set.length > 0) this.set = resized(this.set, cap, -1);
  }
}

/** Grow-only buffers a worker reuses from one subtree node to the next (fresh pages are costly to touch). */
export class SubtreeWorkspace {
  codes = new Uint8Array(0);
  counts = new Uint8Array(0);
  yq = new Float64Array(0);
  readonly grow = new GrowBuffers();

  reserve(rows: number, features: number): void {
    if (this.counts.length >= rows) return;
    const n = Math.max(rows, Math.ceil(this.counts.length * 1.5));
    this.codes = new Uint8Array(n * features);
    this.counts = new Uint8Array(n);
    this.yq = new Float64Array(n);
  }
}
