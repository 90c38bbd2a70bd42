/**
 * Solving a linear fit from merged sufficient statistics, with Spark MLlib's LinearRegression semantics:
 * intercept fitted and not penalised; with standardization (default) features are scaled by their population
 * std inside the solver and coefficients returned on the original scale; the penalty is divided by the label's
 * population std δ (Spark's effectiveRegParam = regParam / δ). Equivalently scikit-learn
 * ElasticNet(alpha = λ/δ, l1_ratio = α) on StandardScaler-scaled features (raw features without standardization).
 *   λ = 0: ordinary least squares by Cholesky on the (standardised) covariance matrix.
 *   λ > 0: coordinate descent on the Gram matrix (covariance updates, as scikit-learn's enet_coordinate_descent_gram)
 *          until the largest coefficient change is below 1e-12 of the largest coefficient.
 * Constant features (std 0) get coefficient 0 and are left out of the solve, as Spark does.
 */
import { ModelError } from '../../errors.js';
import type { LinearStats } from './stats.js';

export interface LinearParams {
  regParam: number;
  elasticNetParam: number;
  standardization: boolean;
}

export interface LinearSolution {
  coefficients: Float64Array;
  intercept: number;
  /** Coordinate-descent sweeps (0 for least squares). */
  iterations: number;
}

/**
 * Stop when no coefficient moved by more than this fraction of the largest one in a sweep. 1e-10 (the figure
 * first asked for) leaves up to 4.5e-6 absolute error on diabetes, whose s1/s2 features are highly correlated
 * and converge slowly; 1e-12 brings it to ~4e-8. Much tighter never triggers: rounding noise exceeds it.
 */
export const CD_TOLERANCE = 1e-12;
export const CD_MAX_SWEEPS = 100_000;

/** Means, covariance and label spread recovered from shifted sums. */
export interface Moments {
  n: number;
  meanX: Float64Array;
  meanY: number;
  /** Population covariance of the features, F × F row-major. */
  cxx: Float64Array;
  /** Population covariance of each feature with the label. */
  cxy: Float64Array;
  /** Population std of the label. */
  stdY: number;
}

export function moments(stats: LinearStats, shift: Float64Array): Moments {
  const f = stats.features;
  const d = stats.data;
  const n = d[0];
  if (!(n > 0)) throw new ModelError('no training rows to fit');
  const oX = 3;
  const oXY = 3 + f;
  const oXX = 3 + 2 * f;
  const mx = new Float64Array(f);
  for (let j = 0; j < f; j++) mx[j] = d[oX + j] / n;
  const my = d[1] / n;
  const cxx = new Float64Array(f * f);
  const cxy = new Float64Array(f);
  for (let j = 0; j < f; j++) {
    cxy[j] = d[oXY + j] / n - mx[j] * my;
    for (let k = 0; k < f; k++) cxx[j * f + k] = d[oXX + j * f + k] / n - mx[j] * mx[k];
  }
  const meanX = new Float64Array(f);
  for (let j = 0; j < f; j++) meanX[j] = shift[j] + mx[j];
  const varY = Math.max(0, d[2] / n - my * my);
  return { n, meanX, meanY: shift[f] + my, cxx, cxy, stdY: Math.sqrt(varY) };
}

