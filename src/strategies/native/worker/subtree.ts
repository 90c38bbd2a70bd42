/**
 * Subtree jobs: grow small nodes to the end from the rows every partition sent, with the depth-first grower's
 * small-node code (tree/subtree.ts), in steps, so that level jobs are never kept waiting behind them.
 */
import { withCodes, type BinnedData } from '../../../tree/binning.js';
import { growSubtree, type NodeSamples } from '../../../tree/subtree.js';
import type { QuantizedLabels } from '../../../tree/labels.js';
import { SplitScratch } from '../../../tree/splitter.js';
import { packSets, type TreeArrays } from '../../../tree/tree.js';
import { ROOT_FIELDS, type NodeSampleReply, type SubtreeJob, type SubtreeReply } from '../protocol.js';
import type { PartitionStore, SubtreeWorkspace } from './store.js';

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
    this.binned = withCodes(held, held.rows, held.codes, Array.from(held.nBins, (nb) => new Float64Array(Math.max(1, nb))));
    this.labels = { yq: new Float64Array(0), center: job.center, shift: 0, unit: job.unit, width: store.width, classes: 0 };
    this.scratch = new SplitScratch(held.features, store.width);
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
    const rule = { maxDepth: job.roots[r + 3], maxFeatures: job.roots[r + 4], minSamplesLeaf: job.roots[r + 5], bootstrap: true, criterion: job.roots[r + 6] === 1 ? ('entropy' as const) : ('gini' as const) };
    this.trees.push(growSubtree(binned, this.labels, rule, job.roots[r], { depth: job.roots[r + 1], key: job.roots[r + 2] }, samples, this.scratch, this.store.subtree.grow));
    return this.i < this.nodes;
  }

  /** The grown subtrees, concatenated (after the last step). */
  reply(): SubtreeReply {
    const trees = this.trees;
    const total = trees.reduce((n, t) => n + t.nodes, 0);
    const out: SubtreeReply = {
      type: 'subtrees', job: this.job.job, nodes: Int32Array.from(trees, (t) => t.nodes), feature: new Int32Array(total), binThreshold: new Uint8Array(total),
      left: new Int32Array(total), right: new Int32Array(total), value: new Float64Array(total * this.labels.width), weight: new Float64Array(total), gain: new Float64Array(total),
      ...packSets(trees),
    };
    let at = 0;
    for (const t of trees) {
      for (const k of ['feature', 'binThreshold', 'left', 'right', 'weight', 'gain'] as const) out[k].set(t[k], at);
      out.value.set(t.value, at * this.labels.width);
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
