/**
 * Small nodes as per-feature lists of their samples sorted by bin code (SPRINT's attribute lists, built late).
 *
 * Why: below the histogram threshold most of a tree's nodes hold a handful of samples, and collecting each
 * feature's non-empty bins by scattering into 256 accumulators (then finding and clearing the touched ones)
 * costs more than the samples themselves. When the depth-first grower reaches such a node (the "transition"
 * node) it sorts the node's samples by code, once per feature (counting sort), into small local lists; a
 * feature's non-empty bins are then the runs of one list, read in order (splitter.ts fillFromSorted), and a
 * split partitions every list stably so both children stay sorted without sorting again.
 *
 * Only one transition subtree is alive at a time (the grower is depth-first and a transition node's subtree
 * is finished before anything else is popped), so the lists hold at most `capacity` samples per feature,
 * addressed by position relative to the transition node. Samples get local slots 0..n−1 with their count and
 * count·yq; no row index is needed below the transition. Per-bin totals are the same exact integers as a
 * histogram's, so the chosen splits, and the tree, are bit for bit those of the other paths.
 */
import type { BinnedData } from './binning.js';
import { inSet } from './tree.js';

export class SortedLists {
  /** Slot of the k-th sample (by code) of feature f at slots[f·capacity + k]. */
  readonly slots: Uint32Array;
  /** Its code, alongside (so a scan reads two sequential arrays). */
  readonly codes: Uint8Array;
  /** Count and count·yq per slot. */
  readonly w: Float64Array;
  readonly s: Float64Array;
  /** 1 when a slot goes to the left child of the split being applied. */
  private readonly goLeft: Uint8Array;
  private readonly tmpSlots: Uint32Array;
  private readonly tmpCodes: Uint8Array;
  private readonly bucket = new Int32Array(257);
  /** Position (in the grower's sample array) of the current transition node's first sample. */
  base = 0;

  constructor(
    readonly features: number,
    readonly capacity: number,
  ) {
    this.slots = new Uint32Array(features * capacity);
    this.codes = new Uint8Array(features * capacity);
    this.w = new Float64Array(capacity);
    this.s = new Float64Array(capacity);
    this.goLeft = new Uint8Array(capacity);
    this.tmpSlots = new Uint32Array(capacity);
    this.tmpCodes = new Uint8Array(capacity);
  }

  /**
   * Make the node holding rows idx[start, end) (at most `capacity`) the transition node: slot k is row
   * idx[start + k]; each feature's list is sorted by code (counting sort; insertion sort for a few samples).
   */
  load(binned: BinnedData, idx: Uint32Array, start: number, end: number, counts: Uint8Array, yq: Float64Array): void {
    const n = end - start;
    const { codes: all, rows, nBins } = binned;
    const cap = this.capacity;
    const { slots, codes, w, s, bucket } = this;
    this.base = start;
    for (let k = 0; k < n; k++) {
      const i = idx[start + k];
      const c = counts[i];
      w[k] = c;
      s[k] = c * yq[i];
    }
    for (let f = 0; f < this.features; f++) {
      const src = f * rows;
      const o = f * cap;
      const nb = nBins[f];
      if (n * n <= 4 * nb) {
        // Insertion sort: cheaper than touching nb buckets for a few samples.
        for (let k = 0; k < n; k++) {
          const c = all[src + idx[start + k]];
          let p = o + k;
          while (p > o && codes[p - 1] > c) {
            codes[p] = codes[p - 1];
            slots[p] = slots[p - 1];
            p--;
          }
          codes[p] = c;
          slots[p] = k;
        }
        continue;
      }
      bucket.fill(0, 0, nb + 1);
      for (let k = 0; k < n; k++) bucket[all[src + idx[start + k]] + 1]++;
      for (let b = 1; b <= nb; b++) bucket[b] += bucket[b - 1];
      for (let k = 0; k < n; k++) {
        const c = all[src + idx[start + k]];
        const p = o + bucket[c]++;
        codes[p] = c;
        slots[p] = k;
      }
    }
  }

  /**
   * Apply the split "code of f ≤ its nL-th smallest" to the node at grower positions [start, end): every list
   * is partitioned stably, left samples first. Feature f's own list is already in that order.
   */
  partition(start: number, end: number, f: number, nL: number): void {
    const a = start - this.base;
    const b = end - this.base;
    const mid = a + nL;
    const { slots, goLeft } = this;
    const of = f * this.capacity;
    for (let k = a; k < mid; k++) goLeft[slots[of + k]] = 1;
    for (let k = mid; k < b; k++) goLeft[slots[of + k]] = 0;
    this.partitionLists(a, b, f);
  }

  /** The same for a split sending the codes of f in `set` (tree.ts SET_WORDS words) left: f's list is partitioned too. */
  partitionBySet(start: number, end: number, f: number, set: Int32Array): void {
    const a = start - this.base;
    const b = end - this.base;
    const { slots, codes, goLeft } = this;
    const of = f * this.capacity;
    for (let k = a; k < b; k++) goLeft[slots[of + k]] = inSet(set, 0, codes[of + k]) ? 1 : 0;
    this.partitionLists(a, b, -1);
  }

  /** Partition every list but `skip`'s at local positions [a, b) stably by goLeft. */
  private partitionLists(a: number, b: number, skip: number): void {
    const cap = this.capacity;
    const { slots, codes, goLeft, tmpSlots, tmpCodes } = this;
    for (let g = 0; g < this.features; g++) {
      if (g === skip) continue;
      const o = g * cap;
      // Branch-free: write each sample to both places, advance the side it belongs to.
      let l = o + a;
      let r = 0;
      for (let k = o + a; k < o + b; k++) {
        const sl = slots[k];
        const c = codes[k];
        const left = goLeft[sl];
        slots[l] = sl;
        codes[l] = c;
        tmpSlots[r] = sl;
        tmpCodes[r] = c;
        l += left;
        r += 1 - left;
      }
      for (let k = 0; k < r; k++) {
        slots[l + k] = tmpSlots[k];
        codes[l + k] = tmpCodes[k];
      }
    }
  }
}
