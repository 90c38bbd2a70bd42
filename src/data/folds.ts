/**
 * Evaluation splits: which rows train and which are scored in each of a sweep's (train, test) splits. Folds are a
 * property of the sweep, the same for every config and every strategy; every place that needs them (the sweep, a
 * cluster worker recomputing them) calls planFolds, so they always agree. The schemes, as scikit-learn names them:
 *   kfold        KFold(shuffle=True): rows shuffled once with the seed and cut into k folds (the first n % k folds
 *                one row bigger); StratifiedKFold in effect on a classification (makeStratifiedFolds).
 *                `shuffle: false`: the folds in file order (KFold(shuffle=False)). `repeats: R`: RepeatedKFold, R
 *                shuffles with seeds derived from the sweep's (the first is the plain k-fold), k·R splits.
 *   holdout      one split: ⌈fraction·n⌉ test rows drawn with the seed (stratified on a classification), or with
 *                `shuffle: false` the last rows of the file (train_test_split(shuffle=False)).
 *   time-series  TimeSeriesSplit(n_splits=K): K expanding windows in row order; split s tests the (s+1)-th of K+1
 *                equal blocks (the first block takes the remainder) and trains on every row before it.
 *   fold-column  Spark's foldCol: a column of the data names each row's fold (any values, sorted as classes).
 *   group-kfold  GroupKFold: no group in two folds; the biggest group first, each to the fold with the fewest rows.
 * The column of the last two is read by the loader beside the features (Dataset.groups).
 */
import { hash32, permutation } from '../util/random.js';
import { UsageError } from '../errors.js';
import type { Dataset, GroupColumn } from './dataset.js';

export type Evaluation =
  | { kind: 'kfold'; folds: number; shuffle?: false; repeats?: number }
  | { kind: 'holdout'; testFraction: number; shuffle?: false }
  | { kind: 'time-series'; splits: number }
  | { kind: 'fold-column'; column: string }
  | { kind: 'group-kfold'; folds: number; column: string };

/** The schemes that need nothing but the row count (and the classes, to stratify). */
export type RowEvaluation = Extract<Evaluation, { kind: 'kfold' | 'holdout' }>;

/** A row's part in one split. */
export const TRAIN = 0;
export const TEST = 1;
/** Neither (a time-series split leaves out the rows after its test block). */
export const UNUSED = 2;

export interface FoldPlan {
  readonly evaluation: Evaluation;
  /** Number of (train, test) splits. */
  readonly count: number;
  readonly rows: number;
  /** roles[f·rows + i] is row i's part in split f: TRAIN, TEST or UNUSED (see rolesOf). */
  readonly roles: Uint8Array;
}

/** The fewest test rows a fold may have: a score on one row (r2, corr2) is not a measurement. */
export const MIN_TEST_ROWS = 2;
export const MAX_FOLDS = 255;
export const DEFAULT_FOLDS = 5;
export const MAX_REPEATS = 100;

/** Split f's roles, one byte per row (a view, no copy). */
export function rolesOf(plan: Pick<FoldPlan, 'roles' | 'rows'>, f: number): Uint8Array {
  return plan.roles.subarray(f * plan.rows, (f + 1) * plan.rows);
}

/** The column an evaluation reads from the data (--fold-col, --group-col), if any. */
export function evaluationColumn(e: Evaluation): string | undefined {
  return e.kind === 'fold-column' || e.kind === 'group-kfold' ? e.column : undefined;
}

/** The evaluation as the identity of a sweep sees it: default-valued options left out, so old checkpoints still match. */
export function normalEvaluation(e: Evaluation): Evaluation {
  if (e.kind === 'kfold') return { kind: 'kfold', folds: e.folds, ...(e.shuffle === false ? { shuffle: false } : {}), ...(e.repeats !== undefined && e.repeats !== 1 ? { repeats: e.repeats } : {}) };
  if (e.kind === 'holdout') return { kind: 'holdout', testFraction: e.testFraction, ...(e.shuffle === false ? { shuffle: false } : {}) };
  return e;
}

