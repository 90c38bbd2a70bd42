import { describe, expect, it } from 'vitest';
import { loadData } from '../../dist/data/load.js';
import { makeFriedman1 } from '../../dist/data/friedman.js';
import { linearRegression } from '../../dist/models/linear/linear.js';
import { makePlan, reference, results, runNative } from './native-fixture.js';

const grid = [0, 0.01, 0.1, 1].flatMap((regParam) => [0, 0.5, 1].map((elasticNetParam) => ({ regParam, elasticNetParam })));

describe('native strategy: linear model', () => {
  it('equals thread-pool on diabetes (12 configs, 5 folds) with 1 or 2 workers, from one pass per fold', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, grid, { kind: 'kfold', folds: 5 }, { model: 'linear' });
    const expected = results(reference(plan, linearRegression));
    const two = await runNative(plan);
    const one = await runNative({ ...plan, workers: 1 });
    expect(results(two.outcomes)).toEqual(expected);
    expect(results(one.outcomes)).toEqual(expected);
    expect(two.outcomes.map((o) => o.status)).toEqual(grid.flatMap(() => ['ok', 'ok', 'ok', 'ok', 'ok']));
    // Raw columns and labels (float64) and the 5 folds' roles of its rows (a byte each): 221 rows each (partitions 0–7 and 8–15).
    expect(two.stats.bytesHeld).toEqual([221 * (10 * 8 + 8 + 5), 221 * (10 * 8 + 8 + 5)]);
  });

  it('equals thread-pool on Friedman #1 (10 000 rows, holdout 0.2) with standardization off, 3 workers, 7 partitions', async () => {
    const data = makeFriedman1({ rows: 10_000, noise: 1, features: 10, seed: 1 }, 'friedman1:rows=10000');
    const configs = grid.map((c) => ({ ...c, standardization: false }));
    const plan = makePlan(data, configs, { kind: 'holdout', testFraction: 0.2 }, { model: 'linear', partitions: 7, workers: 3 });
    expect(results((await runNative(plan)).outcomes)).toEqual(results(reference(plan, linearRegression)));
  });

  it('runs only the tasks it is given (a resumed sweep)', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, grid.slice(0, 2), { kind: 'kfold', folds: 3 }, { model: 'linear' });
    const tasks = plan.tasks.filter((t) => !(t.config === 0 && t.fold === 1));
    const { outcomes } = await runNative({ ...plan, tasks });
    expect(results(outcomes)).toEqual(results(reference({ ...plan, tasks }, linearRegression)));
  });
});
