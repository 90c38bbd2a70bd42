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
 *
 * Data parallelism (Spark's treeAggregate of gradient and Hessian): the solver (logisticSolver) never reads rows.
 * It asks for sums over the training rows — counts and feature sums, then squared deviations, then per iterate
 * the log-loss, gradient and Hessian, or whether every row is classified right — and each is computed partition
 * by partition (logisticPartitionSums: rows ascending, the same arithmetic wherever it runs) and merged in partition
 * order (mergePartitionSums). fitLogistic answers the requests in this thread; the native strategy's workers answer
 * them for the partitions they hold. Same partitions, same bits.
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

/** What the solver asks of the training rows, partition by partition. */
export type LogisticRequest =
  /** [rows, Σ x_j (p), rows of each class (classes)] */
  | { kind: 'moments' }
  /** [Σ (x_j − mean_j)² (p)] */
  | { kind: 'spread'; mean: Float64Array }
  /** [Σ −log p(y | x), Σ gradient (N), Σ Hessian (N × N over free rows)] at theta (N = m·(p + 1)), or the loss alone. */
  | { kind: 'terms'; model: IterateModel; theta: Float64Array; lossOnly: boolean }
  /** [1 when some row is not classified right with a margin, else 0] */
  | { kind: 'separates'; model: IterateModel; theta: Float64Array };

/** What the per-row sums of an iterate need: standardisation, the parameter layout, which parameters move. */
export interface IterateModel {
  mean: Float64Array;
  std: Float64Array;
  binomial: boolean;
  /** Score rows: 1 (binomial) or the number of classes. */
  m: number;
  /** 1 where a parameter is free (its Hessian row is summed). */
  free: Uint8Array;
}

/** The training rows of one partition: feature j of row r at x[j·stride + r], class index at y[r]. */
export interface PartitionRows {
  x: Float64Array;
  stride: number;
  rows: Uint32Array;
  y: ArrayLike<number>;
  classes: number;
}

/** The sums a request asks for, over one partition's rows (ascending): what every strategy computes the same way. */
export function logisticPartitionSums(req: LogisticRequest, part: PartitionRows): Float64Array {
  const { x, stride, rows, y } = part;
  const p = Math.floor(x.length / Math.max(1, stride));
  switch (req.kind) {
    case 'moments': {
      const out = new Float64Array(1 + p + part.classes);
      out[0] = rows.length;
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < rows.length; k++) s += x[j * stride + rows[k]];
        out[1 + j] = s;
      }
      for (let k = 0; k < rows.length; k++) out[1 + p + y[rows[k]]]++;
      return out;
    }
    case 'spread': {
      const out = new Float64Array(p);
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < rows.length; k++) s += (x[j * stride + rows[k]] - req.mean[j]) ** 2;
        out[j] = s;
      }
      return out;
    }
    case 'terms':
      return termSums(req.model, req.theta, part, p, req.lossOnly);
    case 'separates':
      return Float64Array.of(classifiesAll(req.model, req.theta, part, p) ? 0 : 1);
  }
}

/** Σ over partitions, in partition order (the one merge every strategy uses). */
export function mergePartitionSums(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.length > 0 ? parts[0].length : 0);
  for (const part of parts) {
    if (part.length !== out.length) throw new RangeError(`partition sums of ${part.length} values, expected ${out.length}`);
    for (let u = 0; u < out.length; u++) out[u] += part[u];
  }
  return out;
}

/** Standardised row r of the partition into row[1…p] (row[0] = 1, the intercept's). */
function standardisedRow(model: IterateModel, part: PartitionRows, p: number, r: number, row: Float64Array): void {
  row[0] = 1;
  for (let j = 0; j < p; j++) row[j + 1] = model.std[j] > 0 ? (part.x[j * part.stride + r] - model.mean[j]) / model.std[j] : 0;
}

/** Linear scores of a standardised row for each score row k into z. */
function scores(model: IterateModel, theta: Float64Array, row: Float64Array, P: number, z: Float64Array): void {
  for (let k = 0; k < model.m; k++) {
    let s = theta[k * P];
    for (let a = 1; a < P; a++) s += theta[k * P + a] * row[a];
    z[k] = s;
  }
}

/** Class probabilities from scores (binomial: [1 − p, p]). */
function probabilitiesOf(model: IterateModel, z: Float64Array, out: Float64Array): void {
  if (model.binomial) {
    const p1 = z[0] >= 0 ? 1 / (1 + Math.exp(-z[0])) : Math.exp(z[0]) / (1 + Math.exp(z[0]));
    out[0] = 1 - p1;
    out[1] = p1;
    return;
  }
  let max = -Infinity;
  for (let k = 0; k < model.m; k++) max = Math.max(max, z[k]);
  let s = 0;
  for (let k = 0; k < model.m; k++) s += out[k] = Math.exp(z[k] - max);
  for (let k = 0; k < model.m; k++) out[k] /= s;
}

