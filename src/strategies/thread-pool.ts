/**
 * Thread-pool strategy: a piscina pool maps the whole-model training function over (config, fold) tasks.
 * The data goes to the threads as a SharedArrayBuffer (zero copies): every task message carries the shared
 * handles (cloning a SharedArrayBuffer shares it) and a thread builds its Dataset view once per sweep. Results
 * depend only on the task, never on which thread or how many threads ran it.
 *
 * Start-up: a thread takes ~50–80 ms to boot Node and load its modules. The CLI calls `prestartThreadPool`
 * before it loads its own modules and the data, so that time overlaps them; `run` adopts the prestarted pool
 * when it has the thread count and heap limit the plan asks for, and otherwise discards it. Because the data
 * reaches threads with the tasks, not as workerData, a pool can start before the data exists.
 */
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { shareDataset } from '../data/dataset.js';
import type { Task, TaskOutcome } from './tasks.js';
import { dispatchOnPool } from './scheduler.js';
import type { Strategy, StrategyHooks, StrategyStats, SweepPlan } from './strategy.js';
import type { PoolSweep, PoolTask } from './thread-pool-worker.js';

export function shareRoles(roles: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(roles.length));
  shared.set(roles);
  return shared;
}

/** The worker file next to this module (compiled .js; see STACK.md on worker files under vitest). */
export function workerFile(name: string): string {
  return new URL(`./${name}.js`, import.meta.url).href;
}


import type { PoolShape } from './prestart.js';

export { MAX_WORKERS, poolToPrestart, type PoolShape, type PrestartQuery } from './prestart.js';

function startPool(shape: PoolShape): Piscina {
  return new Piscina({
    filename: workerFile('thread-pool-worker'),
    minThreads: shape.workers,
    maxThreads: shape.workers,
    idleTimeout: 60_000,
    ...(shape.workerMemoryMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: shape.workerMemoryMb } } : {}),
  });
}

let prestarted: { pool: Piscina; shape: PoolShape } | null = null;

/** Start a pool now, for a `run` that will follow in this process (see the module comment); kept if one of this shape is already up. */
export function prestartThreadPool(shape: PoolShape): void {
  if (prestarted && sameShape(prestarted.shape, shape)) return;
  void discardPrestarted();
  prestarted = { pool: startPool(shape), shape };
}

function sameShape(a: PoolShape, b: PoolShape): boolean {
  return a.workers === b.workers && a.workerMemoryMb === b.workerMemoryMb;
}

/** Destroy a prestarted pool nobody adopted (a run with another shape, or no run at all). */
export async function discardPrestarted(): Promise<void> {
  const p = prestarted;
  prestarted = null;
  if (!p) return;
  await destroyPool(p.pool, p.shape.workers);
}

/**
 * Destroy a pool once every thread has loaded: terminating a thread while it is still loading its module aborts
 * Node 20 with a V8 fatal error (require of an ES module; seen when a bad flag ended `sweep run` right after the
 * prestart, and when a resumed sweep had no task left for its just-started pool). A loaded thread answers at once.
 */
async function destroyPool(pool: Piscina, workers: number): Promise<void> {
  await Promise.all(Array.from({ length: workers }, () => pool.run(null, { name: 'ping' }).catch(() => {})));
  await pool.destroy();
}

function adoptPool(shape: PoolShape): Piscina {
  const p = prestarted;
  if (p && sameShape(p.shape, shape)) {
    prestarted = null;
    return p.pool;
  }
  void discardPrestarted();
  return startPool(shape);
}

let sweepCounter = 0;

export const threadPool: Strategy = {
  name: 'thread-pool',
  async run(plan: SweepPlan, hooks: StrategyHooks): Promise<StrategyStats> {
    const t0 = performance.now();
    const sweep: PoolSweep = {
      id: plan.contextId ?? `${process.pid}:${++sweepCounter}`,
      data: shareDataset(plan.data),
      roles: shareRoles(plan.folds.roles),
      evaluation: plan.folds.evaluation,
      foldCount: plan.folds.count,
      seed: plan.seed,
      partitions: plan.partitions,
      model: plan.model,
    };
    const pool = adoptPool({ workers: plan.workers, workerMemoryMb: plan.workerMemoryMb });
    const startupMs = performance.now() - t0;
    try {
      const runTask = (task: Task, signal: AbortSignal): Promise<TaskOutcome> => {
        const message: PoolTask = { sweep, config: task.config, fold: task.fold, params: plan.configs[task.config] };
        return pool.run(message, { signal }) as Promise<TaskOutcome>;
      };
      await dispatchOnPool(plan, runTask, hooks);
    } finally {
      // Kept for the next run (adopted like a prestarted pool), or destroyed.
      if (plan.keepPool && !prestarted) prestarted = { pool, shape: { workers: plan.workers, workerMemoryMb: plan.workerMemoryMb } };
      else await destroyPool(pool, plan.workers);
    }
    return { bytesShipped: 0, startupMs };
  },
};