export function solveLinear(stats: LinearStats, shift: Float64Array, params: LinearParams, featureNames?: readonly string[]): LinearSolution {
  const f = stats.features;
  const m = moments(stats, shift);
  const std = new Float64Array(f);
  const active: number[] = [];
  for (let j = 0; j < f; j++) {
    std[j] = Math.sqrt(Math.max(0, m.cxx[j * f + j]));
    if (std[j] > 1e-12 * Math.max(1, Math.abs(m.meanX[j]))) active.push(j);
  }
  const coefficients = new Float64Array(f);
  let iterations = 0;
  // A constant label: nothing to explain; Spark returns zero coefficients and the label as intercept.
  if (m.stdY > 0 && active.length > 0) {
    const a = active.length;
    // Solve in the standardised space when asked (or for OLS, where it only improves conditioning).
    const scaled = params.standardization || params.regParam === 0;
    const scale = (j: number) => (scaled ? std[j] : 1);
    const g = new Float64Array(a * a);
    const c = new Float64Array(a);
    for (let p = 0; p < a; p++) {
      const j = active[p];
      c[p] = m.cxy[j] / scale(j);
      for (let q = 0; q < a; q++) g[p * a + q] = m.cxx[j * f + active[q]] / (scale(j) * scale(active[q]));
    }
    let w: Float64Array;
    if (params.regParam === 0) {
      w = choleskySolve(g, c, a, (p) => featureNames?.[active[p]] ?? `#${active[p] + 1}`);
    } else {
      const res = coordinateDescent(g, c, a, params.regParam / m.stdY, params.elasticNetParam);
      w = res.w;
      iterations = res.sweeps;
    }
    for (let p = 0; p < a; p++) coefficients[active[p]] = w[p] / scale(active[p]);
  }
  let intercept = m.meanY;
  for (let j = 0; j < f; j++) intercept -= coefficients[j] * m.meanX[j];
  return { coefficients, intercept, iterations };
}

/** Solve G w = c for symmetric positive-definite G (a × a). A (near-)zero pivot means collinear features. */
export function choleskySolve(g: Float64Array, c: Float64Array, a: number, name: (p: number) => string): Float64Array {
  const l = new Float64Array(a * a);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j <= i; j++) {
      let s = g[i * a + j];
      for (let k = 0; k < j; k++) s -= l[i * a + k] * l[j * a + k];
      if (i === j) {
        // Relative to the diagonal entry: what is left of a feature's variance once the others explain it.
        if (!(s > 1e-10 * g[i * a + i])) {
          throw new ModelError(
            `singular design matrix: feature ${name(i)} is a linear combination of other features`,
            'use --reg-param > 0 (ridge or elastic net), or drop the redundant column with --ignore',
          );
        }
        l[i * a + i] = Math.sqrt(s);
      } else {
        l[i * a + j] = s / l[j * a + j];
      }
    }
  }
  const z = new Float64Array(a);
  for (let i = 0; i < a; i++) {
    let s = c[i];
    for (let k = 0; k < i; k++) s -= l[i * a + k] * z[k];
    z[i] = s / l[i * a + i];
  }
  const w = new Float64Array(a);
  for (let i = a - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < a; k++) s -= l[k * a + i] * w[k];
    w[i] = s / l[i * a + i];
  }
  return w;
}

/**
 * Minimise ½ wᵀGw − cᵀw + alpha·(l1·|w|₁ + ½(1−l1)·|w|²) by cyclic coordinate descent, keeping the gradient
 * term Gw up to date (covariance updates). Stops when no coefficient moved by more than CD_TOLERANCE of the
 * largest coefficient in a sweep.
 */
export function coordinateDescent(g: Float64Array, c: Float64Array, a: number, alpha: number, l1: number): { w: Float64Array; sweeps: number } {
  const w = new Float64Array(a);
  const gw = new Float64Array(a); // G w
  const l1Pen = alpha * l1;
  const l2Pen = alpha * (1 - l1);
  let sweeps = 0;
  while (sweeps < CD_MAX_SWEEPS) {
    sweeps++;
    let maxDelta = 0;
    let maxW = 0;
    for (let j = 0; j < a; j++) {
      const gjj = g[j * a + j];
      const old = w[j];
      const rho = c[j] - gw[j] + gjj * old;
      const next = softThreshold(rho, l1Pen) / (gjj + l2Pen);
      const delta = next - old;
      if (delta !== 0) {
        for (let k = 0; k < a; k++) gw[k] += g[k * a + j] * delta;
        w[j] = next;
      }
      maxDelta = Math.max(maxDelta, Math.abs(delta));
      maxW = Math.max(maxW, Math.abs(next));
    }
    if (maxDelta <= CD_TOLERANCE * maxW || maxW === 0) break;
  }
  return { w, sweeps };
}

function softThreshold(x: number, t: number): number {
  return x > t ? x - t : x < -t ? x + t : 0;
}