function termSums(model: IterateModel, theta: Float64Array, part: PartitionRows, p: number, lossOnly: boolean): Float64Array {
  const { m, binomial, free } = model;
  const P = p + 1;
  const N = m * P;
  const out = new Float64Array(lossOnly ? 1 : 1 + N + N * N);
  const grad = out.subarray(1, 1 + N);
  const hess = out.subarray(1 + N);
  const prob = new Float64Array(Math.max(2, m));
  const z = new Float64Array(m);
  const row = new Float64Array(P);
  let loss = 0;
  for (let q = 0; q < part.rows.length; q++) {
    const r = part.rows[q];
    standardisedRow(model, part, p, r, row);
    scores(model, theta, row, P, z);
    probabilitiesOf(model, z, prob);
    const yi = part.y[r];
    loss -= Math.log(Math.max(prob[binomial ? (yi === 1 ? 1 : 0) : yi], 1e-300));
    if (lossOnly) continue;
    for (let k = 0; k < m; k++) {
      const pk = binomial ? prob[1] : prob[k];
      const res = pk - (binomial ? (yi === 1 ? 1 : 0) : yi === k ? 1 : 0);
      for (let a = 0; a < P; a++) grad[k * P + a] += res * row[a];
      // The Hessian is symmetric (w_kl = w_lk): only its upper triangle (u = kP + a ≤ v = lP + b) is summed;
      // the solver mirrors it after the merge (symmetricHessian).
      for (let l = k; l < m; l++) {
        const wkl = binomial ? pk * (1 - pk) : pk * ((k === l ? 1 : 0) - prob[l]);
        if (wkl === 0) continue;
        for (let a = 0; a < P; a++) {
          if (!free[k * P + a]) continue;
          const base = (k * P + a) * N + l * P;
          const va = wkl * row[a];
          for (let b = l === k ? a : 0; b < P; b++) hess[base + b] += va * row[b];
        }
      }
    }
  }
  out[0] = loss;
  return out;
}

/** True when every row of the partition is classified right with a margin. */
function classifiesAll(model: IterateModel, theta: Float64Array, part: PartitionRows, p: number): boolean {
  const P = p + 1;
  const row = new Float64Array(P);
  const z = new Float64Array(model.m);
  for (let q = 0; q < part.rows.length; q++) {
    const r = part.rows[q];
    standardisedRow(model, part, p, r, row);
    scores(model, theta, row, P, z);
    const yi = part.y[r];
    if (model.binomial) {
      if ((yi === 1 ? z[0] : -z[0]) <= 0) return false;
      continue;
    }
    for (let k = 0; k < model.m; k++) if (k !== yi && z[k] >= z[yi]) return false;
  }
  return true;
}

/**
 * The solver, as a coroutine: it yields each request for sums over the training rows and is resumed with the
 * merged sums (mergePartitionSums of logisticPartitionSums); it returns the fitted model. `p` features, class
 * indices 0…classes−1 (every class must have rows); `name(j)` names a feature in errors (a collinear one).
 */
