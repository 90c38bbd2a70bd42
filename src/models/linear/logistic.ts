/**
 * Logistic regression with Spark MLlib's LogisticRegression semantics (binomial and multinomial families,
 * regParam λ, elasticNetParam α, standardization, fitIntercept). The objective, as Spark documents it:
 *
 *   (1/n) Σᵢ −log p(yᵢ | xᵢ)  +  λ · (α‖w‖₁ + (1 − α)/2 ‖w‖²)
 *
 * where w are the coefficients of the standardised features when `standardization` is true (Spark's default) and
 * of the original features otherwise; intercepts are never penalised. Features are standardised inside the
 * solver either way (sample standard deviation, as Spark's summarizer); a constant feature gets coefficient 0.
 *
 * Solver: Newton's method with a backtracking line search (λα = 0), or proximal Newton — each step's quadratic
 * model minimised by coordinate descent with the L1 term, as glmnet does — when there is an L1 part. Newton is
 * chosen over Spark's L-BFGS/OWL-QN because the problems here are small (features × classes parameters) and it
 * converges quadratically: the unpenalised fit reaches scikit-learn's solution to 1e-6 in a handful of iterations
 * where L-BFGS needs hundreds, and its result does not depend on an iteration budget.
 *
 * Identifiability: a multinomial model is unchanged by adding one vector to every class; the reference class's
 * unpenalised parameters are held at 0 while solving and the result is centred (Σₖ wₖ = 0, Σₖ bₖ = 0), which is
 * scikit-learn's unpenalised solution and Spark's intercept convention. Perfect separation (an unpenalised problem
 * with no finite optimum) is detected — an iterate that classifies every training row correctly proves it — and
 * reported as an error, never looped on.
 */
import { ModelError } from '../../errors.js';
import { choleskySolve } from './solve.js';

export interface LogisticOptions {
  regParam: number;
  elasticNetParam: number;
  standardization: boolean;
  fitIntercept: boolean;
  /** auto: binomial for two classes, multinomial otherwise (Spark's rule). */
  family: 'auto' | 'binomial' | 'multinomial';
  maxIter?: number;
  tol?: number;
}

export interface LogisticModel {
  classes: number;
  /** Rows of coefficients (original feature scale): one for binomial (class 1 against 0), one per class otherwise. */
  coefficients: Float64Array;
  intercepts: Float64Array;
  features: number;
  binomial: boolean;
  iterations: number;
}

const MAX_ITER = 100;
const TOL = 1e-11;

/**
 * Fit on n rows of p features (x column-major, feature j of row i at x[j·n + i]) with class indices y (0…K−1).
 * `name(j)` names a feature in errors (a collinear one).
 */
