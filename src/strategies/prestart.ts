/**
 * Which pool a sweep can start before its data is loaded: a question of strategies, answered here without
 * loading any of them (the CLI asks before it decides whether to load the thread-pool strategy at all).
 */
import { availableParallelism } from 'node:os';

/** A thread pool's size and each thread's heap limit. */
export interface PoolShape {
  workers: number;
  workerMemoryMb?: number;
}

/** The most threads a sweep may ask for. */
export const MAX_WORKERS = 1024;

/** What a caller knows of a sweep before its data is loaded (from flags, or options). */
export interface PrestartQuery {
  strategy?: string;
  udf?: boolean;
  cluster?: boolean;
  workers?: number;
  workerMemoryMb?: number;
}

/**
 * The pool worth starting before the data is loaded, or undefined: only the thread-pool strategy runs on a pool
 * whose shape is known this early (udf runs its own, native has dedicated threads, a cluster runs elsewhere).
 * One thread unless more are asked for (a prestarted pool of another shape is discarded, so guessing big costs).
 */
export function poolToPrestart(q: PrestartQuery): PoolShape | undefined {
  if (q.cluster || q.udf || (q.strategy !== undefined && q.strategy !== 'thread-pool')) return undefined;
  // Values the sweep will refuse: nothing to start (the refusal comes with its message).
  if (q.workers !== undefined && !(Number.isInteger(q.workers) && q.workers >= 1 && q.workers <= MAX_WORKERS)) return undefined;
  // A heap-limited thread can die while it loads, outside any task that could report it: start that one with the sweep.
  if (q.workerMemoryMb !== undefined) return undefined;
  return { workers: Math.min(q.workers ?? 1, availableParallelism()) };
}

