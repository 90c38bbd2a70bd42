/**
 * The Tree-structured Parzen Estimator (Bergstra et al., 2011) as Optuna 3.1's TPESampler implements it with its
 * defaults (independent sampling per parameter):
 *   - the first N_STARTUP completed trials are random (random.ts);
 *   - then the completed trials are split by loss: the best γ(n) = min(⌈0.1·n⌉, 25) are "good", the rest "bad";
 *   - each group gives a Parzen estimator per parameter: one truncated normal per observation (in log space for a
 *     log parameter; ±0.5 around integers), σ the larger distance to a neighbour (the search bounds at the ends,
 *     Optuna's consider_endpoints=False rule for the two outer ones), clipped to [(high−low)/min(100, 1+n),
 *     high−low] ("magic clip"), plus a prior N((low+high)/2, high−low) of weight 1; observation weights are 1,
 *     ramped down for the oldest when there are more than 25 (default_weights); a categorical parameter gets one
 *     categorical per observation (its value weighted 1 + w, every value w = 1/(n+1)) plus a uniform prior;
 *   - 24 candidates are drawn from the good estimator l and the one with the largest log l(x) − log g(x) wins.
 * All draws are keyed by (seed, trial, parameter, candidate), so a proposal depends only on the history it is
 * given — never on timing or the number of workers.
 */
import type { ParamValue } from '../../models/params.js';
import { fromUniform, keyedUniform, nameKey, randomValue, STREAM, tidy } from './random.js';
import type { Dimension, RangeDimension } from './space.js';

export const N_STARTUP = 10;
export const N_CANDIDATES = 24;
const PRIOR_WEIGHT = 1;

/** A finished trial as TPE sees it: its values and its loss (the ranking metric, negated when higher is better). */
export interface Observation {
  number: number;
  params: Record<string, ParamValue>;
  loss: number;
}

/** Optuna's default_gamma: how many of n trials are "good". */
export function gamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default_weights: 1 each, the oldest ramped down from 1/n when there are more than 25. */
export function observationWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

/** Good and bad observations (each in trial order): the γ(n) lowest losses, ties to the earlier trial. */
export function splitObservations(history: readonly Observation[]): { below: Observation[]; above: Observation[] } {
  const sorted = [...history].sort((a, b) => a.loss - b.loss || a.number - b.number);
  const n = gamma(history.length);
  const byNumber = (a: Observation, b: Observation) => a.number - b.number;
  return { below: sorted.slice(0, n).sort(byNumber), above: sorted.slice(n).sort(byNumber) };
}

// ---------------------------------------------------------------- the normal distribution, to ~1e-12

/** erf by its Taylor series (|x| < 3) or erfc's continued fraction (Lentz), relative error ~1e-12. */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  return 1 - erfcLarge(x);
}

/** erfc(x) for x ≥ 3: the continued fraction x/√π · e^(−x²) / (x² + 1/2 / (1 + 1 / (x² + 3/2 / (1 + …)))). */
function erfcLarge(x: number): number {
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), by modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Φ(x), accurate in the lower tail (upper-tail arguments are reflected by the callers). */
export function normalCdf(x: number): number {
  const z = x / Math.SQRT2;
  return z < -3 ? 0.5 * erfcLarge(-z) : 0.5 * (1 + erf(z));
}

/** Φ⁻¹(p): Acklam's rational approximation, then one Halley step on Φ (full double precision). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Φ(b) − Φ(a) for a < b, computed in the tail where it is accurate. */
function massBetween(a: number, b: number): number {
  return a > 0 ? normalCdf(-a) - normalCdf(-b) : normalCdf(b) - normalCdf(a);
}

// ---------------------------------------------------------------- Parzen estimators

/** A mixture of truncated normals on [low, high] (numeric), in the space TPE works in (log for log ranges). */
export interface NumericEstimator {
  kind: 'numeric';
  low: number;
  high: number;
  /** Integer parameter: a value's mass is that of [x − 0.5, x + 0.5] (bounds already widened by 0.5). */
  discrete: boolean;
  log: boolean;
  mus: number[];
  sigmas: number[];
  weights: number[];
}

export interface CategoricalEstimator {
  kind: 'categorical';
  values: ParamValue[];
  /** Per component, a probability per value; components' weights sum to 1. */
  probs: number[][];
  weights: number[];
}

export type Estimator = NumericEstimator | CategoricalEstimator;

/** The bounds TPE works in for a range: log space for log ranges, ±0.5 around integers. */
function internalBounds(d: RangeDimension): { low: number; high: number } {
  const low = d.kind === 'int' ? d.low - 0.5 : d.low;
  const high = d.kind === 'int' ? d.high + 0.5 : d.high;
  return d.log ? { low: Math.log(low), high: Math.log(high) } : { low, high };
}

