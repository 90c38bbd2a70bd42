/** Stratified folds: class shares per fold within one row, fold sizes within one row, deterministic, warnings. */
import { describe, expect, it } from 'vitest';
import { makeFolds, makeStratifiedFolds, testFoldOf } from '../../dist/data/folds.js';

const classes = (counts: number[]) => counts.flatMap((n, c) => new Array(n).fill(c));

describe('stratified folds', () => {
  it("deal each class's rows round-robin: every fold holds each class to within one row", () => {
    const y = classes([50, 30, 7]);
    // shuffle the class labels over the rows so classes are not contiguous
    const mixed = y.map((_, i) => y[(i * 37) % y.length]);
    const plan = makeStratifiedFolds(mixed, 3, { kind: 'kfold', folds: 5 }, 42);
    expect(plan.count).toBe(5);
    expect(plan.warnings).toEqual([]);
    const foldOf = testFoldOf(plan);
    const sizes = new Array(5).fill(0);
    const perClass = Array.from({ length: 3 }, () => new Array(5).fill(0));
    mixed.forEach((c, i) => {
      sizes[foldOf[i]]++;
      perClass[c][foldOf[i]]++;
    });
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const row of perClass) expect(Math.max(...row) - Math.min(...row)).toBeLessThanOrEqual(1);
    expect(testFoldOf(makeStratifiedFolds(mixed, 3, { kind: 'kfold', folds: 5 }, 42))).toEqual(foldOf);
    expect(testFoldOf(makeStratifiedFolds(mixed, 3, { kind: 'kfold', folds: 5 }, 43))).not.toEqual(foldOf);
  });
  it('warn about a class with fewer rows than folds, and refuse what unstratified folds refuse', () => {
    const plan = makeStratifiedFolds(classes([20, 3]), 2, { kind: 'kfold', folds: 5 }, 1);
    expect(plan.warnings).toEqual(['class 1 has 3 rows, fewer than the 5 folds: some folds do not test it']);
    expect(() => makeStratifiedFolds(classes([3, 2]), 2, { kind: 'kfold', folds: 3 }, 1)).toThrow(/--folds 3 needs at least 6 rows/);
  });
  it('give a stratified holdout each class its share of the test rows', () => {
    const y = classes([60, 30, 10]);
    const plan = makeStratifiedFolds(y, 3, { kind: 'holdout', testFraction: 0.2 }, 7);
    const test = [0, 0, 0];
    const foldOf = testFoldOf(plan);
    y.forEach((c, i) => foldOf[i] === 0 && test[c]++);
    expect(test).toEqual([12, 6, 2]);
    expect(foldOf.filter((f) => f === 0).length).toBe(testFoldOf(makeFolds(100, { kind: 'holdout', testFraction: 0.2 }, 7)).filter((f) => f === 0).length);
  });
});