/** Plain (unstratified) k-fold or holdout splits of `rows` rows. */
export function makeFolds(rows: number, evaluation: RowEvaluation, seed: number): FoldPlan {
  const { count, nTest } = checkEvaluation(rows, evaluation);
  if (evaluation.kind === 'holdout') {
    const order = evaluation.shuffle === false ? lastRowsFirst(rows) : permutation(rows, seed);
    const roles = new Uint8Array(rows);
    for (let s = 0; s < nTest; s++) roles[order[s]] = TEST;
    return { evaluation, count, rows, roles };
  }
  const roles = new Uint8Array(count * rows);
  const k = evaluation.folds;
  for (let r = 0; r < count / k; r++) {
    const order = evaluation.shuffle === false ? identity(rows) : permutation(rows, repeatSeed(seed, r));
    const assign = new Uint8Array(rows);
    const base = Math.floor(rows / k);
    const extra = rows % k;
    let pos = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let s = 0; s < size; s++) assign[order[pos++]] = f;
    }
    partitionRoles(assign, k, roles, r * k);
  }
  return { evaluation, count, rows, roles };
}

/** Repeat r's shuffle: the sweep's seed for the first, so one repeat is the plain k-fold. */
function repeatSeed(seed: number, r: number): number {
  return r === 0 ? seed : hash32(seed, 0x4e9ea7, r);
}

function identity(n: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}

/** n−1, n−2, …, 0: a holdout without shuffling takes the last rows. */
function lastRowsFirst(n: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = n - 1 - i;
  return p;
}

/** Splits first…first+k−1 from a fold assignment: row i is tested in split first+assign[i] and trains in the others. */
function partitionRoles(assign: Uint8Array, k: number, roles: Uint8Array, first: number): void {
  const rows = assign.length;
  for (let f = 0; f < k; f++) {
    const out = roles.subarray((first + f) * rows, (first + f + 1) * rows);
    for (let i = 0; i < rows; i++) out[i] = assign[i] === f ? TEST : TRAIN;
  }
}

/** The number of splits an evaluation makes of `rows` rows, and a holdout's test rows; refuses what cannot be scored. */
function checkEvaluation(rows: number, evaluation: RowEvaluation): { count: number; nTest: number } {
  if (evaluation.kind === 'kfold') {
    const k = checkFoldCount(evaluation.folds, '--folds');
    const repeats = evaluation.repeats ?? 1;
    if (!Number.isInteger(repeats) || repeats < 1 || repeats > MAX_REPEATS) throw new UsageError(`--repeats must be an integer from 1 to ${MAX_REPEATS}, got ${repeats}`);
    if (repeats > 1 && evaluation.shuffle === false) throw new UsageError('--repeats reshuffles the rows for each repeat; it cannot go with --no-shuffle');
    // Every fold is scored on its own test rows: r2 and corr2 are undefined on one row (scikit-learn warns and
    // returns nan), so no fold may have fewer than MIN_TEST_ROWS.
    if (rows < MIN_TEST_ROWS * k) throw new UsageError(`--folds ${k} needs at least ${MIN_TEST_ROWS * k} rows (${MIN_TEST_ROWS} test rows per fold), the data has ${rows}`);
    return { count: k * repeats, nTest: 0 };
  }
  const frac = evaluation.testFraction;
  if (!(frac > 0 && frac < 1)) throw new UsageError(`--test-fraction must be between 0 and 1 (exclusive), got ${frac}`);
  const nTest = Math.ceil(frac * rows);
  if (nTest < MIN_TEST_ROWS || rows - nTest < 1) {
    throw new UsageError(`--test-fraction ${frac} leaves ${nTest} test and ${rows - nTest} training rows of ${rows}; the test set needs at least ${MIN_TEST_ROWS} rows and training at least 1`);
  }
  return { count: 1, nTest };
}

function checkFoldCount(k: number, flag: string): number {
  if (!Number.isInteger(k) || k < 2 || k > MAX_FOLDS) throw new UsageError(`${flag} must be an integer from 2 to ${MAX_FOLDS}, got ${k}`);
  return k;
}

