/**
 * The workers' histogram kernel: the same sums as levelwise.ts buildLevelHistograms, in a cache-friendly order.
 * buildLevelHistograms visits rows in row order, so at a deep level consecutive rows belong to different nodes
 * and every update lands in a different 60 KB histogram of a several-hundred-MB output (a cache miss each). Here a
 * tree's rows are first counting-sorted by slot (stably: ascending rows within a node), then each node's histogram
 * is filled feature by feature while it sits in cache. The sums are exact integers (labels.ts), so the order of
 * additions cannot change a bit: the output equals buildLevelHistograms' exactly (a test checks).
 */
import type { BinnedData } from '../../../tree/binning.js';
import { statsOf } from '../../../tree/histogram.js';
import type { HistogramRequest } from '../../../tree/levelwise.js';

/** Per-row buffers the kernel reuses from job to job (a level job touches every held row: fresh pages are costly). */
export class KernelWorkspace {
  slotOfRow = new Int32Array(0);
  order = new Uint32Array(0);
  gw = new Float64Array(0);
  gs = new Float64Array(0);

  reserve(rows: number): void {
    if (this.order.length >= rows) return;
    this.slotOfRow = new Int32Array(rows);
    this.order = new Uint32Array(rows);
    this.gw = new Float64Array(rows);
    this.gs = new Float64Array(rows);
  }
}

/**
 * Add the histograms of the requested nodes over local rows of `ranges` into out (slots × totalBins × 3).
 * nodeOf[g] and counts[g] are tree g's per-row arrays over ALL local rows.
 *
 * Each pass is its own small function: V8 then optimizes each once, with full type feedback, instead of
 * recompiling one long function on stack replacement at every loop it had not yet run (measured: ~16 TurboFan
 * compilations per worker, ~0.5 s of background CPU each, when it was one function).
 */
export function addNodeHistograms(
  binned: BinnedData,
  yq: Float64Array,
  ranges: readonly [number, number][],
  nodeOf: readonly Int32Array[],
  counts: readonly Uint8Array[],
  request: HistogramRequest,
  out: Float64Array,
  ws: KernelWorkspace = new KernelWorkspace(),
  width = 1,
): void {
  const S = statsOf(width);
  let span = 0;
  for (const [a, b] of ranges) span += b - a;
  ws.reserve(span);
  const start = new Int32Array(request.slots + 1);
  for (let g = 0; g < request.slotOfNode.length; g++) {
    start.fill(0);
    const slotOf = request.slotOfNode[g];
    let m = 0;
    for (const [a, b] of ranges) m = slotRows(nodeOf[g], slotOf, a, b, ws.slotOfRow, m, start);
    for (let s = 0; s < request.slots; s++) start[s + 1] += start[s];
    m = 0;
    for (const [a, b] of ranges) m = scatterBySlot(counts[g], yq, a, b, ws, m, start, width);
    // start[s] is now the END of slot s; slot s spans [s > 0 ? start[s − 1] : 0, start[s]).
    for (let s = 0; s < request.slots; s++) {
      const q0 = s > 0 ? start[s - 1] : 0;
      if (q0 < start[s]) {
        if (width === 1) addSlotHistogram(binned, ws, q0, start[s], out, s * binned.totalBins * S);
        else addSlotClassHistogram(binned, ws, q0, start[s], out, s * binned.totalBins * S, S);
      }
    }
  }
}

/** Pass 1: the slot of every local row of [a, b) (−1: not scanned) from position m on, counted per slot in start[slot + 1]. */
function slotRows(nodes: Int32Array, slotOf: Int32Array, a: number, b: number, slotOfRow: Int32Array, m: number, start: Int32Array): number {
  for (let k = a; k < b; k++) {
    const node = nodes[k];
    const slot = node < 0 || node >= slotOf.length ? -1 : slotOf[node];
    slotOfRow[m++] = slot;
    if (slot >= 0) start[slot + 1]++;
  }
  return m;
}

/** Pass 2: stable scatter of the rows of [a, b) by slot, gathering count and count·yq (width > 1: the class) alongside. */
function scatterBySlot(cnt: Uint8Array, yq: Float64Array, a: number, b: number, ws: KernelWorkspace, m: number, start: Int32Array, width: number): number {
  const { slotOfRow, order, gw, gs } = ws;
  for (let k = a; k < b; k++) {
    const slot = slotOfRow[m++];
    if (slot < 0) continue;
    const q = start[slot]++;
    order[q] = k;
    gw[q] = cnt[k];
    gs[q] = width === 1 ? cnt[k] * yq[k] : yq[k];
  }
  return m;
}

/** Pass 3: one node's histogram (at out[base…]) from its sorted rows [q0, q1), feature by feature while it is in cache. */
function addSlotHistogram(binned: BinnedData, ws: KernelWorkspace, q0: number, q1: number, out: Float64Array, base: number): void {
  const { codes, rows, offsets, features } = binned;
  const { order, gw, gs } = ws;
  for (let f = 0; f < features; f++) {
    const cb = f * rows;
    const off = base + offsets[f] * 3;
    for (let q = q0; q < q1; q++) {
      const h = off + codes[cb + order[q]] * 3;
      out[h] += 1;
      out[h + 1] += gw[q];
      out[h + 2] += gs[q];
    }
  }
}

/** Pass 3 with more than two classes: a sample's count goes to its class's sum (none for class 0), stride S. */
function addSlotClassHistogram(binned: BinnedData, ws: KernelWorkspace, q0: number, q1: number, out: Float64Array, base: number, S: number): void {
  const { codes, rows, offsets, features } = binned;
  const { order, gw, gs } = ws;
  for (let f = 0; f < features; f++) {
    const cb = f * rows;
    const off = base + offsets[f] * S;
    for (let q = q0; q < q1; q++) {
      const h = off + codes[cb + order[q]] * S;
      const cls = gs[q];
      out[h] += 1;
      out[h + 1] += gw[q];
      if (cls > 0) out[h + 1 + cls] += gw[q];
    }
  }
}
