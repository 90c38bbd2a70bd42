import { describe, expect, it } from 'vitest';
import { UsageError } from '../../dist/errors.js';
import { allRows, makeFolds, testFoldOf, testRows, trainRows } from '../../dist/data/folds.js';

const sizes = (rows: number, k: number, seed = 0) => {
  const plan = makeFolds(rows, { kind: 'kfold', folds: k }, seed);
  return Array.from({ length: plan.count }, (_, f) => testRows(plan, f).length);
};

describe('makeFolds: k-fold', () => {
  it('has the fold sizes of scikit-learn KFold (the first n % k folds one bigger)', () => {
    // From KFold(k, shuffle=True).split(np.zeros(n)) in scikit-learn 1.2.1.
    expect(sizes(10, 3)).toEqual([4, 3, 3]);
    expect(sizes(11, 4)).toEqual([3, 3, 3, 2]);
    expect(sizes(442, 5)).toEqual([89, 89, 88, 88, 88]);
    expect(sizes(14, 7)).toEqual([2, 2, 2, 2, 2, 2, 2]);
  });

  it('tests every row exactly once; train is the complement, both ascending', () => {
    const n = 103;
    const plan = makeFolds(n, { kind: 'kfold', folds: 5 }, 42);
    const tested = new Uint8Array(n);
    for (let f = 0; f < plan.count; f++) {
      const test = testRows(plan, f);
      const train = trainRows(plan, f);
      expect(test.length + train.length).toBe(n);
      for (const i of test) tested[i]++;
      const inTest = new Set(test);
      expect(Array.from(train).some((i) => inTest.has(i))).toBe(false);
      for (const a of [test, train]) for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    }
    expect(Array.from(tested).every((c) => c === 1)).toBe(true);
  });

  it('same seed, same folds; another seed, other folds', () => {
    const a = testFoldOf(makeFolds(200, { kind: 'kfold', folds: 4 }, 7));
    const b = testFoldOf(makeFolds(200, { kind: 'kfold', folds: 4 }, 7));
    const c = testFoldOf(makeFolds(200, { kind: 'kfold', folds: 4 }, 8));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('shuffles: fold 0 is not simply the first rows', () => {
    const test = testRows(makeFolds(100, { kind: 'kfold', folds: 5 }, 1), 0);
    expect(Array.from(test)).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('rejects too few rows and bad fold counts', () => {
    expect(() => makeFolds(3, { kind: 'kfold', folds: 5 }, 0)).toThrow(UsageError);
    expect(() => makeFolds(3, { kind: 'kfold', folds: 5 }, 0)).toThrow('--folds 5 needs at least 10 rows (2 test rows per fold), the data has 3');
    // Hostile review class 15: a fold of one test row would report r2 = 0 as if measured.
    expect(() => makeFolds(7, { kind: 'kfold', folds: 7 }, 0)).toThrow('--folds 7 needs at least 14 rows');
    expect(() => makeFolds(9, { kind: 'kfold', folds: 5 }, 0)).toThrow('--folds 5 needs at least 10 rows');
    for (const k of [1, 0, 2.5, 256]) expect(() => makeFolds(1000, { kind: 'kfold', folds: k }, 0)).toThrow('--folds must be an integer from 2 to 255');
  });
});

describe('makeFolds: holdout', () => {
  it('holds out ceil(fraction × rows) rows as the one test fold', () => {
    for (const [rows, frac, nTest] of [[100, 0.2, 20], [442, 0.25, 111], [10, 0.15, 2], [3, 0.5, 2]] as const) {
      const plan = makeFolds(rows, { kind: 'holdout', testFraction: frac }, 3);
      expect(plan.count).toBe(1);
      expect(testRows(plan, 0).length).toBe(nTest);
      expect(trainRows(plan, 0).length).toBe(rows - nTest);
    }
  });

  it('rejects fractions outside (0, 1) and splits that leave a side empty', () => {
    for (const frac of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => makeFolds(100, { kind: 'holdout', testFraction: frac }, 0)).toThrow('--test-fraction must be between 0 and 1');
    }
    expect(() => makeFolds(2, { kind: 'holdout', testFraction: 0.9 }, 0)).toThrow('leaves 2 test and 0 training rows of 2');
    expect(() => makeFolds(10, { kind: 'holdout', testFraction: 0.01 }, 0)).toThrow('leaves 1 test and 9 training rows of 10; the test set needs at least 2 rows');
  });
});

describe('allRows', () => {
  it('is 0..n-1', () => {
    expect(Array.from(allRows(4))).toEqual([0, 1, 2, 3]);
  });
});
