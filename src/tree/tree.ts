/**
 * A fitted tree as a struct of arrays (no node objects): node i splits on feature[i] at threshold[i] (raw value;
 * x ≤ threshold goes to left[i]) or is a leaf (left[i] = right[i] = −1, feature[i] = −1) predicting value[i].
 * Nodes are numbered in pre-order (node, left subtree, right subtree), whichever builder grew the tree, so two
 * builders that make the same decisions produce the same arrays. A classifier with more than two classes keeps
 * `width` values per node (value[i·width + j]: the probability of class j + 1; class 0 has the rest), so
 * width = value.length / nodes.
 *
 * A split on a SET of bins (a categorical feature's categories, or "code ≤ b or missing": splitter.ts) has
 * set[i] = q ≥ 0 and sends the codes whose bit is on in sets[8q, 8q + 8) (256 bits, code c at word c >> 5, bit
 * c & 31) left; its binThreshold is 0 and its threshold NaN. Every other node has set[i] = −1. Sets are numbered in
 * node order (a tree's sets are in the order of its nodes), so equal trees have equal arrays. A tree without a set
 * split has empty `set` and `sets` (no 4 bytes per node for data with no category and no missing value): every
 * router checks set.length once per tree.
 */
import { resized } from '../util/typed.js';

/** Int32 words of one split's set of bins. */
export const SET_WORDS = 8;

/** Whether a split node sends bin `code` left (threshold or set, see above). */
export function goesLeft(code: number, binThreshold: number, q: number, sets: Int32Array): boolean {
  return q < 0 ? code <= binThreshold : inSet(sets, q, code);
}

/** Whether the set at sets[8q…] holds bin `code` (q = 0: a split's own SET_WORDS words). */
export function inSet(sets: Int32Array, q: number, code: number): boolean {
  return ((sets[(q << 3) | (code >> 5)] >>> (code & 31)) & 1) === 1;
}

/** Put bin `code` in a split's set of SET_WORDS words. */
export function addToSet(bits: Int32Array, code: number): void {
  bits[code >> 5] |= 1 << (code & 31);
}

export interface TreeArrays {
  readonly nodes: number;
  readonly feature: Int32Array;
  /** Raw threshold: x ≤ threshold goes left. NaN for leaves. */
  readonly threshold: Float64Array;
  /** The same split on bin codes: code ≤ binThreshold goes left. */
  readonly binThreshold: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** The node's prediction (width values per node; see above). */
  readonly value: Float64Array;
  /** Σ bootstrap counts of the node (scikit-learn's weighted_n_node_samples). */
  readonly weight: Float64Array;
  /** Impurity decrease of the split in label units² (W·var − WL·varL − WR·varR); 0 for leaves. */
  readonly gain: Float64Array;
  /** Per node: −1, or the index of its set of bins in `sets` (see above); empty when the tree has no set split. */
  readonly set: Int32Array;
  /** SET_WORDS words per set split, in node order. */
  readonly sets: Int32Array;
}

/** A growable tree: nodes are appended, arrays double as needed; `finish` trims. */
export class TreeBuilder {
  nodes = 0;
  constructor(readonly width = 1) {
    this.value = new Float64Array(64 * width);
  }

  feature = new Int32Array(64);
  threshold = new Float64Array(64);
  binThreshold = new Uint8Array(64);
  left = new Int32Array(64);
  right = new Int32Array(64);
  value: Float64Array;
  weight = new Float64Array(64);
  gain = new Float64Array(64);
  /** Empty until the first set split (see above). */
  set = new Int32Array(0);
  sets = new Int32Array(0);
  /** Sets in use (sets[0, 8·setCount)). */
  setCount = 0;

  /** Start a new tree, keeping the arrays. */
  reset(): void {
    this.nodes = 0;
    this.setCount = 0;
    this.set = new Int32Array(0);
  }

  /** Append a leaf; returns its id. */
  addLeaf(value: number, weight: number): number {
    if (this.nodes === this.feature.length) this.grow();
    const id = this.nodes++;
    this.feature[id] = -1;
    this.threshold[id] = NaN;
    this.binThreshold[id] = 0;
    this.left[id] = -1;
    this.right[id] = -1;
    const W = this.width;
    this.value[id * W] = value;
    for (let j = 1; j < W; j++) this.value[id * W + j] = 0;
    this.weight[id] = weight;
    this.gain[id] = 0;
    if (this.set.length > 0) this.set[id] = -1;
    return id;
  }

  /** Turn leaf `id` into a split (children are attached with setChildren). */
  setSplit(id: number, feature: number, bin: number, threshold: number, gain: number): void {
    this.feature[id] = feature;
    this.binThreshold[id] = bin;
    this.threshold[id] = threshold;
    this.gain[id] = gain;
  }