/**
 * The split that tests each row, −1 for none (a holdout's training rows), for plans that test a row at most once
 * (all but repeated k-fold): the fold assignment scikit-learn's PredefinedSplit takes (test/reference scripts).
 */
export function testFoldOf(plan: FoldPlan): Int16Array {
  const out = new Int16Array(plan.rows).fill(-1);
  for (let f = 0; f < plan.count; f++) {
    const r = rolesOf(plan, f);
    for (let i = 0; i < plan.rows; i++) {
      if (r[i] !== TEST) continue;
      if (out[i] !== -1) throw new Error(`row ${i} is tested in splits ${out[i]} and ${f}: no single fold assignment`);
      out[i] = f;
    }
  }
  return out;
}

/** Ascending indices of the rows that train in split f. */
export function trainRows(plan: FoldPlan, f: number): Uint32Array {
  return rowsWith(rolesOf(plan, f), TRAIN);
}

/** Ascending indices of the rows that are scored in split f. */
export function testRows(plan: FoldPlan, f: number): Uint32Array {
  return rowsWith(rolesOf(plan, f), TEST);
}

/** Each split's training and test row counts (the report's per-fold line). */
export function splitSizes(plan: FoldPlan): { train: number; test: number }[] {
  return Array.from({ length: plan.count }, (_, f) => {
    const r = rolesOf(plan, f);
    let train = 0;
    let test = 0;
    for (let i = 0; i < r.length; i++) {
      if (r[i] === TRAIN) train++;
      else if (r[i] === TEST) test++;
    }
    return { train, test };
  });
}

function rowsWith(roles: Uint8Array, role: number): Uint32Array {
  let n = 0;
  for (let i = 0; i < roles.length; i++) if (roles[i] === role) n++;
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < roles.length; i++) if (roles[i] === role) out[k++] = i;
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
 * A class with fewer rows than folds is named in `warnings` (some folds will not test it). Without shuffling the
 * deal runs in file order; a holdout without shuffling is the plain one (the last rows), as scikit-learn refuses
 * stratify without shuffle.
 */
export function makeStratifiedFolds(classOf: ArrayLike<number>, classes: number, evaluation: RowEvaluation, seed: number): FoldPlan & { warnings: string[] } {
  const rows = classOf.length;
  const { count, nTest } = checkEvaluation(rows, evaluation); // the same checks and messages as unstratified folds
  if (evaluation.kind === 'holdout' && evaluation.shuffle === false) return { ...makeFolds(rows, evaluation, seed), warnings: [] };
  const byClassIn = (order: Uint32Array) => {
    const byClass: number[][] = Array.from({ length: classes }, () => []);
    for (let s = 0; s < rows; s++) byClass[classOf[order[s]]].push(order[s]);
    return byClass;
  };
  const warnings: string[] = [];
  if (evaluation.kind === 'kfold') {
    const k = evaluation.folds;
    const roles = new Uint8Array(count * rows);
    for (let r = 0; r < count / k; r++) {
      const byClass = byClassIn(evaluation.shuffle === false ? identity(rows) : permutation(rows, repeatSeed(seed, r)));
      const assign = new Uint8Array(rows);
      let deal = 0;
      byClass.forEach((members, c) => {
        if (r === 0 && members.length > 0 && members.length < k) warnings.push(`class ${c} has ${members.length} row${members.length === 1 ? '' : 's'}, fewer than the ${k} folds: some folds do not test it`);
        for (const i of members) assign[i] = deal++ % k;
      });
      partitionRoles(assign, k, roles, r * k);
    }
    return { evaluation, count, rows, roles, warnings };
  }
  const byClass = byClassIn(permutation(rows, seed));
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
  const roles = new Uint8Array(rows);
  byClass.forEach((members, c) => {
    for (let s = 0; s < take[c]; s++) roles[members[s]] = TEST;
  });
  return { evaluation, count, rows, roles, warnings };
}

