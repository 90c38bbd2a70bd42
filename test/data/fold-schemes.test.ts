/**
 * The fold schemes beyond shuffled k-fold: time series, a fold column, group k-fold, repeats, file order, and the
 * --holdout split that goes with each. Expected splits are scikit-learn 1.2's (TimeSeriesSplit, GroupKFold, KFold
 * shuffle=False) on the same inputs, worked out from their documented rules.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../dist/errors.js';
import { makeFolds, planFolds, planHoldout, rolesOf, splitSizes, testRows, trainRows, TEST, TRAIN, UNUSED, type Evaluation } from '../../dist/data/folds.js';

const rows = (plan: Parameters<typeof testRows>[0]) => Array.from({ length: plan.count }, (_, f) => [Array.from(trainRows(plan, f)), Array.from(testRows(plan, f))]);
const groupsOf = (values: (string | number)[]) => {
  const names = [...new Set(values.map(String))].sort();
  return { column: 'g', codes: Int32Array.from(values, (v) => names.indexOf(String(v))), values: names };
};
const data = (n: number, groups?: ReturnType<typeof groupsOf>) => ({ rows: n, y: new Float64Array(n), ...(groups ? { groups } : {}) });

describe('time-series splits (TimeSeriesSplit)', () => {
  it('train on every row before the test block; blocks of n // (k + 1), the first takes the remainder', () => {
    const plan = planFolds(data(14), { kind: 'time-series', splits: 3 }, 42);
    // TimeSeriesSplit(n_splits=3) on 14 rows: test_size 3, tests start at 5, 8, 11.
    expect(rows(plan)).toEqual([
      [[0, 1, 2, 3, 4], [5, 6, 7]],
      [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10]],
      [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11, 12, 13]],
    ]);
    expect(Array.from(rolesOf(plan, 0).subarray(8))).toEqual(new Array(6).fill(UNUSED));
    expect(splitSizes(plan)).toEqual([{ train: 5, test: 3 }, { train: 8, test: 3 }, { train: 11, test: 3 }]);
  });

  it('need at least two rows per block and ignore the seed', () => {
    expect(() => planFolds(data(7), { kind: 'time-series', splits: 3 }, 0)).toThrow('--time-series 3 needs at least 8 rows');
    expect(() => planFolds(data(100), { kind: 'time-series', splits: 1 }, 0)).toThrow('--time-series must be an integer from 2 to 255');
    expect(planFolds(data(30), { kind: 'time-series', splits: 4 }, 1).roles).toEqual(planFolds(data(30), { kind: 'time-series', splits: 4 }, 2).roles);
  });
});

describe('a fold column (Spark foldCol)', () => {
  it('tests the rows of each value in sorted order and trains on the rest', () => {
    const plan = planFolds(data(6, groupsOf(['b', 'a', 'b', 'c', 'a', 'c'])), { kind: 'fold-column', column: 'g' }, 0);
    expect(plan.count).toBe(3);
    expect(rows(plan).map(([, test]) => test)).toEqual([[1, 4], [0, 2], [3, 5]]);
  });

  it('refuses one value, a fold of one row, and a column the data was loaded without', () => {
    expect(() => planFolds(data(4, groupsOf([1, 1, 1, 1])), { kind: 'fold-column', column: 'g' }, 0)).toThrow('holds 1 distinct value');
    expect(() => planFolds(data(5, groupsOf([1, 1, 2, 2, 3])), { kind: 'fold-column', column: 'g' }, 0)).toThrow('fold "3" has 1 row');
    expect(() => planFolds(data(5), { kind: 'fold-column', column: 'g' }, 0)).toThrow(UsageError);
  });
});

describe('group k-fold (GroupKFold)', () => {
  it('puts each group in one fold, biggest first, to the fold with the fewest rows', () => {
    // GroupKFold(2) on groups [0, 0, 2, 2]: the docs' example, split 0 tests [2, 3].
    expect(rows(planFolds(data(4, groupsOf([0, 0, 2, 2])), { kind: 'group-kfold', folds: 2, column: 'g' }, 0))).toEqual([[[0, 1], [2, 3]], [[2, 3], [0, 1]]]);
    const g = ['u1', 'u1', 'u1', 'u1', 'u2', 'u2', 'u3', 'u3', 'u3', 'u4', 'u4', 'u5'];
    const plan = planFolds(data(g.length, groupsOf(g)), { kind: 'group-kfold', folds: 3, column: 'g' }, 0);
    for (let f = 0; f < 3; f++) {
      const test = new Set(Array.from(testRows(plan, f), (i) => g[i]));
      const train = new Set(Array.from(trainRows(plan, f), (i) => g[i]));
      expect([...test].filter((v) => train.has(v))).toEqual([]);
    }
    // u1 (4 rows) → fold 0, u3 (3) → 1, u4 (2; the later of the two-row groups first) → 2, u2 → 2, u5 (1) → 1.
    expect(splitSizes(plan).map((s) => s.test)).toEqual([4, 4, 4]);
  });

  it('refuses fewer groups than folds', () => {
    expect(() => planFolds(data(6, groupsOf([1, 1, 1, 2, 2, 2])), { kind: 'group-kfold', folds: 3, column: 'g' }, 0)).toThrow('2 groups cannot fill 3 folds');
  });
});

describe('repeated k-fold and file order', () => {
  it('repeats: the first repeat is the plain k-fold, each repeat tests every row once, later repeats reshuffle', () => {
    const plain = makeFolds(50, { kind: 'kfold', folds: 5 }, 9);
    const rep = makeFolds(50, { kind: 'kfold', folds: 5, repeats: 3 }, 9);
    expect(rep.count).toBe(15);
    expect(rep.roles.subarray(0, 5 * 50)).toEqual(plain.roles);
    for (let r = 0; r < 3; r++) {
      const tested = new Uint8Array(50);
      for (let f = 0; f < 5; f++) for (const i of testRows(rep, r * 5 + f)) tested[i]++;
      expect(Array.from(tested).every((c) => c === 1)).toBe(true);
    }
    expect(Array.from(testRows(rep, 5))).not.toEqual(Array.from(testRows(rep, 0)));
    expect(() => makeFolds(50, { kind: 'kfold', folds: 5, repeats: 2, shuffle: false }, 9)).toThrow('cannot go with --no-shuffle');
  });

  it('no shuffle: contiguous folds as KFold(shuffle=False); a holdout tests the last rows', () => {
    expect(rows(makeFolds(7, { kind: 'kfold', folds: 3, shuffle: false }, 1)).map(([, t]) => t)).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
    expect(Array.from(testRows(makeFolds(10, { kind: 'holdout', testFraction: 0.3, shuffle: false }, 1), 0))).toEqual([7, 8, 9]);
    // A classification in file order: each class dealt over the folds in row order.
    const y = Float64Array.from([0, 0, 1, 1, 0, 1, 0, 1]);
    const strat = planFolds({ rows: 8, y, classes: ['a', 'b'] }, { kind: 'kfold', folds: 2, shuffle: false }, 1);
    // class a's rows 0, 1, 4, 6 dealt to folds 0, 1, 0, 1; the deal runs on to class b's 2, 3, 5, 7.
    expect(rows(strat).map(([, t]) => t)).toEqual([[0, 2, 4, 5], [1, 3, 6, 7]]);
  });
});

describe('--holdout beside each scheme', () => {
  const holdout = (e: Evaluation, d = data(20, groupsOf(Array.from({ length: 20 }, (_, i) => `g${i % 5}`)))) => Array.from(testRows(planHoldout(d, 0.25, e, 3), 0));
  it('takes the last rows when the folds keep row order', () => {
    expect(holdout({ kind: 'time-series', splits: 3 })).toEqual([15, 16, 17, 18, 19]);
    expect(holdout({ kind: 'kfold', folds: 3, shuffle: false })).toEqual([15, 16, 17, 18, 19]);
  });
  it('holds out whole groups under group k-fold', () => {
    const held = holdout({ kind: 'group-kfold', folds: 3, column: 'g' });
    const groups = new Set(held.map((i) => i % 5));
    expect(held.length).toBe(4 * groups.size);
    expect(held.length).toBeGreaterThanOrEqual(5);
  });
  it('draws rows with the seed otherwise', () => {
    const held = holdout({ kind: 'kfold', folds: 3 });
    expect(held.length).toBe(5);
    expect(held).not.toEqual([15, 16, 17, 18, 19]);
    const plan = planHoldout(data(20), 0.25, { kind: 'kfold', folds: 3 }, 3);
    expect(plan.roles.filter((r) => r === TEST).length + plan.roles.filter((r) => r === TRAIN).length).toBe(20);
  });
});
