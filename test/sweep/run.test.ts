/** The library entry point end to end on diabetes: thread-pool results, worker-count invariance, result shape. */
import { describe, expect, it } from 'vitest';
import { runSweep, prepareSweep, executeSweep } from '../../dist/index.js';
import { UsageError } from '../../dist/errors.js';

describe('runSweep (thread-pool)', () => {
  it('linear grid on diabetes: ranked trials, per-fold metrics, best config', async () => {
    const r = await runSweep({ model: 'linear', grid: { regParam: [0, 0.1, 1], elasticNetParam: [0, 1] }, workers: 2 });
    expect(r.strategy).toBe('thread-pool');
    expect(r.trials).toHaveLength(6);
    expect(r.tasks).toEqual({ total: 30, ok: 30, failed: 0 });
    expect(r.trials.map((t) => t.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 1; i < r.trials.length; i++) expect(r.trials[i - 1].metrics!.r2).toBeGreaterThanOrEqual(r.trials[i].metrics!.r2);
    expect(r.best!.params).toEqual(r.trials[0].params);
    // OLS on diabetes with 5-fold CV: the well-known ~0.48 r2 (mean over folds).
    const ols = r.trials.find((t) => t.params.regParam === 0 && t.params.elasticNetParam === 0)!;
    expect(ols.metrics!.r2).toBeGreaterThan(0.4);
    expect(ols.metrics!.r2).toBeLessThan(0.55);
    expect(ols.folds).toHaveLength(5);
    const mean = ols.folds.reduce((s, f) => s + f.metrics.r2, 0) / 5;
    expect(ols.metrics!.r2).toBeCloseTo(mean, 12);
  });

  it('1 and 2 workers give identical metrics (forest and linear)', async () => {
    const prep = await prepareSweep({ grid: { numTrees: [5, 10], maxDepth: [4, 'none'] }, evaluation: { kind: 'kfold', folds: 3 } });
    const one = await executeSweep(prep, { workers: 1 });
    const two = await executeSweep(prep, { workers: 2 });
    const byParams = (r: typeof one) => Object.fromEntries(r.trials.map((t) => [JSON.stringify(t.params), t.folds.map((f) => f.metrics)]));
    expect(byParams(two)).toEqual(byParams(one));
    const lp = await prepareSweep({ model: 'linear', grid: { regParam: [0.1], elasticNetParam: [0.5] } });
    expect(byParams(await executeSweep(lp, { workers: 2 }))).toEqual(byParams(await executeSweep(lp, { workers: 1 })));
  });

  it('the JSON shape other tools parse', async () => {
    const r = JSON.parse(JSON.stringify(await runSweep({ model: 'linear', grid: { regParam: [0, 1] }, evaluation: { kind: 'holdout', testFraction: 0.25 }, workers: 1 })));
    for (const k of ['strategy', 'model', 'data', 'evaluation', 'seed', 'workers', 'wallMs', 'trials', 'best']) expect(r).toHaveProperty(k);
    expect(r.data).toEqual({ name: 'diabetes', rows: 442, features: ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'], target: 'target', task: 'regression' });
    expect(r.evaluation).toEqual({ testFraction: 0.25, splits: [{ train: 331, test: 111 }] });
    expect(r.seed).toBe(42);
    const t = r.trials[0];
    for (const k of ['params', 'status', 'metrics', 'metricsStd', 'fitMs', 'predictMs', 'folds']) expect(t).toHaveProperty(k);
    expect(Object.keys(t.metrics).sort()).toEqual(['corr2', 'mae', 'r2', 'rmse']);
    expect(t.folds[0]).toEqual({ fold: 0, metrics: t.metrics, fitMs: expect.any(Number), predictMs: expect.any(Number) });
    expect(r.best).toEqual({ params: t.params, metrics: t.metrics });
  });

  // The types refuse these at compile time (the @ts-expect-error lines prove it); JavaScript callers get the
  // same refusals at run time.
  it('validates options with UsageErrors naming the option', async () => {
    await expect(runSweep({ model: 'linear', grid: { regParam: [-1] } })).rejects.toThrow(/regParam must be >= 0/);
    // @ts-expect-error: not a model
    await expect(runSweep({ model: 'svm' })).rejects.toThrow(UsageError);
    // @ts-expect-error: not a metric of the built-in models
    await expect(runSweep({ model: 'linear', metric: 'auc' })).rejects.toThrow(/--metric must be one of/);
    // @ts-expect-error: numTrees is a forest parameter
    await expect(runSweep({ model: 'linear', grid: { numTrees: [5] } })).rejects.toThrow(/unknown parameter "numTrees" for model linear/);
    await expect(runSweep({ model: 'linear', workers: 0 })).rejects.toThrow(/--workers must be an integer from 1/);
    // @ts-expect-error: not a strategy
    await expect(runSweep({ model: 'linear', strategy: 'spark' })).rejects.toThrow(/unknown strategy "spark"/);
  });

  it('the same seed gives the same metrics, another seed other folds', async () => {
    const a = await runSweep({ model: 'linear', seed: 7, workers: 1 });
    const b = await runSweep({ model: 'linear', seed: 7, workers: 2 });
    const c = await runSweep({ model: 'linear', seed: 8, workers: 1 });
    expect(b.trials[0].folds).toEqual(a.trials[0].folds.map((f) => ({ ...f, fitMs: expect.any(Number), predictMs: expect.any(Number) })));
    expect(c.trials[0].metrics!.r2).not.toBe(a.trials[0].metrics!.r2);
  });
});