export function fitLogistic(x: Float64Array, n: number, p: number, y: ArrayLike<number>, classes: number, opts: LogisticOptions, name: (j: number) => string = (j) => `x${j}`): LogisticModel {
  if (classes < 2) throw new ModelError(`logistic regression needs at least 2 classes in the training rows, got ${classes}`);
  const binomial = opts.family === 'binomial' || (opts.family === 'auto' && classes === 2);
  if (binomial && classes > 2) throw new ModelError(`family binomial needs 2 classes, the labels have ${classes}`);
  const m = binomial ? 1 : classes;
  const P = p + 1; // per class: intercept, then coefficients
  // Standardised features (sample std); constant features are left out (coefficient 0).
  const mean = new Float64Array(p);
  const std = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[j * n + i];
    mean[j] = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[j * n + i] - mean[j]) ** 2;
    std[j] = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  }
  const xs = new Float64Array(n * p);
  for (let j = 0; j < p; j++) if (std[j] > 0) for (let i = 0; i < n; i++) xs[j * n + i] = (x[j * n + i] - mean[j]) / std[j];
  const l1 = opts.regParam * opts.elasticNetParam;
  const l2 = opts.regParam * (1 - opts.elasticNetParam);
  // Per-coefficient penalty scale: 1 on standardised coefficients, 1/σ to penalise the original ones.
  const scale = Float64Array.from(std, (s) => (opts.standardization || s === 0 ? 1 : 1 / s));
  // Which parameters move: not the intercepts without fitIntercept, not a constant feature's coefficient, and
  // for a multinomial model not the reference class's unpenalised parameters (its intercept always).
  const free = new Uint8Array(m * P);
  for (let k = 0; k < m; k++) {
    const reference = !binomial && k === m - 1;
    free[k * P] = opts.fitIntercept && !reference ? 1 : 0;
    for (let j = 0; j < p; j++) free[k * P + 1 + j] = std[j] > 0 && !(reference && opts.regParam === 0) ? 1 : 0;
  }
  const theta = new Float64Array(m * P);
  const problem = { xs, n, p, y, m, P, binomial, l1, l2, scale };
  const maxIter = opts.maxIter ?? MAX_ITER;
  const tol = opts.tol ?? TOL;
  const idx = [...free.keys()].filter((i) => free[i] === 1);
  const a = idx.length;
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    const { loss, grad, hess } = smoothTerms(problem, theta, free);
    const h = new Float64Array(a * a);
    const g = new Float64Array(a);
    idx.forEach((u, r) => {
      g[r] = grad[u];
      idx.forEach((v, c) => (h[r * a + c] = hess[u * m * P + v]));
    });
    let step: Float64Array;
    if (l1 === 0) {
      step = choleskySolve(h, g.map((v) => -v), a, (r) => paramName(idx[r], P, name));
    } else {
      step = proximalStep(h, g, idx.map((u) => theta[u]), idx.map((u) => (u % P === 0 ? 0 : l1 * scale[(u % P) - 1])));
    }
    // Backtracking on the whole objective (Armijo, with the L1 change for a proximal step).
    const objective = (t: Float64Array) => smoothTerms(problem, t, free, true).loss + l1Norm(problem, t);
    const f0 = loss + l1Norm(problem, theta);
    const trial = new Float64Array(theta);
    let decrease = 0;
    for (let r = 0; r < a; r++) decrease += g[r] * step[r];
    idx.forEach((u, r) => (trial[u] = theta[u] + step[r]));
    decrease += l1Norm(problem, trial) - l1Norm(problem, theta);
    let t = 1;
    let f1 = objective(trial);
    while (f1 > f0 + 1e-4 * t * decrease && t > 1e-10) {
      t /= 2;
      idx.forEach((u, r) => (trial[u] = theta[u] + t * step[r]));
      f1 = objective(trial);
    }
    let moved = 0;
    let largest = 1;
    idx.forEach((u, r) => {
      moved = Math.max(moved, Math.abs(t * step[r]));
      largest = Math.max(largest, Math.abs(trial[u]));
      theta[u] = trial[u];
    });
    if (opts.regParam === 0 && separates(problem, theta)) {
      throw new ModelError(
        'the classes are perfectly separated by the features: unpenalised logistic regression has no finite solution',
        'use --reg-param > 0 (any penalty gives a finite solution)',
      );
    }
    if (moved <= tol * largest) {
      iterations++;
      break;
    }
  }
  // Centre a multinomial model (the unpenalised directions), then undo the standardisation.
  if (!binomial) {
    for (let q = 0; q < P; q++) {
      if (q > 0 && opts.regParam > 0) continue; // penalised coefficients are identified as they are
      if (q === 0 && !opts.fitIntercept) continue;
      let s = 0;
      for (let k = 0; k < m; k++) s += theta[k * P + q];
      for (let k = 0; k < m; k++) theta[k * P + q] -= s / m;
    }
  }
  const coefficients = new Float64Array(m * p);
  const intercepts = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let b = theta[k * P];
    for (let j = 0; j < p; j++) {
      const w = std[j] > 0 ? theta[k * P + 1 + j] / std[j] : 0;
      coefficients[k * p + j] = w;
      b -= w * mean[j];
    }
    intercepts[k] = opts.fitIntercept ? b : 0;
  }
  return { classes, coefficients, intercepts, features: p, binomial, iterations };
}

function paramName(u: number, P: number, name: (j: number) => string): string {
  const q = u % P;
  return q === 0 ? 'the intercept' : name(q - 1);
}

interface Problem {
  xs: Float64Array;
  n: number;
  p: number;
  y: ArrayLike<number>;
  m: number;
  P: number;
  binomial: boolean;
  l1: number;
  l2: number;
  scale: Float64Array;
}

/** Linear scores of row i for class k. */
function score(pr: Problem, theta: Float64Array, k: number, i: number): number {
  let z = theta[k * pr.P];
  for (let j = 0; j < pr.p; j++) z += theta[k * pr.P + 1 + j] * pr.xs[j * pr.n + i];
  return z;
}

/** Class probabilities of row i (binomial: [1 − p, p]). */
function probabilities(pr: Problem, theta: Float64Array, i: number, out: Float64Array): void {
  if (pr.binomial) {
    const z = score(pr, theta, 0, i);
    const p1 = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    out[0] = 1 - p1;
    out[1] = p1;
    return;
  }
  let max = -Infinity;
  for (let k = 0; k < pr.m; k++) max = Math.max(max, (out[k] = score(pr, theta, k, i)));
  let s = 0;
  for (let k = 0; k < pr.m; k++) s += out[k] = Math.exp(out[k] - max);
  for (let k = 0; k < pr.m; k++) out[k] /= s;
}

