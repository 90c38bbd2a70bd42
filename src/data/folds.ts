/**
 * Evaluation splits. Rows are shuffled once with the seed and cut into folds the way scikit-learn's
 * KFold(shuffle=True) does (the first n % k folds get one extra row). A holdout split is a single "fold".
 * Folds are a property of the sweep, the same for every config and every strategy.
 */
import { permutation } from '../util/random.js';
import { UsageError } from '../errors.js';
import type { Dataset } from './dataset.js';

export type Evaluation = { kind: 'kfold'; folds: number } | { kind: 'holdout'; testFraction: number };

export interface FoldPlan {
  readonly evaluation: Evaluation;
  /** Number of (train, test) splits: k for k-fold, 1 for a holdout. */
  readonly count: number;
  /**
   * foldOf[i] is the fold in which row i is a test row. Row i trains in every fold f with foldOf[i] !== f.
   * (For a holdout, test rows have 0 and training rows 1, so the one rule serves both.)
   */
  readonly foldOf: Uint8Array;
}

/** The fewest test rows a fold may have: a score on one row (r2, corr2) is not a measurement. */
export const MIN_TEST_ROWS = 2;

export function makeFolds(rows: number, evaluation: Evaluation, seed: number): FoldPlan {
  const { count, nTest } = checkEvaluation(rows, evaluation);
  const perm = permutation(rows, seed);
  const foldOf = new Uint8Array(rows);
  if (evaluation.kind === 'kfold') {
    const base = Math.floor(rows / count);
    const extra = rows % count;
    let pos = 0;
    for (let f = 0; f < count; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let s = 0; s < size; s++) foldOf[perm[pos++]] = f;
    }
    return { evaluation, count, foldOf };
  }
  foldOf.fill(1);
  for (let s = 0; s < nTest; s++) foldOf[perm[s]] = 0;
  return { evaluation, count, foldOf };
}

/** The number of splits an evaluation makes of `rows` rows, and a holdout's test rows; refuses what cannot be scored. */
function checkEvaluation(rows: number, evaluation: Evaluation): { count: number; nTest: number } {
  if (evaluation.kind === 'kfold') {
    const k = evaluation.folds;
    if (!Number.isInteger(k) || k < 2 || k > 255) throw new UsageError(`--folds must be an integer from 2 to 255, got ${k}`);
    // Every fold is scored on its own test rows: r2 and corr2 are undefined on one row (scikit-learn warns and
    // returns nan), so no fold may have fewer than MIN_TEST_ROWS.
    if (rows < MIN_TEST_ROWS * k) throw new UsageError(`--folds ${k} needs at least ${MIN_TEST_ROWS * k} rows (${MIN_TEST_ROWS} test rows per fold), the data has ${rows}`);
    return { count: k, nTest: 0 };
  }
  const frac = evaluation.testFraction;
  if (!(frac > 0 && frac < 1)) throw new UsageError(`--test-fraction must be between 0 and 1 (exclusive), got ${frac}`);
  const nTest = Math.ceil(frac * rows);
  if (nTest < MIN_TEST_ROWS || rows - nTest < 1) {
    throw new UsageError(`--test-fraction ${frac} leaves ${nTest} test and ${rows - nTest} training rows of ${rows}; the test set needs at least ${MIN_TEST_ROWS} rows and training at least 1`);
  }
  return { count: 1, nTest };
}

/** Ascending indices of the rows that train in fold f. */
export function trainRows(plan: FoldPlan, f: number): Uint32Array {
  return rowsWhere(plan.foldOf, (v) => v !== f);
}

/** Ascending indices of the rows that are scored in fold f. */
export function testRows(plan: FoldPlan, f: number): Uint32Array {
  return rowsWhere(plan.foldOf, (v) => v === f);
}

function rowsWhere(foldOf: Uint8Array, keep: (v: number) => boolean): Uint32Array {
  let n = 0;
  for (let i = 0; i < foldOf.length; i++) if (keep(foldOf[i])) n++;
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < foldOf.length; i++) if (keep(foldOf[i])) out[k++] = i;
  return out;
}

/** All rows, for refitting the best config (--save-best). */
export function allRows(rows: number): Uint32Array {
  const out = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = i;
  return out;
}

/**
 * Stratified folds (scikit-learn's StratifiedKFold(shuffle=True) / train_test_split(stratify=y) in effect): the
 * rows are shuffled once with the seed, then each class's rows, in that order, are dealt round-robin over the
 * folds, the deal running on from one class to the next — so every fold holds each class to within one row of
 * its share, and the fold sizes are within one row of each other. A holdout takes from each class its share of
 * the test rows (largest remainders, ties to the lower class). `classOf[i]` is row i's class index (0…classes−1).
 * A class with fewer rows than folds is named in `warnings` (some folds will not test it).
 */
export function makeStratifiedFolds(classOf: ArrayLike<number>, classes: number, evaluation: Evaluation, seed: number): FoldPlan & { warnings: string[] } {
  const rows = classOf.length;
  const { count, nTest } = checkEvaluation(rows, evaluation); // the same checks and messages as unstratified folds
  const perm = permutation(rows, seed);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let s = 0; s < rows; s++) byClass[classOf[perm[s]]].push(perm[s]);
  const foldOf = new Uint8Array(rows);
  const warnings: string[] = [];
  if (evaluation.kind === 'kfold') {
    const k = evaluation.folds;
    let deal = 0;
    byClass.forEach((members, c) => {
      if (members.length > 0 && members.length < k) warnings.push(`class ${c} has ${members.length} row${members.length === 1 ? '' : 's'}, fewer than the ${k} folds: some folds do not test it`);
      for (const r of members) foldOf[r] = deal++ % k;
    });
    return { evaluation, count, foldOf, warnings };
  }
  const quota = byClass.map((m) => (m.length * nTest) / rows);
  const take = quota.map(Math.floor);
  let left = nTest - take.reduce((a, b) => a + b, 0);
  const byRemainder = quota.map((q, c) => ({ c, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of byRemainder) {
    if (left === 0) break;
    if (take[c] < byClass[c].length) {
      take[c]++;
      left--;
    }
  }
  foldOf.fill(1);
  byClass.forEach((members, c) => {
    for (let s = 0; s < take[c]; s++) foldOf[members[s]] = 0;
  });
  return { evaluation, count, foldOf, warnings };
}

/**
 * The folds of a dataset: stratified for a classification (its y holds class indices), plain otherwise. Every
 * place that plans folds (the sweep, a cluster worker recomputing them) calls this, so they always agree.
 */
export function planFolds(data: Pick<Dataset, 'rows' | 'y' | 'classes'>, evaluation: Evaluation, seed: number): FoldPlan & { warnings: string[] } {
  if (data.classes === undefined) return { ...makeFolds(data.rows, evaluation, seed), warnings: [] };
  const plan = makeStratifiedFolds(data.y, data.classes.length, evaluation, seed);
  const names = data.classes;
  return { ...plan, warnings: plan.warnings.map((w) => w.replace(/^class (\d+)/, (_, c: string) => `class ${JSON.stringify(names[Number(c)])}`)) };
}
