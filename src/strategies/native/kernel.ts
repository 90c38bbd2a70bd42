/**
 * The workers' histogram kernel: the same sums as levelwise.ts buildLevelHistograms, in a cache-friendly order.
 * buildLevelHistograms visits rows in row order, so at a deep level consecutive rows belong to different nodes
 * and every update lands in a different 60 KB histogram of a several-hundred-MB output (a cache miss each). Here a
 * tree's rows are first counting-sorted by slot (stably: ascending rows within a node), then each node's histogram
 * is filled feature by feature while it sits in cache. The sums are exact integers (labels.ts), so the order of
 * additions cannot change a bit: the output equals buildLevelHistograms' exactly (a test checks).
 */
import type { BinnedData } from '../../tree/binning.js';
import { STATS } from '../../tree/histogram.js';
import type { HistogramRequest } from '../../tree/levelwise.js';

/**
 * Add the histograms of the requested nodes over local rows of `ranges` into out (slots × totalBins × 3).
 * nodeOf[g] and counts[g] are tree g's per-row arrays over ALL local rows.
 */
export function addNodeHistograms(
  binned: BinnedData,
  yq: Float64Array,
  ranges: readonly [number, number][],
  nodeOf: readonly Int32Array[],
  counts: readonly Uint8Array[],
  request: HistogramRequest,
  out: Float64Array,
): void {
  const L = binned.totalBins * STATS;
  const { codes, rows, offsets, features } = binned;
  let span = 0;
  for (const [a, b] of ranges) span += b - a;
  const slotOfRow = new Int32Array(span);
  const order = new Uint32Array(span);
  const gw = new Float64Array(span);
  const gs = new Float64Array(span);
  const start = new Int32Array(request.slots + 1);
  for (let g = 0; g < request.slotOfNode.length; g++) {
    const nodes = nodeOf[g];
    const cnt = counts[g];
    const slotOf = request.slotOfNode[g];
    start.fill(0);
    // Pass 1: the slot of every sampled row (−1: not scanned), and the size of each slot.
    let m = 0;
    for (const [a, b] of ranges) {
      for (let k = a; k < b; k++) {
        const node = nodes[k];
        const slot = node < 0 || node >= slotOf.length ? -1 : slotOf[node];
        slotOfRow[m++] = slot;
        if (slot >= 0) start[slot + 1]++;
      }
    }
    for (let s = 0; s < request.slots; s++) start[s + 1] += start[s];
    // Pass 2: stable scatter by slot, gathering count and count·yq alongside.
    m = 0;
    for (const [a, b] of ranges) {
      for (let k = a; k < b; k++) {
        const slot = slotOfRow[m++];
        if (slot < 0) continue;
        const q = start[slot]++;
        order[q] = k;
        gw[q] = cnt[k];
        gs[q] = cnt[k] * yq[k];
      }
    }
    // start[s] is now the END of slot s; slot s spans [s > 0 ? start[s − 1] : 0, start[s]).
    for (let s = 0; s < request.slots; s++) {
      const q0 = s > 0 ? start[s - 1] : 0;
      const q1 = start[s];
      if (q0 === q1) continue;
      const base = s * L;
      for (let f = 0; f < features; f++) {
        const cb = f * rows;
        const off = base + offsets[f] * STATS;
        for (let q = q0; q < q1; q++) {
          const h = off + codes[cb + order[q]] * STATS;
          out[h] += 1;
          out[h + 1] += gw[q];
          out[h + 2] += gs[q];
        }
      }
    }
  }
}
