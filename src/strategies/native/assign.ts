/**
 * Which worker holds which partitions, and the copy of its rows it receives. Partitions go to workers in
 * contiguous blocks (worker w: partitions ⌊w·P/W⌋ … ⌊(w+1)·P/W⌋ − 1), so a worker's rows are one global range and
 * each column slice is a single copy. A worker receives only what its model needs — bin codes and quantized
 * labels for a forest, bin codes and labels for boosting, raw columns for a linear model — and never the whole table.
 */
import type { Dataset, SharedDatasetHandle } from '../../data/dataset.js';
import { partitionBounds } from '../../data/partitions.js';
import type { BinEdges, BinnedData } from '../../tree/binning.js';
import type { BinnedSlice, InitMessage } from './protocol.js';

export interface WorkerBlock {
  partitions: number[];
  rowStart: number;
  rowEnd: number;
}

/** Contiguous blocks of partitions for W workers (W ≤ P; every worker gets at least one partition). */
export function assignPartitions(rows: number, partitions: number, workers: number): WorkerBlock[] {
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= partitions)) {
    throw new RangeError(`workers must be an integer from 1 to the number of partitions (${partitions}), got ${workers}`);
  }
  const bounds = partitionBounds(rows, partitions);
  return Array.from({ length: workers }, (_, w) => {
    const p0 = Math.floor((w * partitions) / workers);
    const p1 = Math.floor(((w + 1) * partitions) / workers);
    const ids = Array.from({ length: p1 - p0 }, (_, k) => p0 + k);
    return { partitions: ids, rowStart: bounds[p0], rowEnd: bounds[p1] };
  });
}

/** Rows [start, end) of every column of a column-major array with `rows` rows, as a new array. */
export function sliceColumns<T extends Uint8Array | Float64Array>(all: T, rows: number, columns: number, start: number, end: number): T {
  const n = end - start;
  const out = new (all.constructor as new (n: number) => T)(n * columns);
  for (let j = 0; j < columns; j++) out.set(all.subarray(j * rows + start, j * rows + end), j * n);
  return out;
}

export interface PayloadSource {
  data: Dataset;
  /** The folds' roles (FoldPlan.roles: split f of row i at f·rows + i). */
  roles: Uint8Array;
  seed: number;
  partitions: number;
  /**
   * Forest: binned tables by maxBins (sliced per worker) or only their edges (each worker bins its rows from
   * `table`), and the quantized labels; linear: raw columns.
   */
  bins?: readonly { maxBins: number; binned: BinnedData | BinEdges }[];
  table?: SharedDatasetHandle;
  yq?: Float64Array;
  /** Label sums per histogram bin (tree/labels.ts width). */
  labelWidth?: number;
  linear?: boolean;
  /** Gradient boosting: the bins and the raw labels. */
  boost?: boolean;
}

/** The init message of one worker: copies of its rows only (fresh buffers, safe to transfer). */
export function initPayload(src: PayloadSource, block: WorkerBlock): { message: InitMessage; transfer: ArrayBuffer[] } {
  const { rowStart: a, rowEnd: b } = block;
  const rows = src.data.rows;
  const features = src.data.featureNames.length;
  const message: InitMessage = {
    type: 'init',
    seed: src.seed,
    bounds: partitionBounds(rows, src.partitions),
    partitions: block.partitions,
    rowStart: a,
    rowEnd: b,
    features,
    roles: sliceColumns(src.roles, rows, src.roles.length / rows, a, b),
  };
  if (src.bins) {
    message.bins = src.bins.map(({ maxBins, binned }): BinnedSlice => {
      const layout = { values: binned.values, flags: binned.flags, nBins: binned.nBins, offsets: binned.offsets };
      if ('codes' in binned) return { maxBins, codes: sliceColumns(binned.codes, rows, features, a, b), ...layout };
      if (!src.table) throw new Error('bins without codes need the shared table');
      return { maxBins, thresholds: binned.thresholds, ...layout };
    });
    if (src.table) message.table = src.table;
  }
  if (src.yq) message.yq = src.yq.slice(a, b);
  if (src.labelWidth !== undefined && src.labelWidth !== 1) message.labelWidth = src.labelWidth;
  if (src.linear && src.table) {
    // The worker copies its own rows out of the shared table (the copies run in parallel, not on the driver).
    message.table = src.table;
    message.linear = true;
  } else if (src.linear) {
    message.x = sliceColumns(src.data.x, rows, features, a, b);
    message.y = src.data.y.slice(a, b);
  }
  if (src.boost) {
    // With the shared table the worker copies its own labels out of it (createStore).
    message.boost = true;
    if (!message.table) message.y = src.data.y.slice(a, b);
  }
  const transfer: ArrayBuffer[] = [message.roles.buffer as ArrayBuffer];
  for (const s of message.bins ?? []) if (s.codes) transfer.push(s.codes.buffer as ArrayBuffer);
  for (const v of [message.yq, message.x, message.y]) if (v) transfer.push(v.buffer as ArrayBuffer);
  return { message, transfer };
}
