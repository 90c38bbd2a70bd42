import { resized } from '../util/typed.js';

/**
 * The depth-first grower's pending nodes (right children waiting for their left sibling's subtree), as
 * parallel typed arrays that grow on demand: no per-node allocation and no boxed numbers.
 */
export class NodeStack {
  size = 0;
  start = new Int32Array(64);
  end = new Int32Array(64);
  depth = new Int32Array(64);
  /** 2·parentId + side (0 left, 1 right). */
  parent = new Int32Array(64);
  /** Path key as int32 (see growTree). */
  key = new Int32Array(64);
  w = new Float64Array(64);
  s = new Float64Array(64);
  /** 1 when the node lies under a transition node (its samples are in the sorted lists). */
  sorted = new Uint8Array(64);
  hist: (Float64Array | null)[] = [];

  push(start: number, end: number, depth: number, parent: number, key: number, w: number, s: number, sorted: number, hist: Float64Array | null): void {
    if (this.size === this.start.length) this.grow();
    const k = this.size++;
    this.start[k] = start;
    this.end[k] = end;
    this.depth[k] = depth;
    this.parent[k] = parent;
    this.key[k] = key;
    this.w[k] = w;
    this.s[k] = s;
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
    this.s = resized(this.s, cap);
    this.sorted = resized(this.sorted, cap);
  }
}