/** TimeSeriesSplit(n_splits=K): expanding training windows in row order, each followed by its test block. */
export function makeTimeSeriesFolds(rows: number, evaluation: Extract<Evaluation, { kind: 'time-series' }>): FoldPlan {
  const k = checkFoldCount(evaluation.splits, '--time-series');
  const size = Math.floor(rows / (k + 1));
  if (size < MIN_TEST_ROWS) throw new UsageError(`--time-series ${k} needs at least ${MIN_TEST_ROWS * (k + 1)} rows (${k + 1} blocks of ${MIN_TEST_ROWS} or more), the data has ${rows}`);
  const roles = new Uint8Array(k * rows).fill(UNUSED);
  for (let s = 0; s < k; s++) {
    const start = rows - (k - s) * size;
    const out = roles.subarray(s * rows, (s + 1) * rows);
    out.fill(TRAIN, 0, start);
    out.fill(TEST, start, start + size);
  }
  return { evaluation, count: k, rows, roles };
}

/** Spark's foldCol: split f tests the rows whose column holds the f-th value (in sorted order). */
export function makeColumnFolds(groups: GroupColumn, evaluation: Extract<Evaluation, { kind: 'fold-column' }>): FoldPlan {
  const k = groups.values.length;
  if (k < 2 || k > MAX_FOLDS) throw new UsageError(`--fold-col ${evaluation.column}: the column holds ${k} distinct value${k === 1 ? '' : 's'}; it must name 2 to ${MAX_FOLDS} folds`);
  const rows = groups.codes.length;
  const assign = Uint8Array.from(groups.codes);
  const sizes = new Uint32Array(k);
  for (let i = 0; i < rows; i++) sizes[assign[i]]++;
  const small = sizes.findIndex((s) => s < MIN_TEST_ROWS);
  if (small >= 0) throw new UsageError(`--fold-col ${evaluation.column}: fold ${JSON.stringify(groups.values[small])} has ${sizes[small]} row${sizes[small] === 1 ? '' : 's'}; every fold needs at least ${MIN_TEST_ROWS} test rows`);
  return assignedPlan(evaluation, assign, k);
}

/** The k-split plan of one fold assignment (assign[i]: the split that tests row i; it trains in the others). */
function assignedPlan(evaluation: Evaluation, assign: Uint8Array, k: number): FoldPlan {
  const roles = new Uint8Array(k * assign.length);
  partitionRoles(assign, k, roles, 0);
  return { evaluation, count: k, rows: assign.length, roles };
}

/**
 * GroupKFold (scikit-learn 1.2): groups by size, biggest first (ties: the later value first, as numpy's reversed
 * argsort), each to the fold with the fewest rows so far (ties: the lowest fold). No shuffling, so no seed.
 */
export function makeGroupFolds(groups: GroupColumn, evaluation: Extract<Evaluation, { kind: 'group-kfold' }>): FoldPlan {
  const k = checkFoldCount(evaluation.folds, '--folds');
  const g = groups.values.length;
  if (g < k) throw new UsageError(`--group-col ${evaluation.column}: ${g} group${g === 1 ? '' : 's'} cannot fill ${k} folds (no group may be in two); lower --folds`);
  const rows = groups.codes.length;
  const size = new Uint32Array(g);
  for (let i = 0; i < rows; i++) size[groups.codes[i]]++;
  const order = Array.from({ length: g }, (_, c) => c).sort((a, b) => size[b] - size[a] || b - a);
  const load = new Float64Array(k);
  const foldOfGroup = new Uint8Array(g);
  for (const c of order) {
    let lightest = 0;
    for (let f = 1; f < k; f++) if (load[f] < load[lightest]) lightest = f;
    load[lightest] += size[c];
    foldOfGroup[c] = lightest;
  }
  const small = load.findIndex((n) => n < MIN_TEST_ROWS);
  if (small >= 0) throw new UsageError(`--group-col ${evaluation.column}: fold ${small + 1} of ${k} gets ${load[small]} row${load[small] === 1 ? '' : 's'}; every fold needs at least ${MIN_TEST_ROWS} test rows`);
  const assign = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) assign[i] = foldOfGroup[groups.codes[i]];
  return assignedPlan(evaluation, assign, k);
}

