/**
 * Sufficient statistics of least squares over some rows, on values shifted by the dataset's column means (no
 * catastrophic cancellation). Computed per row partition, merged by addition in partition order in every
 * strategy, so the fit depends on P and never on threads. One flat Float64Array: transferable as is.
 */
import type { Dataset } from '../../data/dataset.js';
import { partitionBounds } from '../../data/partitions.js';

export interface LinearStats {
  readonly features: number;
  /** [n, Σy, Σy², Σx[F], Σxy[F], Σxxᵀ[F×F] row-major], all on shifted values. */
  readonly data: Float64Array;
}

export function emptyLinearStats(features: number): LinearStats {
  return { features, data: new Float64Array(3 + 2 * features + features * features) };
}

export function toArray(s: LinearStats): Float64Array {
  return s.data;
}

export function fromArray(a: Float64Array): LinearStats {
  const f = Math.round(Math.sqrt(a.length - 2) - 1);
  if (3 + 2 * f + f * f !== a.length) throw new RangeError(`not a LinearStats array: length ${a.length}`);
  return { features: f, data: a };
}

/** Column means over all rows (features, then the label): the shift every strategy uses. */
export function columnMeans(data: Dataset): Float64Array {
  const f = data.featureNames.length;
  const n = data.rows;
  const out = new Float64Array(f + 1);
  if (n === 0) return out;
  for (let j = 0; j <= f; j++) {
    const col = j < f ? data.x.subarray(j * n, (j + 1) * n) : data.y;
    let s = 0;
    for (let i = 0; i < n; i++) s += col[i];
    out[j] = s / n;
  }
  return out;
}

/** The shift from the per-thread cache ('linear:shift'), computed on first use for this dataset. */
export function linearShift(data: Dataset, cache?: Map<string, unknown>): Float64Array {
  const hit = cache?.get('linear:shift') as { x: Float64Array; shift: Float64Array } | undefined;
  if (hit && hit.x === data.x) return hit.shift;
  const shift = columnMeans(data);
  cache?.set('linear:shift', { x: data.x, shift });
  return shift;
}

/** Statistics of the given ascending rows, summed in row order. */
export function linearStats(data: Dataset, rows: Uint32Array, shift: Float64Array): LinearStats {
  const f = data.featureNames.length;
  const s = emptyLinearStats(f);
  const d = s.data;
  const oX = 3;
  const oXY = 3 + f;
  const oXX = 3 + 2 * f;
  const v = new Float64Array(f);
  const stride = data.rows;
  let sy = 0;
  let syy = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let j = 0; j < f; j++) v[j] = data.x[j * stride + i] - shift[j];
    const dy = data.y[i] - shift[f];
    sy += dy;
    syy += dy * dy;
    for (let j = 0; j < f; j++) {
      const vj = v[j];
      d[oX + j] += vj;
      d[oXY + j] += vj * dy;
      for (let k = j; k < f; k++) d[oXX + j * f + k] += vj * v[k];
    }
  }
  for (let j = 0; j < f; j++) for (let k = 0; k < j; k++) d[oXX + j * f + k] = d[oXX + k * f + j];
  d[0] = rows.length;
  d[1] = sy;
  d[2] = syy;
  return s;
}

/** a + b element by element (new value). */
export function mergeLinearStats(a: LinearStats, b: LinearStats): LinearStats {
  if (a.features !== b.features) throw new RangeError('cannot merge statistics of different feature counts');
  const out = { features: a.features, data: a.data.slice() };
  for (let k = 0; k < out.data.length; k++) out.data[k] += b.data[k];
  return out;
}

function lowerBound(rows: Uint32Array, v: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Training rows inside partition p: a contiguous view of the ascending `train`. */
export function partitionRows(train: Uint32Array, bounds: Uint32Array, p: number): Uint32Array {
  return train.subarray(lowerBound(train, bounds[p]), lowerBound(train, bounds[p + 1]));
}

/** Stats per partition of partitionBounds(data.rows, partitions), merged in partition order from zero. */
export function partitionedStats(data: Dataset, train: Uint32Array, partitions: number, shift: Float64Array): LinearStats {
  const bounds = partitionBounds(data.rows, partitions);
  let acc = emptyLinearStats(data.featureNames.length);
  for (let p = 0; p < partitions; p++) acc = mergeLinearStats(acc, linearStats(data, partitionRows(train, bounds, p), shift));
  return acc;
}
