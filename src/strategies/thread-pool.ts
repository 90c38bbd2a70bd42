/**
 * Thread-pool strategy: a piscina pool maps the whole-model training function over (config, fold) tasks.
 * The data goes to the threads once, as a SharedArrayBuffer in workerData (zero copies, never per task);
 * a task message is a few numbers and the config. Results depend only on the task, never on which thread
 * or how many threads ran it.
 */
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { shareDataset } from '../data/dataset.js';
import type { Task, TaskOutcome } from '../sweep/tasks.js';
import { dispatch } from './scheduler.js';
import type { Strategy, StrategyHooks, StrategyStats, SweepPlan } from './strategy.js';
import type { PoolWorkerData, PoolTask } from './thread-pool-worker.js';

export function shareFoldOf(foldOf: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(foldOf.length));
  shared.set(foldOf);
  return shared;
}

/** The worker file next to this module (compiled .js; see STACK.md on worker files under vitest). */
export function workerFile(name: string): string {
  return new URL(`./${name}.js`, import.meta.url).href;
}

export const threadPool: Strategy = {
  name: 'thread-pool',
  async run(plan: SweepPlan, hooks: StrategyHooks): Promise<StrategyStats> {
    const t0 = performance.now();
    const workerData: PoolWorkerData = {
      data: shareDataset(plan.data),
      foldOf: shareFoldOf(plan.folds.foldOf),
      evaluation: plan.folds.evaluation,
      foldCount: plan.folds.count,
      seed: plan.seed,
      partitions: plan.partitions,
      model: plan.model,
    };
    const pool = new Piscina({
      filename: workerFile('thread-pool-worker'),
      minThreads: plan.workers,
      maxThreads: plan.workers,
      idleTimeout: 60_000,
      workerData,
      ...(plan.workerMemoryMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: plan.workerMemoryMb } } : {}),
    });
    const startupMs = performance.now() - t0;
    try {
      const runTask = (task: Task, signal: AbortSignal): Promise<TaskOutcome> => {
        const message: PoolTask = { config: task.config, fold: task.fold, params: plan.configs[task.config] };
        return pool.run(message, { signal }) as Promise<TaskOutcome>;
      };
      await dispatch(plan.tasks, runTask, hooks.onOutcome, {
        window: plan.workers * 2,
        slots: plan.workers,
        retries: plan.retries,
        taskTimeoutMs: plan.taskTimeoutMs,
        signal: hooks.signal,
      });
    } finally {
      await pool.destroy();
    }
    return { bytesShipped: 0, startupMs };
  },
};
