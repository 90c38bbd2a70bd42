/** A small hand-made SweepResult: 2 ok trials and 1 failed, 2-fold CV, the way the runner ranks them. */
import type { SweepResult } from '../../dist/sweep/result.js';

export function sampleResult(): SweepResult {
  return {
    strategy: 'native',
    model: 'rf',
    data: { name: 'diabetes', rows: 442, features: ['age', 'sex', 'bmi'], target: 'progression' },
    evaluation: { folds: 2 },
    seed: 42,
    workers: 2,
    partitions: 16,
    metric: 'r2',
    wallMs: 1500,
    taskMs: 2790,
    speedup: 1.86,
    tasks: { total: 6, ok: 5, failed: 1 },
    bytesShipped: 0,
    trials: [
      {
        params: { numTrees: 100, maxDepth: 10, bootstrap: true },
        status: 'ok',
        rank: 1,
        metrics: { r2: 0.392, corr2: 0.4015, mae: 45.25, rmse: 58.1 },
        metricsStd: { r2: 0.041, corr2: 0.0385, mae: 1.95, rmse: 2.3 },
        fitMs: 1240,
        predictMs: 12.3,
        folds: [
          { fold: 0, metrics: { r2: 0.351, corr2: 0.363, mae: 47.2, rmse: 60.4 }, fitMs: 1230, predictMs: 12.1 },
          { fold: 1, metrics: { r2: 0.433, corr2: 0.44, mae: 43.3, rmse: 55.8 }, fitMs: 1250, predictMs: 12.5 },
        ],
      },
      {
        params: { numTrees: 20, maxDepth: 'none', bootstrap: true },
        status: 'ok',
        rank: 2,
        metrics: { r2: 0.31, corr2: 0.35, mae: 48, rmse: 61.25 },
        metricsStd: { r2: 0.02, corr2: 0.01, mae: 0.5, rmse: 0.75 },
        fitMs: 0.85,
        predictMs: 0.012,
        folds: [
          { fold: 0, metrics: { r2: 0.29, corr2: 0.34, mae: 47.5, rmse: 60.5 }, fitMs: 0.8, predictMs: 0.011 },
          { fold: 1, metrics: { r2: 0.33, corr2: 0.36, mae: 48.5, rmse: 62 }, fitMs: 0.9, predictMs: 0.013 },
        ],
      },
      {
        params: { numTrees: 50, maxDepth: 3, bootstrap: true },
        status: 'failed',
        error: 'maxDepth 3, bad "split"',
        metrics: null,
        metricsStd: null,
        fitMs: 5,
        predictMs: 0,
        folds: [],
      },
    ],
    best: { params: { numTrees: 100, maxDepth: 10, bootstrap: true }, metrics: { r2: 0.392, corr2: 0.4015, mae: 45.25, rmse: 58.1 } },
  };
}
