/**
 * A fitted tree as a struct of arrays (no node objects): node i splits on feature[i] at threshold[i] (raw value;
 * x ≤ threshold goes to left[i]) or is a leaf (left[i] = right[i] = −1, feature[i] = −1) predicting value[i].
 * Nodes are numbered in pre-order (node, left subtree, right subtree), whichever builder grew the tree, so two
 * builders that make the same decisions produce the same arrays. A classifier with more than two classes keeps
 * `width` values per node (value[i·width + j]: the probability of class j + 1; class 0 has the rest), so
 * width = value.length / nodes.
 */
import { resized } from '../util/typed.js';

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

  /** Start a new tree, keeping the arrays. */
  reset(): void {
    this.nodes = 0;
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
    return id;
  }

  /** Turn leaf `id` into a split (children are attached with setChildren). */
  setSplit(id: number, feature: number, bin: number, threshold: number, gain: number): void {
    this.feature[id] = feature;
    this.binThreshold[id] = bin;
    this.threshold[id] = threshold;
    this.gain[id] = gain;
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
    };
  }
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
  };
}
