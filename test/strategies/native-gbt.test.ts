/**
 * Gradient boosting under the native strategy: the driver grows every tree from the workers' histograms of their
 * rows (driver/boost.ts), and the models, so the metrics and diagnostics, equal thread-pool's bit for bit with any
 * number of workers — on a regression, two and three classes, categories with missing values, a subsample and
 * early stopping. A bad config fails alone; a worker asked about a fit it never started says so; the cluster's
 * native strategy refuses boosting in one line.
 */
import { describe, expect, it } from 'vitest';
import { loadData } from '../../dist/data/load.js';
import { makeFriedman1 } from '../../dist/data/friedman.js';
import { gradientBoosting } from '../../dist/models/gbt.js';
import { binDataset } from '../../dist/tree/binning.js';
import { assignPartitions, initPayload } from '../../dist/strategies/native/assign.js';
import { createStore, handleBoostJob } from '../../dist/strategies/native/worker/handler.js';
import { strategyRefuses } from '../../dist/strategies/strategy.js';
import type { TaskOutcome } from '../../dist/strategies/tasks.js';
import type { Params } from '../../dist/models/params.js';
import type { Dataset } from '../../dist/data/dataset.js';
import type { RowEvaluation } from '../../dist/data/folds.js';
import { makePlan, reference, runNative } from './native-fixture.js';
import { categoricalTable } from '../tree/fixture.js';
import { runCli, tempDir } from '../cli/helpers.js';

/** What a task measured, without timings: metrics and diagnostics (importances, confusion, ROC histograms). */
const measured = (outcomes: TaskOutcome[]) => outcomes.map(({ config, fold, status, metrics, diagnostics, error }) => ({ config, fold, status, metrics, diagnostics, error: error?.message }));

async function expectNativeEqualsThreadPool(data: Dataset, configs: Params[], evaluation: RowEvaluation, workers: number[], partitions = 16): Promise<void> {
  const plan = makePlan(data, configs, evaluation, { model: 'gbt', partitions });
  const expected = measured(reference(plan, gradientBoosting));
  expect(expected.every((o) => o.status === 'ok'), JSON.stringify(expected.find((o) => o.status !== 'ok'))).toBe(true);
  for (const w of workers) expect(measured((await runNative({ ...plan, workers: w })).outcomes), `${w} workers`).toEqual(expected);
}

const grid = (over: Params = {}): Params[] => [10, 25].flatMap((iterations) => [0.1, 0.3].map((learningRate) => ({ iterations, learningRate, ...over })));

describe('native strategy: gradient boosting', () => {
  it('equals thread-pool on diabetes (4 configs, 5 folds, subsample 0.8) with 1, 2 and 3 workers', async () => {
    const { data } = await loadData('diabetes');
    await expectNativeEqualsThreadPool(data, grid({ subsample: 0.8 }), { kind: 'kfold', folds: 5 }, [1, 2, 3]);
  }, 120_000);

  it('equals thread-pool on two classes (breast-cancer) and three (iris), features per split sampled', async () => {
    for (const name of ['breast-cancer', 'iris']) {
      const { data } = await loadData(name);
      await expectNativeEqualsThreadPool(data, grid({ maxFeatures: 'sqrt' }), { kind: 'kfold', folds: 3 }, [1, 2]);
    }
  }, 120_000);

  it('equals thread-pool on categories and missing values (set splits, learned missing direction), 7 partitions', async () => {
    await expectNativeEqualsThreadPool(categoricalTable(900, 3), grid({ maxLeafNodes: 8 }), { kind: 'kfold', folds: 3 }, [2, 3], 7);
    await expectNativeEqualsThreadPool(categoricalTable(900, 4, 12, 3), grid(), { kind: 'holdout', testFraction: 0.25 }, [2]);
  }, 120_000);

  it('equals thread-pool under early stopping (the held-out rows scored on the driver), and stops', async () => {
    const data = makeFriedman1({ rows: 4000, noise: 1, features: 10, seed: 2 }, 'friedman1:rows=4000');
    const configs = [60, 400].map((iterations) => ({ iterations, learningRate: 0.8, earlyStopping: 'on', validationFraction: 0.2, nIterNoChange: 3 }));
    await expectNativeEqualsThreadPool(data, configs, { kind: 'holdout', testFraction: 0.2 }, [2]);
    // It stopped before 60 iterations: the 400-iteration config is the same model.
    const { outcomes } = await runNative(makePlan(data, configs, { kind: 'holdout', testFraction: 0.2 }, { model: 'gbt' }));
    expect(outcomes[1].metrics).toEqual(outcomes[0].metrics);
  }, 120_000);

  it('shares the wall time out among the fits in flight: task times add up to no more than the run', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, grid(), { kind: 'kfold', folds: 5 }, { model: 'gbt' });
    const t0 = performance.now();
    const { outcomes } = await runNative(plan);
    const wall = performance.now() - t0;
    const summed = outcomes.reduce((s, o) => s + o.fitMs, 0);
    expect(outcomes.every((o) => o.fitMs > 0)).toBe(true);
    expect(summed).toBeLessThanOrEqual(wall);
  });

  it('fails a config the model refuses and finishes the others', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, [{ iterations: 5 }, { iterations: 5, maxLeafNodes: 'none', maxDepth: 'none' }], { kind: 'kfold', folds: 2 }, { model: 'gbt' });
    const { outcomes } = await runNative(plan);
    expect(outcomes.map((o) => [o.config, o.status])).toEqual([[0, 'ok'], [0, 'ok'], [1, 'failed'], [1, 'failed']]);
    expect(outcomes[2].error?.message).toBe('gradient boosting needs --max-leaf-nodes or --max-depth to bound its trees');
  });

  it('a worker answers only for fits it holds', () => {
    const data = makeFriedman1({ rows: 200, noise: 1, features: 3, seed: 1 }, 'f');
    const plan = makePlan(data, [{}], { kind: 'kfold', folds: 2 }, { model: 'gbt' });
    const block = assignPartitions(data.rows, 4, 1)[0];
    const { message } = initPayload({ data, roles: plan.folds.roles, seed: 1, partitions: 4, bins: [{ maxBins: 255, binned: binDataset(data, 255) }], boost: true }, block);
    const store = createStore(message);
    expect(() => handleBoostJob(store, { type: 'boost', job: 1, calls: [{ fit: 7, maxBins: 255, call: { call: 'root', gScale: 1, hScale: 1 } }] })).toThrow('boost fit 7 is unknown here (its first call carries its start)');
    const start = { fold: 0, loss: 'squared_error' as const, subsample: 1, baseline: Float64Array.of(0) };
    expect(handleBoostJob(store, { type: 'boost', job: 2, calls: [{ fit: 7, maxBins: 255, call: { call: 'gradients', t: 0, iteration: 0, cls: 0, start } }] })[0].max?.g).toBeGreaterThan(0);
    expect(() => handleBoostJob(store, { type: 'boost', job: 3, calls: [{ fit: 7, maxBins: 64, call: { call: 'root', gScale: 1, hScale: 1 } }] })).toThrow('boost fit 7: no bins for maxBins 64 here');
  });

  it('is refused by native on a cluster, in one line with exit 2 before any connection', async () => {
    expect(strategyRefuses('native', 'gbt')).toBeUndefined();
    expect(strategyRefuses('native', 'gbt', true)).toMatch(/^--strategy native does not fit --model gbt on a cluster/);
    const r = await runCli(['run', '--model', 'gbt', '--strategy', 'native', '--cluster', 'redis://127.0.0.1:1'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toBe(`sweep: ${strategyRefuses('native', 'gbt', true)}`);
  }, 30_000);
});
