/**
 * Growable column storage for a table whose row count is unknown until the end of a stream. Rows go into
 * fixed-size blocks (column-major inside each block), so growing never copies and never over-allocates by
 * more than one block; `toDataset` then makes the one copy onto the dataset's SharedArrayBuffer. Peak memory is
 * about twice the raw float64 size, never three times as with a doubling array.
 */
import { allocateDataset, type Dataset } from './dataset.js';

/** About 4 MiB per block whatever the width, and at least 256 rows. */
const BLOCK_BYTES = 4 * 1024 * 1024;

export class ColumnBlocks {
  /** Columns per row: the features, then the target. */
  readonly width: number;
  readonly blockRows: number;
  private readonly blocks: Float64Array[] = [];
  private current: Float64Array;
  private offset = 0;
  /** Committed rows. */
  rows = 0;

  constructor(width: number) {
    this.width = width;
    this.blockRows = Math.max(256, Math.floor(BLOCK_BYTES / (8 * Math.max(1, width))));
    this.current = new Float64Array(this.blockRows * width);
    this.blocks.push(this.current);
  }

  /** Write column k of the pending row (the one after the last committed row). */
  set(k: number, v: number): void {
    this.current[k * this.blockRows + this.offset] = v;
  }

  /** Keep the pending row. A row that is never committed is simply overwritten by the next one. */
  commit(): void {
    this.rows++;
    if (++this.offset === this.blockRows) {
      this.current = new Float64Array(this.blockRows * this.width);
      this.blocks.push(this.current);
      this.offset = 0;
    }
  }

  /** A copy of column k's committed rows (before toDataset, which lets the blocks go). */
  column(k: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let b = 0, start = 0; start < this.rows; b++, start += this.blockRows) {
      const count = Math.min(this.blockRows, this.rows - start);
      out.set(this.blocks[b].subarray(k * this.blockRows, k * this.blockRows + count), start);
    }
    return out;
  }

  /** Copy into a new dataset: columns 0..f−1 are the features, column f the target (any later ones are left). */
  toDataset(name: string, featureNames: readonly string[], targetName: string): Dataset {
    const f = featureNames.length;
    const data = allocateDataset(name, featureNames, targetName, this.rows);
    const n = this.rows;
    for (let b = 0; b < this.blocks.length; b++) {
      const start = b * this.blockRows;
      const count = Math.min(this.blockRows, n - start);
      if (count <= 0) break;
      const block = this.blocks[b];
      for (let k = 0; k <= f; k++) {
        const src = block.subarray(k * this.blockRows, k * this.blockRows + count);
        if (k < f) data.x.set(src, k * n + start);
        else data.y.set(src, start);
      }
      this.blocks[b] = EMPTY; // let the block go as soon as it is copied
    }
    return data;
  }
}

const EMPTY = new Float64Array(0);
