// Fabricated sweep results and measured runs for the compare tests: exact numbers, no timing, no processes.
import type { MeasuredRun } from '../../dist/compare/summarize.js';
import type { SweepResult } from '../../dist/sweep/result.js';

/** A 2-config × 2-fold result; `r2Of(config, fold)` sets each fold's r2 (default 0.5 + config/10 + fold/100). */
export function fakeResult(wallMs: number, taskMs: number, opts: { strategy?: string; workers?: number; r2Of?: (c: number, f: number) => number; startupMs?: number } = {}): SweepResult {
  const r2Of = opts.r2Of ?? ((c: number, f: number) => 0.5 + c / 10 + f / 100);
  const trials = [0, 1].map((c) => {
    const folds = [0, 1].map((f) => ({ fold: f, metrics: { r2: r2Of(c, f), mae: 1 + c }, fitMs: 1, predictMs: 0 }));
    const mean = (folds[0].metrics.r2 + folds[1].metrics.r2) / 2;
    return {
      params: { numTrees: (c + 1) * 10, maxDepth: 'none' },
      status: 'ok' as const,
      rank: 2 - c,
      metrics: { r2: mean, mae: 1 + c },
      metricsStd: { r2: Math.abs(folds[0].metrics.r2 - mean), mae: 0 },
      fitMs: 1,
      predictMs: 0,
      folds,
    };
  });
  return {
    strategy: opts.strategy ?? 'thread-pool',
    model: 'rf',
    data: { name: 'diabetes', rows: 442, features: ['a', 'b'], target: 'target' },
    evaluation: { folds: 2 },
    seed: 42,
    workers: opts.workers ?? 1,
    partitions: 16,
    metric: 'r2',
    wallMs,
    taskMs,
    speedup: taskMs / wallMs,
    tasks: { total: 4, ok: 4, failed: 0 },
    bytesShipped: 0,
    ...(opts.startupMs !== undefined ? { startupMs: opts.startupMs } : {}),
    trials: trials.reverse(),
    best: null,
  };
}

export function run(strategy: string, workers: number, repeat: number, wallMs: number, taskMs = wallMs, peakRssBytes: number | null = 100 * 2 ** 20): MeasuredRun {
  return { strategy, workers, repeat, result: fakeResult(wallMs, taskMs, { strategy, workers, startupMs: 5 }), peakRssBytes };
}

/** thread-pool ×1 at 100 ± 10 ms, thread-pool ×2 at 50 ± 5 ms (fastest), udf ×2 at 200 ± 20 ms. */
export function threeEntries(): MeasuredRun[] {
  return [
    run('thread-pool', 1, 1, 90, 90), run('thread-pool', 1, 2, 110, 90),
    run('thread-pool', 2, 1, 45, 90), run('thread-pool', 2, 2, 55, 90),
    run('udf', 2, 1, 180, 300), run('udf', 2, 2, 220, 300),
  ];
}

export const MACHINE = { node: 'v20.0.0', cpus: 2, cpu: 'Test CPU', platform: 'linux-x64' };
