/**
 * The worker side of the native strategy as pure functions of (partition data, message): no worker_threads
 * here, so the cluster transport can run the same handlers, and tests call them directly.
 *
 * A store holds one contiguous block of rows (the worker's partitions): bin codes per maxBins and quantized labels
 * (forest) or raw columns (linear), and the fold of each row. For CACHED trees it also keeps, per tree, the
 * bootstrap counts (derived from (seed, t, global row), never shipped) and the row → node array, advanced one level
 * per job with the splits the driver made (applyLevelSplits); STATELESS trees are routed from the root each time.
 * A level job may also ask for the rows of some small nodes (their codes, counts and labels); a subtree job then
 * grows such nodes to the end from the rows of every partition (local.ts).
 */
import { fromBuffer, type Dataset } from '../../../data/dataset.js';
import { linearPredictionsMany } from '../../../models/linear/linear.js';
import { linearStats } from '../../../models/linear/stats.js';
import { binnedTable, binRows, featureThresholds, type BinnedData } from '../../../tree/binning.js';
import { bootstrapCount } from '../../../tree/bootstrap.js';
import { histogramLength } from '../../../tree/histogram.js';
import { applyLevelSplits, initRowNodes, routeRows, type RoutingTree } from '../../../tree/levelwise.js';
import { resized } from '../../../util/typed.js';
import { sliceColumns } from '../assign.js';
import { addNodeHistograms, KernelWorkspace } from './kernel.js';
import { predictForestBinned } from '../../../tree/predict.js';
import { GrowBuffers, growSubtree, type NodeSamples } from '../../../tree/subtree.js';
import type { QuantizedLabels } from '../../../tree/labels.js';
import { SplitScratch } from '../../../tree/splitter.js';
import type { TreeArrays } from '../../../tree/tree.js';
import { ROOT_FIELDS, SPLIT_FIELDS, type EdgesJob, type InitMessage, type LevelJob, type LevelTree, type LinearJob, type LinearPredictJob, type NodeSampleReply, type PredictJob, type SubtreeJob, type SubtreeReply } from '../protocol.js';

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
  readonly foldOf: Uint8Array;
  readonly bins: Map<number, BinnedData>;
  readonly yq?: Float64Array;
  /** The held rows as a small Dataset (linear): local row k is global row rowStart + k. */
  readonly local?: Dataset;
  readonly trees: Map<number, CachedTree>;
  /** Bytes of partition data held (set at init, never grows). */
  readonly bytesHeld: number;
  /** Scratch buffers reused by every level and subtree job (grow-only, not counted as held data). */
  readonly kernel: KernelWorkspace;
  readonly subtree: SubtreeWorkspace;
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
    bins.set(s.maxBins, binnedTable(rows, m.features, codes, [], s.nBins, s.offsets));
  }
  let { x, y } = m;
  if (m.linear) {
    if (!table) throw new Error('init: a linear store needs its rows or the table');
    x = sliceColumns(table.x, table.rows, m.features, m.rowStart, m.rowEnd);
    y = table.y.slice(m.rowStart, m.rowEnd);
  }
  const local: Dataset | undefined =
    x && y ? { name: 'partitions', featureNames: Array.from({ length: m.features }, (_, j) => `x${j}`), targetName: 'y', rows, x, y } : undefined;
  let bytesHeld = m.foldOf.byteLength;
  for (const b of bins.values()) bytesHeld += b.codes.byteLength;
  for (const v of [m.yq, x, y]) if (v) bytesHeld += v.byteLength;
  return {
    seed: m.seed, bounds: m.bounds, partitions: m.partitions, rowStart: m.rowStart, rowEnd: m.rowEnd, foldOf: m.foldOf,
    bins, yq: m.yq, local, trees: new Map(), bytesHeld, kernel: new KernelWorkspace(), subtree: new SubtreeWorkspace(),
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
  for (let k = 0; k < n; k++) {
    if (store.foldOf[k] === fold) continue; // a test row of this fold
    counts[k] = bootstrap ? bootstrapCount(store.seed, t, store.rowStart + k) : 1;
  }
  return counts;
}

/** Row → node of a tree at the job's level: cached and advanced, or routed from the root (stateless). */
function treeRows(store: PartitionStore, binned: BinnedData, e: LevelTree): { counts: Uint8Array; nodeOf: Int32Array } {
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
    tree.routing.apply(e.splits ?? new Int32Array(0));
    applyLevelSplits(binned, 0, binned.rows, [tree.nodeOf], [tree.routing]);
    tree.level = e.level;
  } else if (e.level !== tree.level) {
    throw new Error(`tree ${e.id} is at level ${tree.level}, the job asks for level ${e.level}`);
  }
  return tree;
}

