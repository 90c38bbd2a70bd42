/**
 * Every fold scheme under every strategy: thread-pool, native and udf with 1 and 2 workers give the same metrics
 * bit for bit for time-series splits (which leave rows out of a split), group k-fold and a fold column (read from
 * a text column that is not a feature), repeated and unshuffled k-fold; the report carries each split's rows.
 */
import { describe, expect, it } from 'vitest';
import { executeSweep, prepareSweepInput } from '../../dist/api/run.js';
import type { Evaluation } from '../../dist/data/folds.js';
import { usersCsv } from './fold-fixture.js';

const metricsOf = (r: { trials: { params: unknown; metrics: unknown; status: string }[] }) => r.trials.map((t) => [t.params, t.status, t.metrics]);

describe('fold schemes under every strategy', () => {
  const file = usersCsv();
  const cases: { name: string; evaluation: Evaluation; ignore: string[]; splits: number }[] = [
    { name: 'time series', evaluation: { kind: 'time-series', splits: 3 }, ignore: ['user', 'week'], splits: 3 },
    { name: 'group k-fold', evaluation: { kind: 'group-kfold', folds: 3, column: 'user' }, ignore: ['week'], splits: 3 },
    { name: 'fold column', evaluation: { kind: 'fold-column', column: 'week' }, ignore: ['user'], splits: 4 },
    { name: 'repeated k-fold', evaluation: { kind: 'kfold', folds: 3, repeats: 2 }, ignore: ['user', 'week'], splits: 6 },
    { name: 'k-fold in file order', evaluation: { kind: 'kfold', folds: 3, shuffle: false }, ignore: ['user', 'week'], splits: 3 },
  ];
  for (const c of cases) {
    it(`${c.name}: thread-pool, native and udf agree with 1 and 2 workers`, async () => {
      const prep = await prepareSweepInput({ data: file, ignore: c.ignore, grid: { numTrees: [3, 6], maxDepth: [4] }, evaluation: c.evaluation });
      expect(prep.data.featureNames).toEqual(['x1', 'x2']);
      const reference = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
      expect(reference.tasks).toEqual({ total: 2 * c.splits, ok: 2 * c.splits, failed: 0 });
      expect(reference.evaluation.splits).toHaveLength(c.splits);
      for (const strategy of ['thread-pool', 'native', 'udf'] as const) {
        for (const workers of [1, 2]) {
          const r = await executeSweep(prep, { strategy, workers });
          expect(metricsOf(r), `${strategy} × ${workers}`).toEqual(metricsOf(reference));
        }
      }
      // The linear model's native path (sums per partition over each split's training rows) agrees too.
      const linear = await prepareSweepInput({ data: file, ignore: c.ignore, model: 'linear', grid: { regParam: [0, 0.1] }, evaluation: c.evaluation });
      expect(metricsOf(await executeSweep(linear, { strategy: 'native', workers: 2 }))).toEqual(metricsOf(await executeSweep(linear, { strategy: 'thread-pool', workers: 1 })));
    }, 120_000);
  }

  it('time-series results differ from shuffled k-fold: the splits are what they say', async () => {
    const ts = await prepareSweepInput({ data: file, ignore: ['user', 'week'], grid: { numTrees: [3] }, evaluation: { kind: 'time-series', splits: 3 } });
    expect((await executeSweep(ts, { workers: 1 })).evaluation.splits).toEqual([{ train: 39, test: 37 }, { train: 76, test: 37 }, { train: 113, test: 37 }]);
  });
});
