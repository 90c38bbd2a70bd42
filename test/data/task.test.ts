/** --task: auto detection, class order (scikit-learn's classes_), and the refusals. */
import { describe, expect, it } from 'vitest';
import { allocateDataset } from '../../dist/data/dataset.js';
import { resolveTask, sortClassNames } from '../../dist/data/task.js';

function numeric(y: number[]) {
  const d = allocateDataset('t', ['a'], 'target', y.length);
  d.y.set(y);
  d.x.set(y.map((_, i) => i));
  return d;
}

describe('resolveTask', () => {
  it('auto: integers with few distinct values (5 rows each on average) are classes, sorted numerically', () => {
    const r = resolveTask(numeric([10, 2, 2, 10, 10, 2, 2, 10, 2, 10]));
    expect(r.task).toBe('classification');
    expect(r.data.classes).toEqual(['2', '10']);
    expect(Array.from(r.data.y)).toEqual([1, 0, 0, 1, 1, 0, 0, 1, 0, 1]);
    expect(r.reason).toContain('classification: 2 classes (2, 10)');
    expect(r.notable).toBe(true);
  });

  it('auto: non-integers, many distinct values or too few rows per value stay a regression', () => {
    expect(resolveTask(numeric([0.5, 1, 1, 0.5, 1, 0.5, 1, 0.5, 1, 1])).task).toBe('regression');
    expect(resolveTask(numeric(Array.from({ length: 200 }, (_, i) => i % 25))).task).toBe('regression');
    const few = resolveTask(numeric([3, 5, 8, 5, 7, 6]));
    expect(few.task).toBe('regression');
    expect(few.reason).toContain('with 5 distinct values in 6 rows');
    expect(few.notable).toBe(true);
  });

  it('--task classification takes any numeric target; --task regression refuses text', () => {
    expect(resolveTask(numeric([0.5, 1.5, 0.5, 1.5]), 'classification').data.classes).toEqual(['0.5', '1.5']);
    const text = { ...numeric([0, 1, 0, 1]), classes: ['no', 'yes'] };
    expect(() => resolveTask(text, 'regression')).toThrow(/--task regression: target "target" holds text \(no, yes\)/);
    expect(() => resolveTask({ ...numeric([0, 0]), classes: ['only'] })).toThrow(/single class/);
  });

  it('sorts classes as np.unique: numbers numerically, otherwise text by code unit', () => {
    expect(sortClassNames(['10', '9', '-1'])).toEqual(['-1', '9', '10']);
    expect(sortClassNames(['b', 'B', 'a', '10', '9'])).toEqual(['10', '9', 'B', 'a', 'b']);
  });
});