export function* logisticSolver(p: number, classes: number, opts: LogisticOptions, name: (j: number) => string = (j) => `x${j}`): Generator<LogisticRequest, LogisticModel, Float64Array> {
  if (classes < 2) throw new ModelError(`logistic regression needs at least 2 classes in the training rows, got ${classes}`);
  const binomial = opts.family === 'binomial' || (opts.family === 'auto' && classes === 2);
  if (binomial && classes > 2) throw new ModelError(`family binomial needs 2 classes, the labels have ${classes}`);
  const m = binomial ? 1 : classes;
  const P = p + 1; // per class: intercept, then coefficients
  const moments = yield { kind: 'moments' };
  const n = moments[0];
  if (!(n > 0)) throw new ModelError('logistic regression needs at least one training row');
  const missing = Array.from({ length: classes }, (_, c) => c).filter((c) => moments[1 + p + c] === 0);
  if (missing.length > 0) throw new ModelError(`class ${missing[0]} has no training rows: logistic regression cannot fit it`);
  // Standardised features (sample std); constant features are left out (coefficient 0).
  const mean = Float64Array.from({ length: p }, (_, j) => moments[1 + j] / n);
  const spread = yield { kind: 'spread', mean };
  const std = Float64Array.from(spread, (v) => (n > 1 ? Math.sqrt(v / (n - 1)) : 0));
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
  const model: IterateModel = { mean, std, binomial, m, free };
  const N = m * P;
  const theta = new Float64Array(N);
  const maxIter = opts.maxIter ?? MAX_ITER;
  const tol = opts.tol ?? TOL;
  const idx = [...free.keys()].filter((i) => free[i] === 1);
  const a = idx.length;
  const l1Norm = (t: Float64Array): number => {
    if (l1 === 0) return 0;
    let s = 0;
    for (let k = 0; k < m; k++) for (let j = 0; j < p; j++) s += scale[j] * Math.abs(t[k * P + 1 + j]);
    return l1 * s;
  };
  // The smooth part of the objective (mean log-loss + L2) from the merged sums.
  const penalised = (sums: Float64Array, t: Float64Array, lossOnly: boolean) => {
    let loss = sums[0] / n;
    const grad = lossOnly ? new Float64Array(0) : Float64Array.from(sums.subarray(1, 1 + N), (v) => v / n);
    const hess = lossOnly ? new Float64Array(0) : Float64Array.from(sums.subarray(1 + N), (v) => v / n);
    // Mirror the summed upper triangle (termSums) to the lower.
    if (!lossOnly) for (let u = 0; u < N; u++) for (let v = 0; v < u; v++) hess[u * N + v] = hess[v * N + u];
    // L2 on the coefficients (never the intercepts), scaled as the penalty is.
    for (let k = 0; k < m; k++) {
      for (let j = 0; j < p; j++) {
        const u = k * P + 1 + j;
        const c = l2 * scale[j] * scale[j];
        loss += 0.5 * c * t[u] * t[u];
        if (!lossOnly) {
          grad[u] += c * t[u];
          hess[u * N + u] += c;
        }
      }
    }
    return { loss, grad, hess };
  };
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    const { loss, grad, hess } = penalised(yield { kind: 'terms', model, theta: Float64Array.from(theta), lossOnly: false }, theta, false);
    const h = new Float64Array(a * a);
    const g = new Float64Array(a);
    idx.forEach((u, r) => {
      g[r] = grad[u];
      idx.forEach((v, c) => (h[r * a + c] = hess[u * N + v]));
    });
    let step: Float64Array;
    if (l1 === 0) {
      step = choleskySolve(h, g.map((v) => -v), a, (r) => paramName(idx[r], P, name));
    } else {
      step = proximalStep(h, g, idx.map((u) => theta[u]), idx.map((u) => (u % P === 0 ? 0 : l1 * scale[(u % P) - 1])));
    }
    // Backtracking on the whole objective (Armijo, with the L1 change for a proximal step).
    const f0 = loss + l1Norm(theta);
    const trial = new Float64Array(theta);
    let decrease = 0;
    for (let r = 0; r < a; r++) decrease += g[r] * step[r];
    idx.forEach((u, r) => (trial[u] = theta[u] + step[r]));
    decrease += l1Norm(trial) - l1Norm(theta);
    let t = 1;
    let f1 = penalised(yield { kind: 'terms', model, theta: Float64Array.from(trial), lossOnly: true }, trial, true).loss + l1Norm(trial);
    while (f1 > f0 + 1e-4 * t * decrease && t > 1e-10) {
      t /= 2;
      idx.forEach((u, r) => (trial[u] = theta[u] + t * step[r]));
      f1 = penalised(yield { kind: 'terms', model, theta: Float64Array.from(trial), lossOnly: true }, trial, true).loss + l1Norm(trial);
    }
    let moved = 0;
    let largest = 1;
    idx.forEach((u, r) => {
      moved = Math.max(moved, Math.abs(t * step[r]));
      largest = Math.max(largest, Math.abs(trial[u]));
      theta[u] = trial[u];
    });
    if (opts.regParam === 0 && (yield { kind: 'separates', model, theta: Float64Array.from(theta) })[0] === 0) {
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

/** Run the solver here, answering each request over `parts` (one entry per partition, in partition order). */
export function solveLogistic(parts: readonly PartitionRows[], p: number, classes: number, opts: LogisticOptions, name?: (j: number) => string): LogisticModel {
  const solver = logisticSolver(p, classes, opts, name);
  let step = solver.next();
  while (!step.done) {
    const req = step.value;
    step = solver.next(mergePartitionSums(parts.map((part) => logisticPartitionSums(req, part))));
  }
  return step.value;
}

/**
 * Fit on n rows of p features (x column-major, feature j of row i at x[j·n + i]) with class indices y (0…K−1),
 * as one partition. `name(j)` names a feature in errors (a collinear one).
 */
export function fitLogistic(x: Float64Array, n: number, p: number, y: ArrayLike<number>, classes: number, opts: LogisticOptions, name: (j: number) => string = (j) => `x${j}`): LogisticModel {
  const rows = Uint32Array.from({ length: n }, (_, i) => i);
  return solveLogistic([{ x: x.subarray(0, n * p), stride: n, rows, y, classes }], p, classes, opts, name);
}

function paramName(u: number, P: number, name: (j: number) => string): string {
  const q = u % P;
  return q === 0 ? 'the intercept' : name(q - 1);
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
