/**
 * Level jobs: the histograms of the frontier nodes over the held partitions, and the rows of the small nodes the
 * driver asked for (they finish locally: driver/local.ts).
 */
import type { BinnedData } from '../../../tree/binning.js';
import { histogramLength } from '../../../tree/histogram.js';
import { addNodeHistograms, KernelWorkspace } from './kernel.js';
import type { LevelJob, LevelTree, NodeSampleReply } from '../protocol.js';
import { localRanges, treeRows, type PartitionStore } from './store.js';

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
  const hist = new Float64Array(job.slots * histogramLength(binned, store.width));
  const ranges = localRanges(store, job.partitions);
  addNodeHistograms(binned, store.yq, ranges, rows.map((r) => r.nodeOf), rows.map((r) => r.counts), request, hist, store.kernel, store.width);
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
