/**
 * Evaluation splits. Rows are shuffled once with the seed and cut into folds the way scikit-learn's
 * KFold(shuffle=True) does (the first n % k folds get one extra row). A holdout split is a single "fold".
 * Folds are a property of the sweep, the same for every config and every strategy.
 */
import { permutation } from '../util/random.js';
import { UsageError } from '../errors.js';

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
  const perm = permutation(rows, seed);
  const foldOf = new Uint8Array(rows);
  if (evaluation.kind === 'kfold') {
    const k = evaluation.folds;
    if (!Number.isInteger(k) || k < 2 || k > 255) throw new UsageError(`--folds must be an integer from 2 to 255, got ${k}`);
    // Every fold is scored on its own test rows: r2 and corr2 are undefined on one row (scikit-learn warns and
    // returns nan), so no fold may have fewer than MIN_TEST_ROWS.
    if (rows < MIN_TEST_ROWS * k) throw new UsageError(`--folds ${k} needs at least ${MIN_TEST_ROWS * k} rows (${MIN_TEST_ROWS} test rows per fold), the data has ${rows}`);
    const base = Math.floor(rows / k);
    const extra = rows % k;
    let pos = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let s = 0; s < size; s++) foldOf[perm[pos++]] = f;
    }
    return { evaluation, count: k, foldOf };
  }
  const frac = evaluation.testFraction;
  if (!(frac > 0 && frac < 1)) throw new UsageError(`--test-fraction must be between 0 and 1 (exclusive), got ${frac}`);
  const nTest = Math.ceil(frac * rows);
  if (nTest < MIN_TEST_ROWS || rows - nTest < 1) {
    throw new UsageError(`--test-fraction ${frac} leaves ${nTest} test and ${rows - nTest} training rows of ${rows}; the test set needs at least ${MIN_TEST_ROWS} rows and training at least 1`);
  }
  foldOf.fill(1);
  for (let s = 0; s < nTest; s++) foldOf[perm[s]] = 0;
  return { evaluation, count: 1, foldOf };
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