/**
 * --holdout's split, kept apart from the sweep's folds in the spirit of the scheme they use: the last rows when
 * the folds keep row order (time series, --no-shuffle); whole groups when no group may be in two folds
 * (GroupShuffleSplit: the groups in a seeded order until the test rows reach the fraction); else a holdout of
 * the rows (stratified on a classification). Roles as a one-split plan: TEST is held out.
 */
export function planHoldout(data: Pick<Dataset, 'rows' | 'y' | 'classes' | 'groups'>, fraction: number, folds: Evaluation, seed: number): FoldPlan & { warnings: string[] } {
  const inOrder = folds.kind === 'time-series' || ((folds.kind === 'kfold' || folds.kind === 'holdout') && folds.shuffle === false);
  const evaluation: Evaluation = { kind: 'holdout', testFraction: fraction, ...(inOrder ? { shuffle: false as const } : {}) };
  if (folds.kind !== 'group-kfold') return planFolds(data, evaluation, seed);
  const groups = groupsFor(data, folds);
  const { nTest } = checkEvaluation(data.rows, evaluation);
  const size = new Uint32Array(groups.values.length);
  for (let i = 0; i < data.rows; i++) size[groups.codes[i]]++;
  const held = new Uint8Array(groups.values.length);
  let taken = 0;
  for (const c of permutation(groups.values.length, seed)) {
    if (taken >= nTest) break;
    held[c] = 1;
    taken += size[c];
  }
  if (data.rows - taken < 1) throw new UsageError(`--holdout ${fraction} holds out every group of "${folds.column}"`);
  const roles = new Uint8Array(data.rows);
  for (let i = 0; i < data.rows; i++) if (held[groups.codes[i]]) roles[i] = TEST;
  return { evaluation, count: 1, rows: data.rows, roles, warnings: [] };
}

/** The column a fold-column or group evaluation reads, which the data must have been loaded with. */
function groupsFor(data: Pick<Dataset, 'groups'>, evaluation: Extract<Evaluation, { column: string }>): GroupColumn {
  const groups = data.groups;
  if (groups === undefined || groups.column !== evaluation.column) throw new UsageError(`the data was loaded without the column "${evaluation.column}" that the folds need`);
  return groups;
}

/**
 * The folds of a dataset under an evaluation: stratified k-fold and holdout for a classification (its y holds class
 * indices), plain otherwise; the other schemes as the module comment says.
 */
export function planFolds(data: Pick<Dataset, 'rows' | 'y' | 'classes' | 'groups'>, evaluation: Evaluation, seed: number): FoldPlan & { warnings: string[] } {
  switch (evaluation.kind) {
    case 'time-series':
      return { ...makeTimeSeriesFolds(data.rows, evaluation), warnings: [] };
    case 'fold-column':
    case 'group-kfold': {
      const groups = groupsFor(data, evaluation);
      return { ...(evaluation.kind === 'fold-column' ? makeColumnFolds(groups, evaluation) : makeGroupFolds(groups, evaluation)), warnings: [] };
    }
    default: {
      if (data.classes === undefined) return { ...makeFolds(data.rows, evaluation, seed), warnings: [] };
      const plan = makeStratifiedFolds(data.y, data.classes.length, evaluation, seed);
      const names = data.classes;
      return { ...plan, warnings: plan.warnings.map((w) => w.replace(/^class (\d+)/, (_, c: string) => `class ${JSON.stringify(names[Number(c)])}`)) };
    }
  }
}

/** The fewest rows an evaluation can split (for a halving search over rows: its smallest rung). */
export function leastRows(e: Evaluation, perFold: number): number {
  switch (e.kind) {
    case 'kfold':
    case 'group-kfold':
      return perFold * e.folds;
    case 'holdout':
      return Math.ceil(perFold / e.testFraction) + 1;
    case 'time-series':
      return perFold * (e.splits + 1);
    case 'fold-column':
      return 2 * perFold;
  }
}