/** The smooth part of the objective (mean log-loss + L2) and its gradient and Hessian over all parameters. */
function smoothTerms(pr: Problem, theta: Float64Array, free: Uint8Array, lossOnly = false): { loss: number; grad: Float64Array; hess: Float64Array } {
  const { n, p, m, P, xs, y } = pr;
  const N = m * P;
  const grad = new Float64Array(lossOnly ? 0 : N);
  const hess = new Float64Array(lossOnly ? 0 : N * N);
  const prob = new Float64Array(Math.max(2, m));
  const row = new Float64Array(P);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    probabilities(pr, theta, i, prob);
    const yi = y[i];
    loss -= Math.log(Math.max(prob[pr.binomial ? (yi === 1 ? 1 : 0) : yi], 1e-300));
    if (lossOnly) continue;
    row[0] = 1;
    for (let j = 0; j < p; j++) row[j + 1] = xs[j * n + i];
    for (let k = 0; k < m; k++) {
      const pk = pr.binomial ? prob[1] : prob[k];
      const r = pk - (pr.binomial ? (yi === 1 ? 1 : 0) : yi === k ? 1 : 0);
      for (let a = 0; a < P; a++) grad[k * P + a] += r * row[a];
      for (let l = 0; l < m; l++) {
        const wkl = pr.binomial ? pk * (1 - pk) : pk * ((k === l ? 1 : 0) - prob[l]);
        if (wkl === 0) continue;
        for (let a = 0; a < P; a++) {
          if (!free[k * P + a]) continue;
          const base = (k * P + a) * N + l * P;
          const va = wkl * row[a];
          for (let b = 0; b < P; b++) hess[base + b] += va * row[b];
        }
      }
    }
  }
  loss /= n;
  if (!lossOnly) {
    for (let u = 0; u < N; u++) grad[u] /= n;
    for (let u = 0; u < N * N; u++) hess[u] /= n;
  }
  // L2 on the coefficients (never the intercepts), scaled as the penalty is.
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < p; j++) {
      const u = k * P + 1 + j;
      const c = pr.l2 * pr.scale[j] * pr.scale[j];
      loss += 0.5 * c * theta[u] * theta[u];
      if (!lossOnly) {
        grad[u] += c * theta[u];
        hess[u * N + u] += c;
      }
    }
  }
  return { loss, grad, hess };
}

function l1Norm(pr: Problem, theta: Float64Array): number {
  if (pr.l1 === 0) return 0;
  let s = 0;
  for (let k = 0; k < pr.m; k++) for (let j = 0; j < pr.p; j++) s += pr.scale[j] * Math.abs(theta[k * pr.P + 1 + j]);
  return pr.l1 * s;
}

/**
 * The proximal Newton step: minimise gᵀδ + ½δᵀHδ + Σ w·|θ + δ| by cyclic coordinate descent over v = θ + δ
 * (weights w: 0 for intercepts); returns δ.
 */
function proximalStep(h: Float64Array, g: Float64Array, theta: number[], w: number[]): Float64Array {
  const a = g.length;
  const v = Float64Array.from(theta);
  const hd = new Float64Array(a); // H (v − θ)
  for (let sweep = 0; sweep < 10_000; sweep++) {
    let moved = 0;
    let largest = 0;
    for (let j = 0; j < a; j++) {
      const hjj = h[j * a + j];
      if (!(hjj > 0)) continue;
      // d/dv_j of the quadratic: g_j + (H(v − θ))_j; minimise over v_j with the others fixed.
      const rho = hjj * v[j] - (g[j] + hd[j]);
      const next = w[j] === 0 ? rho / hjj : Math.sign(rho) * Math.max(0, Math.abs(rho) - w[j]) / hjj;
      const delta = next - v[j];
      if (delta !== 0) {
        for (let k = 0; k < a; k++) hd[k] += h[k * a + j] * delta;
        v[j] = next;
      }
      moved = Math.max(moved, Math.abs(delta));
      largest = Math.max(largest, Math.abs(next));
    }
    if (moved <= 1e-14 * Math.max(1, largest)) break;
  }
  return Float64Array.from(v, (x, j) => x - theta[j]);
}

/** True when every training row is classified correctly with a margin: the data are linearly separable. */
function separates(pr: Problem, theta: Float64Array): boolean {
  for (let i = 0; i < pr.n; i++) {
    if (pr.binomial) {
      const z = score(pr, theta, 0, i);
      if ((pr.y[i] === 1 ? z : -z) <= 0) return false;
      continue;
    }
    const zy = score(pr, theta, pr.y[i], i);
    for (let k = 0; k < pr.m; k++) if (k !== pr.y[i] && score(pr, theta, k, i) >= zy) return false;
  }
  return true;
}

/** Class probabilities of rows of x (column-major, `rows` rows) by a fitted model: rows × classes, row-major. */
export function logisticProbabilities(model: LogisticModel, x: Float64Array, rows: number): Float64Array {
  const { classes, features: p, coefficients, intercepts } = model;
  const out = new Float64Array(rows * classes);
  const m = model.binomial ? 1 : classes;
  const z = new Float64Array(m);
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let k = 0; k < m; k++) {
      let s = intercepts[k];
      for (let j = 0; j < p; j++) s += coefficients[k * p + j] * x[j * rows + i];
      z[k] = s;
      max = Math.max(max, s);
    }
    if (model.binomial) {
      const p1 = z[0] >= 0 ? 1 / (1 + Math.exp(-z[0])) : Math.exp(z[0]) / (1 + Math.exp(z[0]));
      out[i * 2] = 1 - p1;
      out[i * 2 + 1] = p1;
      continue;
    }
    let s = 0;
    for (let k = 0; k < m; k++) s += z[k] = Math.exp(z[k] - max);
    for (let k = 0; k < m; k++) out[i * classes + k] = z[k] / s;
  }
  return out;
}