  /** Turn leaf `id` into a split on a set of bins (its SET_WORDS words). */
  setSetSplit(id: number, feature: number, bits: Int32Array, gain: number): void {
    this.setSplit(id, feature, 0, NaN, gain);
    if (this.set.length === 0) this.set = new Int32Array(this.feature.length).fill(-1);
    if ((this.setCount + 1) * SET_WORDS > this.sets.length) this.sets = resized(this.sets, Math.max(64, this.sets.length * 2));
    this.set[id] = this.setCount;
    this.sets.set(bits.subarray(0, SET_WORDS), this.setCount * SET_WORDS);
    this.setCount++;
  }

  private grow(): void {
    const cap = this.feature.length * 2;
    this.feature = resized(this.feature, cap);
    this.threshold = resized(this.threshold, cap);
    this.binThreshold = resized(this.binThreshold, cap);
    this.left = resized(this.left, cap);
    this.right = resized(this.right, cap);
    this.value = resized(this.value, cap * this.width);
    this.weight = resized(this.weight, cap);
    this.gain = resized(this.gain, cap);
    if (this.set.length > 0) this.set = resized(this.set, cap, -1);
  }

  finish(): TreeArrays {
    const n = this.nodes;
    return {
      nodes: n,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      binThreshold: this.binThreshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      value: this.value.slice(0, n * this.width),
      weight: this.weight.slice(0, n),
      gain: this.gain.slice(0, n),
      ...inNodeOrder(this.set.subarray(0, n), this.sets),
    };
  }
}

/** A tree's set indices and sets renumbered in node order (set[i] ≥ 0 indexes `sets`; new arrays, empty without a set). */
export function inNodeOrder(set: Int32Array, sets: Int32Array): { set: Int32Array; sets: Int32Array } {
  let k = 0;
  for (let i = 0; i < set.length; i++) if (set[i] >= 0) k++;
  if (k === 0) return { set: new Int32Array(0), sets: new Int32Array(0) };
  const out = Int32Array.from(set);
  const bits = new Int32Array(k * SET_WORDS);
  k = 0;
  for (let i = 0; i < out.length; i++) {
    const q = out[i];
    if (q < 0) continue;
    bits.set(sets.subarray(q * SET_WORDS, (q + 1) * SET_WORDS), k * SET_WORDS);
    out[i] = k++;
  }
  return { set: out, sets: bits };
}

/** The same tree renumbered in pre-order (used by builders that create nodes level by level). */
export function toPreorder(t: TreeArrays): TreeArrays {
  const n = t.nodes;
  const newId = new Int32Array(n);
  const order = new Int32Array(n);
  const stack = new Int32Array(n + 1);
  let sp = 0;
  let k = 0;
  if (n > 0) stack[sp++] = 0;
  while (sp > 0) {
    const i = stack[--sp];
    newId[i] = k;
    order[k++] = i;
    if (t.left[i] >= 0) {
      stack[sp++] = t.right[i];
      stack[sp++] = t.left[i];
    }
  }
  const pick = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
    const b = a.slice(0, k) as T;
    for (let j = 0; j < k; j++) b[j] = a[order[j]];
    return b;
  };
  const W = n > 0 ? t.value.length / n : 1;
  const value = t.value.slice(0, k * W);
  for (let j = 0; j < k; j++) for (let q = 0; q < W; q++) value[j * W + q] = t.value[order[j] * W + q];
  const left = pick(t.left);
  const right = pick(t.right);
  for (let j = 0; j < k; j++) {
    if (left[j] >= 0) {
      left[j] = newId[left[j]];
      right[j] = newId[right[j]];
    }
  }
  return {
    nodes: k,
    feature: pick(t.feature),
    threshold: pick(t.threshold),
    binThreshold: pick(t.binThreshold),
    left,
    right,
    value,
    weight: pick(t.weight),
    gain: pick(t.gain),
    ...inNodeOrder(t.set.length > 0 ? pick(t.set) : t.set, t.sets),
  };
}

/**
 * Several trees' set indices and sets concatenated (PackedTrees, native/protocol.ts): tree k's indices are offset
 * by the sets before it, so every tree of the pack reads the one `sets` array (both empty when no tree has a set).
 */
export function packSets(trees: readonly Pick<TreeArrays, 'nodes' | 'set' | 'sets'>[]): { set: Int32Array; sets: Int32Array } {
  if (trees.every((t) => t.set.length === 0)) return { set: new Int32Array(0), sets: new Int32Array(0) };
  const set = new Int32Array(trees.reduce((n, t) => n + t.nodes, 0)).fill(-1);
  const sets = new Int32Array(trees.reduce((n, t) => n + t.sets.length, 0));
  let at = 0;
  let base = 0;
  for (const t of trees) {
    for (let i = 0; i < t.set.length; i++) if (t.set[i] >= 0) set[at + i] = t.set[i] + base;
    sets.set(t.sets, base * SET_WORDS);
    at += t.nodes;
    base += t.sets.length / SET_WORDS;
  }
  return { set, sets };
}
