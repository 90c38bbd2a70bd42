import { describe, expect, it } from 'vitest';
import { loadData } from '../../dist/data/load.js';
import { makeFriedman1 } from '../../dist/data/friedman.js';
import { randomForest } from '../../dist/models/forest.js';
import type { TaskOutcome } from '../../dist/strategies/tasks.js';
import { makePlan, reference, results, runNative } from './native-fixture.js';

describe('native strategy: random forest', () => {
  it('equals thread-pool (whole-model fits) on diabetes, trees 5 and 10, 3 folds, with 1 or 2 workers', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, [{ numTrees: 5 }, { numTrees: 10 }], { kind: 'kfold', folds: 3 });
    const expected = results(reference(plan, randomForest));
    const two = await runNative({ ...plan, workers: 2 });
    const one = await runNative({ ...plan, workers: 1 });
    expect(results(two.outcomes)).toEqual(expected);
    expect(results(one.outcomes)).toEqual(expected);
    expect(two.outcomes.every((o) => o.status === 'ok' && o.fitMs > 0)).toBe(true);
  });

  it('equals the thread-pool strategy itself (diabetes, maxDepth 6, 2 folds)', async () => {
    const { threadPool } = await import('../../dist/strategies/thread-pool.js');
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, [{ numTrees: 4, maxDepth: 6 }], { kind: 'kfold', folds: 2 });
    const pooled: TaskOutcome[] = [];
    await threadPool.run(plan, { onOutcome: (o) => pooled.push(o) });
    pooled.sort((a, b) => a.config - b.config || a.fold - b.fold);
    expect(results((await runNative(plan)).outcomes)).toEqual(results(pooled));
  });

  it('equals thread-pool on Friedman #1 (10 000 rows, 5 trees, maxDepth 8, holdout 0.2), 1 or 2 workers', async () => {
    const data = makeFriedman1({ rows: 10_000, noise: 1, features: 10, seed: 1 }, 'friedman1:rows=10000');
    const plan = makePlan(data, [{ numTrees: 5, maxDepth: 8 }], { kind: 'holdout', testFraction: 0.2 });
    const expected = results(reference(plan, randomForest));
    expect(results((await runNative({ ...plan, workers: 2 })).outcomes)).toEqual(expected);
    expect(results((await runNative({ ...plan, workers: 1 })).outcomes)).toEqual(expected);
  });

  it('gives the same forests with configs sharing passes, stateless jobs and a tiny histogram bound', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, [{ numTrees: 3, maxDepth: 6 }, { numTrees: 4, maxBins: 32, minSamplesLeaf: 3 }], { kind: 'kfold', folds: 2 });
    const expected = results(reference(plan, randomForest));
    // 64 KB per pass: a level is split over many passes, and one forest's frontier over several.
    const shared = await runNative(plan, { parallelism: 2, maxHistogramMB: 1 / 16 });
    const stateless = await runNative({ ...plan, workers: 1 }, { stateless: true });
    expect(results(shared.outcomes)).toEqual(expected);
    expect(results(stateless.outcomes)).toEqual(expected);
  });

  it('fails only the tasks of a config whose fit throws', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, [{ numTrees: 2, maxBins: 1 }, { numTrees: 2 }], { kind: 'kfold', folds: 2 });
    const { outcomes } = await runNative(plan);
    expect(outcomes.map((o) => `${o.config}:${o.fold}:${o.status}`)).toEqual(['0:0:failed', '0:1:failed', '1:0:ok', '1:1:ok']);
    expect(outcomes[0].error?.message).toMatch(/maxBins must be an integer from 2 to 255, got 1/);
    expect(results(outcomes.slice(2))).toEqual(results(reference({ ...plan, tasks: plan.tasks.slice(2) }, randomForest)));
  });

  it('gives each worker only its partitions: codes, quantized labels and folds of its rows', async () => {
    const data = makeFriedman1({ rows: 1000, noise: 1, features: 6, seed: 3 }, 'f');
    const plan = makePlan(data, [{ numTrees: 1, maxDepth: 2 }], { kind: 'holdout', testFraction: 0.2 }, { partitions: 5 });
    const perRow = 6 + 8 + 1; // one code per feature, a float64 label, the fold
    const two = await runNative(plan);
    expect(two.stats.bytesHeld).toEqual([400 * perRow, 600 * perRow]); // partitions 0–1 and 2–4 of 200 rows
    const one = await runNative({ ...plan, workers: 1 });
    expect(one.stats.bytesHeld).toEqual([1000 * perRow]);
    // More workers than partitions: one worker per partition.
    const many = await runNative({ ...plan, workers: 8 });
    expect(many.stats.bytesHeld).toEqual([1, 2, 3, 4, 5].map(() => 200 * perRow));
  });

  it('stops after the current level when aborted and reports nothing unfinished', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, [{ numTrees: 3 }, { numTrees: 3 }], { kind: 'kfold', folds: 2 });
    const ctl = new AbortController();
    ctl.abort();
    const outcomes: unknown[] = [];
    const { nativeStrategy } = await import('../../dist/strategies/native/driver/native.js');
    await nativeStrategy().run(plan, { onOutcome: (o) => outcomes.push(o), signal: ctl.signal });
    expect(outcomes).toEqual([]);
  });
});