function normalizedWeights(n: number): number[] {
  const w = [...observationWeights(n), PRIOR_WEIGHT];
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** The estimator of one parameter from some observations (in trial order). */
export function parzenEstimator(d: Dimension, observed: readonly ParamValue[]): Estimator {
  const weights = normalizedWeights(observed.length);
  if (d.kind === 'choice') {
    const k = d.values.length;
    const key = (v: ParamValue) => JSON.stringify(v);
    const index = new Map(d.values.map((v, i) => [key(v), i]));
    const w = PRIOR_WEIGHT / (observed.length + 1);
    const probs = observed.map((v) => {
      const row = new Array<number>(k).fill(w);
      const i = index.get(key(v));
      if (i !== undefined) row[i] += 1;
      const sum = row.reduce((a, b) => a + b, 0);
      return row.map((x) => x / sum);
    });
    probs.push(new Array<number>(k).fill(1 / k));
    return { kind: 'categorical', values: d.values, probs, weights };
  }
  const { low, high } = internalBounds(d);
  const mus = observed.map((v) => (d.log ? Math.log(Number(v)) : Number(v)));
  // σ of each observation: the larger gap to its neighbours among the sorted observations, the bounds at the ends.
  const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b] || a - b);
  const sorted = [low, ...order.map((i) => mus[i]), high];
  const sortedSigmas = order.map((_, r) => Math.max(sorted[r + 1] - sorted[r], sorted[r + 2] - sorted[r + 1]));
  if (sorted.length >= 4) {
    // consider_endpoints=False: the outer two ignore their distance to the bound.
    sortedSigmas[0] = sorted[2] - sorted[1];
    sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2] - sorted[sorted.length - 3];
  }
  const maxSigma = high - low;
  const minSigma = (high - low) / Math.min(100, 1 + mus.length);
  const sigmas = new Array<number>(mus.length);
  order.forEach((i, r) => (sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sortedSigmas[r]))));
  return { kind: 'numeric', low, high, discrete: d.kind === 'int', log: d.log, mus: [...mus, 0.5 * (low + high)], sigmas: [...sigmas, high - low], weights };
}

/** log p(x) under the estimator; x is the parameter's value as a config holds it. */
export function logDensity(e: Estimator, x: ParamValue): number {
  if (e.kind === 'categorical') {
    const i = e.values.findIndex((v) => JSON.stringify(v) === JSON.stringify(x));
    if (i < 0) return -Infinity;
    let p = 0;
    e.probs.forEach((row, k) => (p += e.weights[k] * row[i]));
    return Math.log(p);
  }
  const v = Number(x);
  let p = 0;
  for (let k = 0; k < e.mus.length; k++) {
    const mu = e.mus[k];
    const s = e.sigmas[k];
    const z = massBetween((e.low - mu) / s, (e.high - mu) / s);
    if (!(z > 0)) continue;
    if (e.discrete) {
      const lo = e.log ? Math.log(v - 0.5) : v - 0.5;
      const hi = e.log ? Math.log(v + 0.5) : v + 0.5;
      p += (e.weights[k] * massBetween((lo - mu) / s, (hi - mu) / s)) / z;
    } else {
      const t = e.log ? Math.log(v) : v;
      const u = (t - mu) / s;
      // A log parameter's density is taken in log space (Optuna's), the same for l and g, so the ratio is unchanged.
      p += (e.weights[k] * Math.exp(-0.5 * u * u)) / (s * Math.sqrt(2 * Math.PI) * z);
    }
  }
  return Math.log(p);
}

/** A draw from the estimator with two uniforms: u1 picks the component, u2 the value within it. */
export function sampleEstimator(e: Estimator, d: Dimension, u1: number, u2: number): ParamValue {
  const k = pick(e.weights, u1);
  if (e.kind === 'categorical') return e.values[pick(e.probs[k], u2)];
  const mu = e.mus[k];
  const s = e.sigmas[k];
  let a = (e.low - mu) / s;
  let b = (e.high - mu) / s;
  // Sample in the lower tail, where Φ is accurate: reflect when the interval lies above the mean.
  const flip = a > 0;
  if (flip) [a, b] = [-b, -a];
  const pa = normalCdf(a);
  const z = normalQuantile(pa + u2 * (normalCdf(b) - pa));
  const t = mu + s * (flip ? -z : z);
  const r = d as RangeDimension;
  const value = e.log ? Math.exp(t) : t;
  if (r.kind === 'int') return Math.min(r.high, Math.max(r.low, Math.round(value)));
  return tidy(Math.min(r.high, Math.max(r.low, value)));
}

function pick(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i];
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/**
 * Trial `trial`'s value of parameter `name`: random while fewer than N_STARTUP trials are finished, else the best
 * of N_CANDIDATES draws from the good trials' estimator by log l − log g.
 */
export function tpeValue(seed: number, trial: number, name: string, d: Dimension, history: readonly Observation[]): ParamValue {
  if (history.length < N_STARTUP) return randomValue(seed, trial, name, d);
  const { below, above } = splitObservations(history);
  const l = parzenEstimator(d, below.map((o) => o.params[name]));
  const g = parzenEstimator(d, above.map((o) => o.params[name]));
  const key = nameKey(name);
  let best: ParamValue = fromUniform(d, 0.5);
  let bestScore = -Infinity;
  for (let i = 0; i < N_CANDIDATES; i++) {
    const x = sampleEstimator(l, d, keyedUniform(seed, trial, key, STREAM.tpeComponent, i), keyedUniform(seed, trial, key, STREAM.tpeValue, i));
    const score = logDensity(l, x) - logDensity(g, x);
    if (score > bestScore) {
      best = x;
      bestScore = score;
    }
  }
  return best;
}