/** Histograms of the job's frontier nodes over the requested partitions, summed (exact, so pre-summing is safe). */
export function handleLevelJob(store: PartitionStore, job: LevelJob): Float64Array {
  return handleLevel(store, job).hist;
}

/** A level job's whole answer: the histograms, and the rows of the nodes it asked samples of (if any). */
export function handleLevel(store: PartitionStore, job: LevelJob): { hist: Float64Array; samples?: NodeSampleReply[] } {
  const binned = store.bins.get(job.maxBins);
  if (!binned || !store.yq) throw new Error(`no binned data for maxBins ${job.maxBins} here`);
  const rows = job.trees.map((e) => treeRows(store, binned, e));
  const request = { slots: job.slots, slotOfNode: job.trees.map((e) => e.slotOfNode) };
  const hist = new Float64Array(job.slots * histogramLength(binned));
  const ranges = localRanges(store, job.partitions);
  addNodeHistograms(binned, store.yq, ranges, rows.map((r) => r.nodeOf), rows.map((r) => r.counts), request, hist, store.kernel);
  if (!job.trees.some((e) => e.samples && e.samples.length > 0)) return { hist };
  return { hist, samples: nodeSamples(binned, store.yq, ranges, job.trees, rows, store.kernel) };
}

/** The rows of the requested nodes, one piece per node in job order, ascending rows, each block column-major. */
export function nodeSamples(
  binned: BinnedData,
  yq: Float64Array,
  ranges: readonly [number, number][],
  trees: readonly LevelTree[],
  rows: readonly { counts: Uint8Array; nodeOf: Int32Array }[],
  ws: KernelWorkspace = new KernelWorkspace(),
): NodeSampleReply[] {
  const F = binned.features;
  // Request index q of each node per tree (−1: not asked).
  const slotOf: Int32Array[] = [];
  let nodes = 0;
  trees.forEach((e) => {
    const asked = e.samples ?? new Int32Array(0);
    const map = new Int32Array(asked.reduce((mx, v) => Math.max(mx, v + 1), 0)).fill(-1);
    asked.forEach((node) => (map[node] = nodes++));
    slotOf.push(map);
  });
  const size = new Int32Array(nodes);
  rows.forEach(({ nodeOf }, g) => {
    const map = slotOf[g];
    if (map.length === 0) return;
    for (const [a, b] of ranges) {
      for (let k = a; k < b; k++) {
        const node = nodeOf[k];
        if (node >= 0 && node < map.length && map[node] >= 0) size[map[node]]++;
      }
    }
  });
  const pieces = Array.from(size, (m): NodeSampleReply => ({ sizes: Int32Array.of(m), codes: new Uint8Array(m * F), counts: new Uint8Array(m), yq: new Float64Array(m) }));
  // Per tree: the rows of each node in order (a stable scatter into ws.order), then each node's codes gathered
  // column by column: one sequential write stream and one forward read stream at a time, instead of a row's F
  // codes written to F places of every node's block at once (that version took ~1.4 s of a worker's 6 s).
  let span = 0;
  for (const [a, b] of ranges) span += b - a;
  ws.reserve(span);
  const order = ws.order;
  const next = new Int32Array(nodes); // rows written per node so far
  const local = new Int32Array(nodes); // where a node's rows start in order (within its tree)
  const { codes: all, rows: held } = binned;
  let q0 = 0;
  rows.forEach(({ nodeOf, counts: cnt }, g) => {
    const map = slotOf[g];
    const q1 = q0 + (trees[g].samples?.length ?? 0);
    if (q1 === q0) return;
    for (let q = q0, at = 0; q < q1; q++) {
      local[q] = at;
      at += size[q];
    }
    for (const [a, b] of ranges) {
      for (let k = a; k < b; k++) {
        const node = nodeOf[k];
        if (node < 0 || node >= map.length || map[node] < 0) continue;
        const q = map[node];
        const piece = pieces[q];
        const i = next[q]++; // the row's index within its node
        order[local[q] + i] = k;
        piece.counts[i] = cnt[k];
        piece.yq[i] = yq[k];
      }
    }
    for (let q = q0; q < q1; q++) gatherNodeCodes(all, held, F, order, local[q], size[q], pieces[q].codes, 0);
    q0 = q1;
  });
  return pieces;
}

