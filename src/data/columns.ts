/**
 * Growable column storage for a table whose row count is unknown until the end of a stream. Rows go into
 * fixed-size blocks (column-major inside each block), so growing never copies and never over-allocates by
 * more than one block; `toDataset` then makes the one copy onto the dataset's SharedArrayBuffer. Peak memory is
 * about twice the raw float64 size, never three times as with a doubling array.
 *
 * When the caller knows how many rows to expect (the CSV fast path counts a regular file's lines first), the first
 * block holds exactly that many rows on a SharedArrayBuffer laid out as a Dataset (features, then the target): if
 * that many rows arrive and nothing else is stored, the block becomes the dataset with no copy at all, and the peak
 * is the raw size. Fewer rows (blank lines, dropped rows) or more fall back to the copy.
 */
import { allocateDataset, fromBuffer, type Dataset } from './dataset.js';

/** About 4 MiB per block whatever the width, and at least 256 rows. */
const BLOCK_BYTES = 4 * 1024 * 1024;

export class ColumnBlocks {
  /** Columns per row: the features, then the target (then a group column, if any). */
  readonly width: number;
  /** Rows of every block after the first. */
  readonly blockRows: number;
  private readonly blocks: Float64Array[] = [];
  /** Rows of each block (its column stride). */
  private readonly strides: number[] = [];
  private current: Float64Array;
  /** The current block's stride. */
  private stride: number;
  private offset = 0;
  /** Committed rows. */
  rows = 0;

  constructor(width: number, expectedRows?: number) {
    this.width = width;
    this.blockRows = Math.max(256, Math.floor(BLOCK_BYTES / (8 * Math.max(1, width))));
    const expected = expectedRows !== undefined && expectedRows > 0;
    const first = expected ? expectedRows : this.blockRows;
    this.current = expected ? new Float64Array(new SharedArrayBuffer(8 * first * width)) : new Float64Array(first * width);
    this.stride = first;
    this.blocks.push(this.current);
    this.strides.push(first);
  }

  /** Write column k of the pending row (the one after the last committed row). */
  set(k: number, v: number): void {
    this.current[k * this.stride + this.offset] = v;
  }

  /** Keep the pending row. A row that is never committed is simply overwritten by the next one. */
  commit(): void {
    this.rows++;
    if (++this.offset === this.stride) {
      this.current = new Float64Array(this.blockRows * this.width);
      this.stride = this.blockRows;
      this.blocks.push(this.current);
      this.strides.push(this.blockRows);
      this.offset = 0;
    }
  }

  /** A copy of column k's committed rows (before toDataset, which lets the blocks go). */
  column(k: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let b = 0, start = 0; start < this.rows; start += this.strides[b], b++) {
      const count = Math.min(this.strides[b], this.rows - start);
      out.set(this.blocks[b].subarray(k * this.strides[b], k * this.strides[b] + count), start);
    }
    return out;
  }

  /** The dataset: columns 0..f−1 are the features, column f the target (any later ones are left). */
  toDataset(name: string, featureNames: readonly string[], targetName: string): Dataset {
    const f = featureNames.length;
    const n = this.rows;
    const first = this.blocks[0];
    if (n === this.strides[0] && this.width === f + 1 && first.buffer instanceof SharedArrayBuffer) {
      // Exactly the expected rows: the first block is the dataset's buffer (the next, allocated on the last
      // commit, is empty).
      this.blocks.length = 0;
      return fromBuffer({ name, featureNames: [...featureNames], targetName, rows: n, buffer: first.buffer });
    }
    const data = allocateDataset(name, featureNames, targetName, n);
    for (let b = 0, start = 0; b < this.blocks.length && start < n; start += this.strides[b], b++) {
      const count = Math.min(this.strides[b], n - start);
      const block = this.blocks[b];
      const stride = this.strides[b];
      for (let k = 0; k <= f; k++) {
        const src = block.subarray(k * stride, k * stride + count);
        if (k < f) data.x.set(src, k * n + start);
        else data.y.set(src, start);
      }
      this.blocks[b] = EMPTY; // let the block go as soon as it is copied
    }
    return data;
  }
}

const EMPTY = new Float64Array(0);
