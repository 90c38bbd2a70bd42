import { resized } from '../util/typed.js';

/**
 * The depth-first grower's pending nodes (right children waiting for their left sibling's subtree), as
 * parallel typed arrays that grow on demand: no per-node allocation and no boxed numbers.
 */
export class NodeStack {
  size = 0;
  constructor(readonly width = 1) {
    this.s = new Float64Array(64 * width);
  }

  start = new Int32Array(64);
  end = new Int32Array(64);
  depth = new Int32Array(64);
  /** 2·parentId + side (0 left, 1 right). */
  parent = new Int32Array(64);
  /** Path key as int32 (see growTree). */
  key = new Int32Array(64);
  w = new Float64Array(64);
  /** The node's label sums: width entries from k·width. */
  s: Float64Array;
  /** 1 when the node lies under a transition node (its samples are in the sorted lists). */
  sorted = new Uint8Array(64);
  hist: (Float64Array | null)[] = [];

  /**
   * Push a node; its label sums are `s` minus `minus` (when given) — a right child's are its parent's minus its
   * left sibling's.
   */
  push(start: number, end: number, depth: number, parent: number, key: number, w: number, s: Float64Array, sorted: number, hist: Float64Array | null, minus: Float64Array | null = null): void {
    if (this.size === this.start.length) this.grow();
    const k = this.size++;
    this.start[k] = start;
    this.end[k] = end;
    this.depth[k] = depth;
    this.parent[k] = parent;
    this.key[k] = key;
    this.w[k] = w;
    const W = this.width;
    for (let j = 0; j < W; j++) this.s[k * W + j] = minus === null ? s[j] : s[j] - minus[j];
    this.sorted[k] = sorted;
    this.hist[k] = hist;
  }

  private grow(): void {
    const cap = this.start.length * 2;
    this.start = resized(this.start, cap);
    this.end = resized(this.end, cap);
    this.depth = resized(this.depth, cap);
    this.parent = resized(this.parent, cap);
    this.key = resized(this.key, cap);
    this.w = resized(this.w, cap);
    this.s = resized(this.s, cap * this.width);
    this.sorted = resized(this.sorted, cap);
  }
}
