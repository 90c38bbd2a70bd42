/**
 * Labels quantized to integers, once per dataset, so every histogram sum is EXACT in float64.
 *
 * yq = round((y − c) · 2^s) with c = (min + max) / 2 and s the largest integer with
 * MAX_COUNT · rows · (max|y − c| · 2^s + 1) ≤ 2^53. Every Σ count·yq and Σ count a histogram holds is then an
 * integer below 2^53, so it is exact whatever the order of summation, the partitioning of the rows, or whether a
 * histogram was scanned or obtained as parent − sibling. That is why the depth-first builder and the level-wise
 * (native, any number of workers) builder grow bit-identical trees: same seed ⇒ same metrics, whatever the strategy.
 * A leaf predicts (Σ count·yq / Σ count) · 2^−s + c; the rounding error is below 2^−s/2 per label, relative
 * ~1e-12 on diabetes and ~1e-9 at a million rows: invisible in any metric.
 */
import { ModelError } from '../errors.js';
import { MAX_COUNT } from './bootstrap.js';

/** 2^±MAX_SHIFT stays a normal double. */
const MAX_SHIFT = 1000;

export interface QuantizedLabels {
  /**
   * round((y − center) · 2^shift), integer-valued doubles, one per dataset row; for a classification the row's
   * class index (0…classes−1).
   */
  readonly yq: Float64Array;
  readonly center: number;
  readonly shift: number;
  /** 2^−shift: multiply a quantized mean by it and add center. */
  readonly unit: number;
  /**
   * Label sums per histogram bin (histogram.ts): 1 for a regression (Σ count·yq) and for two classes (Σ count·yq
   * is the count of class 1); classes − 1 for more (sum j counts class j + 1; class 0 is the rest of the count).
   */
  readonly width: number;
  /** 0 for a regression, else the number of classes. */
  readonly classes: number;
}

/** Label sums per bin for a task: 1 for a regression or two classes, classes − 1 otherwise. */
export function labelWidth(classes: number): number {
  return classes <= 2 ? 1 : classes - 1;
}

/**
 * A classification's labels: yq is the class index itself, so every sum is a count (an integer, exact). With two
 * classes the one sum Σ count·yq is the count of class 1 and the variance-reduction search of a regression is the
 * Gini search (Gini = 2·p(1 − p) = 2 · the variance of a 0/1 label, so the gains are proportional).
 */
export function classLabels(y: Float64Array, classes: number): QuantizedLabels {
  for (let i = 0; i < y.length; i++) {
    const c = y[i];
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) throw new ModelError(`row ${i}'s class index ${c} is not one of 0…${classes - 1}`);
  }
  return { yq: Float64Array.from(y), center: 0, shift: 0, unit: 1, width: labelWidth(classes), classes };
}

export function quantizeLabels(y: Float64Array): QuantizedLabels {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) return { yq: new Float64Array(y.length), center: 0, shift: 0, unit: 1, width: 1, classes: 0 };
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new ModelError(`the target has non-finite values (${min} … ${max})`);
  // Halves first: (min + max) overflows for values near ±1.8e308.
  const center = min / 2 + max / 2;
  let maxAbs = 0;
  for (let i = 0; i < y.length; i++) maxAbs = Math.max(maxAbs, Math.abs(y[i] - center));
  const budget = 2 ** 53 / (MAX_COUNT * Math.max(1, y.length)) - 1;
  let shift = maxAbs > 0 ? Math.floor(Math.log2(budget / maxAbs)) : 0;
  // A spread so small (subnormal labels such as 5e-324 and 1e-323) that no power of two up to 2^MAX_SHIFT
  // separates its values: the exact label sums cannot resolve it. Refused rather than fitted as a constant.
  if (!(shift <= MAX_SHIFT)) {
    throw new ModelError(`the target's spread (${maxAbs * 2}) is too small for exact histogram sums`, 'rescale the target (e.g. multiply it by 1e300)');
  }
  shift = Math.max(-MAX_SHIFT, shift);
  // log2 may be off by one ulp at powers of two: step until the bound holds exactly (a few steps at most; bounded
  // so that no data can make this loop run on).
  for (let k = 0; k < 64 && maxAbs * 2 ** shift > budget; k++) shift--;
  const scale = 2 ** shift;
  const yq = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) yq[i] = Math.round((y[i] - center) * scale);
  return { yq, center, shift, unit: 2 ** -shift, width: 1, classes: 0 };
}

/**
 * The labels of this dataset for the tree core (quantized, or class indices when `classes` > 0), from the
 * per-thread cache when another task computed them.
 */
export function cachedLabels(y: Float64Array, cache?: Map<string, unknown>, classes = 0): QuantizedLabels {
  const hit = cache?.get('labels') as { y: Float64Array; classes: number; labels: QuantizedLabels } | undefined;
  if (hit && hit.y === y && hit.classes === classes) return hit.labels;
  const labels = classes > 0 ? classLabels(y, classes) : quantizeLabels(y);
  cache?.set('labels', { y, classes, labels });
  return labels;
}
