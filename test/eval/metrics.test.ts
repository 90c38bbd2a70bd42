/**
 * Metrics on tiny vectors whose values are exact in binary floating point, so every expectation is a `toBe`.
 * Cross-checked once with scikit-learn 1.2.1 (r2_score, mean_absolute_error, mean_squared_error**0.5):
 *   r2_score([0,0,4,4],[0,1,4,3]) = 0.875, r2_score([0,0,4,4],[4,4,0,0]) = -3.0,
 *   r2_score([3,3,3],[3,3,3]) = 1.0, r2_score([3,3,3],[3,3,4]) = 0.0 (force_finite), MAE 0.5, RMSE 0.7071067811865476.
 */
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES, allMetrics, corr2, higherIsBetter, mae, meanStd, r2, rmse } from '../../dist/eval/metrics.js';

const y = [0, 0, 4, 4];
const p = [0, 1, 4, 3]; // residuals 0, -1, 0, 1

describe('regression metrics on a hand-computed example', () => {
  it('r2 = 1 - SSres/SStot = 1 - 2/16', () => {
    expect(r2(y, p)).toBe(0.875);
  });

  it('corr2 is the squared Pearson correlation: 12² / (16 · 10)', () => {
    expect(corr2(y, p)).toBe(0.9);
  });

  it('mae = 2/4 and rmse = sqrt(2/4)', () => {
    expect(mae(y, p)).toBe(0.5);
    expect(rmse(y, p)).toBe(Math.SQRT1_2);
  });

  it('allMetrics gathers the four, and accepts typed arrays', () => {
    expect(allMetrics(Float64Array.from(y), Float64Array.from(p))).toEqual({ r2: 0.875, corr2: 0.9, mae: 0.5, rmse: Math.SQRT1_2 });
    expect(METRIC_NAMES).toEqual(['r2', 'corr2', 'mae', 'rmse']);
  });

  it('allMetrics (one pass) gives the same bits as the four functions, constant truth or prediction included', () => {
    const n = 5001;
    const truth = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3 + i / 7);
    const cases = [Float64Array.from(truth, (v, i) => v + Math.cos(i * 3) * 50), Float64Array.from(truth, () => 4.25), truth.slice()];
    for (const pred of cases) {
      for (const t of [truth, Float64Array.from(truth, () => 2)]) {
        expect(allMetrics(t, pred)).toEqual({ r2: r2(t, pred), corr2: corr2(t, pred), mae: mae(t, pred), rmse: rmse(t, pred) });
      }
    }
  });

  it('a perfect prediction scores r2 = corr2 = 1 and no error', () => {
    expect(allMetrics(y, y)).toEqual({ r2: 1, corr2: 1, mae: 0, rmse: 0 });
  });

  it('r2 goes negative when worse than the mean, while corr2 still sees a perfect (negative) correlation', () => {
    const reversed = [4, 4, 0, 0];
    expect(r2(y, reversed)).toBe(-3); // 1 - 64/16
    expect(corr2(y, reversed)).toBe(1);
    expect(mae(y, reversed)).toBe(4);
    expect(rmse(y, reversed)).toBe(4);
  });
});

describe('edge cases', () => {
  it('constant truth: r2 is 1 for a perfect fit and 0 otherwise (scikit-learn force_finite)', () => {
    expect(r2([3, 3, 3], [3, 3, 3])).toBe(1);
    expect(r2([3, 3, 3], [3, 3, 4])).toBe(0);
  });

  it('corr2 is 0 when either side is constant (correlation undefined)', () => {
    expect(corr2([3, 3, 3], [1, 2, 3])).toBe(0);
    expect(corr2([1, 2, 3], [5, 5, 5])).toBe(0);
  });

  it('a single value is scored without dividing by zero', () => {
    expect(allMetrics([2], [5])).toEqual({ r2: 0, corr2: 0, mae: 3, rmse: 3 });
  });

  it('lengths must match and be non-zero', () => {
    for (const f of [r2, corr2, mae, rmse, allMetrics]) {
      expect(() => f([1, 2, 3], [1, 2])).toThrow(new RangeError('truth has 3 values, prediction 2'));
      expect(() => f([], [])).toThrow(new RangeError('metrics need at least one value'));
    }
  });
});

describe('higherIsBetter', () => {
  it('is true for r2 and corr2, false for the errors', () => {
    expect(METRIC_NAMES.map(higherIsBetter)).toEqual([true, true, false, false]);
  });
});

describe('meanStd', () => {
  it('uses the population std (ddof 0), as GridSearchCV std_test_score', () => {
    expect(meanStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: 2 });
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
  });

  it('one value has std 0; no values give NaN', () => {
    expect(meanStd([0.25])).toEqual({ mean: 0.25, std: 0 });
    expect(meanStd([])).toEqual({ mean: NaN, std: NaN });
  });
});
