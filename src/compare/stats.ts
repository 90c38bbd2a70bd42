/**
 * The statistics of `sweep compare`, as hyperfine computes them: mean, sample standard deviation, min and max of
 * a run's wall times, and relative speed to the fastest with its uncertainty propagated from both spreads.
 * Pure functions on plain numbers, so they are tested apart from any timing.
 */

export interface Summary {
  mean: number;
  /**
   * Sample standard deviation (n − 1); NaN with a single value, where no spread can be estimated (null in JSON).
   * @nullable
   */
  sd: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, min: NaN, max: NaN, n: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, min, max, n };
}

export interface Relative {
  /** mean / mean of the fastest: 1 for the fastest, 2.31 for one that takes 2.31 times as long. */
  ratio: number;
  /**
   * σ_r = r·sqrt((σ_i/m_i)² + (σ_f/m_f)²); NaN when either spread is unknown (a single run; null in JSON).
   * @nullable
   */
  sd: number;
}

/** Relative speed of `s` to `fastest`; the fastest against itself is exactly 1 with no uncertainty shown. */
export function relativeTo(s: Summary, fastest: Summary): Relative {
  if (s === fastest) return { ratio: 1, sd: NaN };
  const ratio = s.mean / fastest.mean;
  const sd = ratio * Math.sqrt((s.sd / s.mean) ** 2 + (fastest.sd / fastest.mean) ** 2);
  return { ratio, sd };
}

/** Index of the smallest mean (the first of equals); -1 when there is none. */
export function fastestIndex(summaries: readonly Summary[]): number {
  let best = -1;
  for (let i = 0; i < summaries.length; i++) {
    if (!Number.isFinite(summaries[i].mean)) continue;
    if (best < 0 || summaries[i].mean < summaries[best].mean) best = i;
  }
  return best;
}