/** Codes of m rows (order[from…]) into a node block at out[at…], column-major: feature j at at + j·m. */
function gatherNodeCodes(all: Uint8Array, held: number, F: number, order: Uint32Array, from: number, m: number, out: Uint8Array, at: number): void {
  for (let j = 0; j < F; j++) {
    const col = j * held;
    const o = at + j * m;
    for (let i = 0; i < m; i++) out[o + i] = all[col + order[from + i]];
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

/**
 * The subtrees of a subtree job's nodes (growSubtree on each node's rows), concatenated. A node's rows are its
 * blocks in every source piece, in source (= partition) order: used in place when one source holds them all,
 * else copied feature by feature into the workspace.
 */
export function handleSubtreeJob(store: PartitionStore, job: SubtreeJob): SubtreeReply {
  const run = new SubtreeJobRun(store, job);
  while (run.step());
  return run.reply();
}

/**
 * A subtree job grown node by node, so a worker can answer level jobs (which hold up the whole level loop)
 * between two nodes of a long subtree job (worker.ts).
 */
export class SubtreeJobRun {
  private readonly binned: BinnedData;
  private readonly labels: QuantizedLabels;
  private readonly scratch: SplitScratch;
  private readonly trees: TreeArrays[] = [];
  private readonly from: Int32Array; // rows of each piece used so far
  private readonly nodes: number;
  private i = 0;

  constructor(private readonly store: PartitionStore, readonly job: SubtreeJob) {
    const held = store.bins.get(job.maxBins);
    if (!held) throw new Error(`no binned data for maxBins ${job.maxBins} here`);
    // Raw thresholds stay on the driver: it fills them in from (feature, binThreshold).
    this.binned = binnedTable(held.rows, held.features, held.codes, Array.from(held.nBins, (nb) => new Float64Array(Math.max(1, nb))), held.nBins, held.offsets);
    this.labels = { yq: new Float64Array(0), center: job.center, shift: 0, unit: job.unit };
    this.scratch = new SplitScratch(held.features);
    this.nodes = job.roots.length / ROOT_FIELDS;
    for (const p of job.pieces) if (p.sizes.length !== this.nodes) throw new Error(`subtree job: a piece holds ${p.sizes.length} nodes, the job ${this.nodes}`);
    this.from = new Int32Array(job.pieces.length);
  }

  /** Grow the next node's subtree; false once every node is grown. */
  step(): boolean {
    if (this.i >= this.nodes) return false;
    const { job, from, binned } = this;
    const i = this.i++;
    const samples = nodeRows(job.pieces, i, from, binned.features, this.store.subtree);
    job.pieces.forEach((p, v) => (from[v] += p.sizes[i]));
    const r = i * ROOT_FIELDS;
    const rule = { maxDepth: job.roots[r + 3], maxFeatures: job.roots[r + 4], minSamplesLeaf: job.roots[r + 5], bootstrap: true };
    this.trees.push(growSubtree(binned, this.labels, rule, job.roots[r], { depth: job.roots[r + 1], key: job.roots[r + 2] }, samples, this.scratch, this.store.subtree.grow));
    return this.i < this.nodes;
  }

  /** The grown subtrees, concatenated (after the last step). */
  reply(): SubtreeReply {
    const trees = this.trees;
    const total = trees.reduce((n, t) => n + t.nodes, 0);
    const out: SubtreeReply = {
      type: 'subtrees', job: this.job.job, nodes: Int32Array.from(trees, (t) => t.nodes), feature: new Int32Array(total), binThreshold: new Uint8Array(total),
      left: new Int32Array(total), right: new Int32Array(total), value: new Float64Array(total), weight: new Float64Array(total), gain: new Float64Array(total),
    };
    let at = 0;
    for (const t of trees) {
      for (const k of ['feature', 'binThreshold', 'left', 'right', 'value', 'weight', 'gain'] as const) out[k].set(t[k], at);
      at += t.nodes;
    }
    return out;
  }
}

/** Node i's rows: in place when one piece holds them all, else gathered column by column into the workspace. */
function nodeRows(pieces: readonly NodeSampleReply[], i: number, from: Int32Array, F: number, ws: SubtreeWorkspace): NodeSamples {
  let m = 0;
  let only = -1;
  pieces.forEach((p, v) => {
    if (p.sizes[i] > 0) only = m === 0 ? v : -2;
    m += p.sizes[i];
  });
  if (only >= 0 || m === 0) {
    const v = Math.max(0, only);
    const p = pieces[v];
    const a = from[v];
    return { rows: m, codes: p.codes.subarray(a * F, (a + m) * F), counts: p.counts.subarray(a, a + m), yq: p.yq.subarray(a, a + m) };
  }
  ws.reserve(m, F);
  let at = 0;
  pieces.forEach((p, v) => {
    const n = p.sizes[i];
    if (n === 0) return;
    const a = from[v];
    for (let j = 0; j < F; j++) ws.codes.set(p.codes.subarray(a * F + j * n, a * F + (j + 1) * n), j * m + at);
    ws.counts.set(p.counts.subarray(a, a + n), at);
    ws.yq.set(p.yq.subarray(a, a + n), at);
    at += n;
  });
  return { rows: m, codes: ws.codes.subarray(0, m * F), counts: ws.counts.subarray(0, m), yq: ws.yq.subarray(0, m) };
}

/** Thresholds of the job's features (per feature, per maxBins), read from the shared table: needs no store. */
export function handleEdgesJob(job: EdgesJob): Float64Array[][] {
  const data = fromBuffer(job.table);
  return job.features.map((j) => featureThresholds(data, j, job.maxBins, job.sample));
}

/** Predictions of the held test rows of job.fold (ascending rows) by the job's forest, on bin codes. */
export function handlePredictJob(store: PartitionStore, job: PredictJob): Float64Array {
  const binned = store.bins.get(job.maxBins);
  if (!binned) throw new Error(`no binned data for maxBins ${job.maxBins} here`);
  const rows = testRowsOf(store, job.fold);
  const trees = [];
  let at = 0;
  for (const size of job.nodes) {
    const pick = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => a.subarray(at, at + size) as T;
    trees.push({ feature: pick(job.feature), binThreshold: pick(job.binThreshold), left: pick(job.left), right: pick(job.right), value: pick(job.value) });
    at += size;
  }
  return predictForestBinned(trees, binned.codes, binned.rows, rows);
}

/** Per-partition sufficient statistics of fold f's training rows, one array per requested partition (in order). */
export function handleLinearJob(store: PartitionStore, job: LinearJob): Float64Array[] {
  const local = store.local;
  if (!local) throw new Error('no raw columns here (the workers were started for a forest)');
  return job.partitions.map((p) => {
    const [[a, b]] = localRanges(store, [p]);
    let m = 0;
    for (let k = a; k < b; k++) if (store.foldOf[k] !== job.fold) m++;
    const rows = new Uint32Array(m);
    m = 0;
    for (let k = a; k < b; k++) if (store.foldOf[k] !== job.fold) rows[m++] = k;
    // Same values in the same order as the whole-model fit's partition p: the same bits.
    return linearStats(local, rows, job.shift).data;
  });
}

/** The held test rows of fold f (local indices, ascending). */
function testRowsOf(store: PartitionStore, fold: number): Uint32Array {
  const n = store.rowEnd - store.rowStart;
  let m = 0;
  for (let k = 0; k < n; k++) if (store.foldOf[k] === fold) m++;
  const rows = new Uint32Array(m);
  m = 0;
  for (let k = 0; k < n; k++) if (store.foldOf[k] === fold) rows[m++] = k;
  return rows;
}

/** Predictions of the held test rows of job.fold by each of the job's linear models, concatenated model by model. */
export function handleLinearPredictJob(store: PartitionStore, job: LinearPredictJob): Float64Array {
  const local = store.local;
  if (!local) throw new Error('no raw columns here (the workers were started for a forest)');
  const rows = testRowsOf(store, job.fold);
  const n = job.intercepts.length * rows.length;
  const out = job.buffer && job.buffer.byteLength >= 8 * n ? new Float64Array(job.buffer, 0, n) : new Float64Array(n);
  linearPredictionsMany(job.coefficients, job.intercepts, local.x, local.rows, rows, out);
  return out;
}

export function releaseTrees(store: PartitionStore, ids: readonly number[]): void {
  for (const id of ids) store.trees.delete(id);
}

/** A partial tree's routing arrays, grown as the driver's splits arrive. */
export class GrowableRouting implements RoutingTree {
  feature = new Int32Array(16);
  binThreshold = new Uint8Array(16);
  left = new Int32Array(16).fill(-1);
  right = new Int32Array(16).fill(-1);

  /** Apply (node, feature, bin, left, right) tuples; re-applying a split is harmless (same values). */
  apply(splits: Int32Array): void {
    for (let k = 0; k < splits.length; k += SPLIT_FIELDS) {
      const node = splits[k];
      this.reserve(Math.max(node, splits[k + 3], splits[k + 4]) + 1);
      this.feature[node] = splits[k + 1];
      this.binThreshold[node] = splits[k + 2];
      this.left[node] = splits[k + 3];
      this.right[node] = splits[k + 4];
    }
  }

  bytes(): number {
    return this.feature.byteLength + this.binThreshold.byteLength + this.left.byteLength + this.right.byteLength;
  }

  private reserve(n: number): void {
    if (n <= this.left.length) return;
    let cap = this.left.length;
    while (cap < n) cap *= 2;
    this.feature = resized(this.feature, cap);
    this.binThreshold = resized(this.binThreshold, cap);
    this.left = resized(this.left, cap, -1);
    this.right = resized(this.right, cap, -1);
  }
}
