/**
 * One interface for every way of executing a sweep's tasks. A strategy receives the plan (data, folds, configs,
 * the tasks still to run) and reports each task's outcome as it finishes; it never aggregates or prints.
 */
import type { Dataset } from '../data/dataset.js';
import type { FoldPlan } from '../data/folds.js';
import type { ModelKind } from '../models/model.js';
import type { Params } from '../models/params.js';
import type { Task, TaskOutcome } from './tasks.js';

export const STRATEGY_NAMES = ['thread-pool', 'native', 'udf'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** The models the native strategy fits data-parallel (each has a driver there). */
export const NATIVE_MODELS: readonly ModelKind[] = ['rf', 'gbt', 'linear', 'logistic'];

/**
 * Whether a strategy fits a model (on the cluster when `cluster`); when not, the one-line reason. A native boosting
 * fit keeps its rows' scores on the workers between jobs, which cluster workers do not (they keep no state).
 */
export function strategyRefuses(strategy: StrategyName, model: ModelKind, cluster = false): string | undefined {
  if (strategy !== 'native') return undefined;
  if (!NATIVE_MODELS.includes(model)) return `--strategy native does not fit --model ${model} (it fits ${NATIVE_MODELS.join(', ')}); use --strategy thread-pool or udf`;
  if (cluster && model === 'gbt') return '--strategy native does not fit --model gbt on a cluster (a boosting fit keeps its rows\' scores on the workers, and cluster workers keep no state); use --strategy thread-pool with --cluster, or native without it';
  return undefined;
}
export const STRATEGY_ALIASES: Record<string, StrategyName> = {
  'thread-pool': 'thread-pool',
  threadpool: 'thread-pool',
  pool: 'thread-pool',
  native: 'native',
  'native-distributed': 'native',
  udf: 'udf',
  'grouped-udf': 'udf',
};

export interface SweepPlan {
  data: Dataset;
  folds: FoldPlan;
  model: ModelKind;
  configs: Params[];
  /** The tasks to run now (a resumed sweep leaves out finished ones). */
  tasks: Task[];
  seed: number;
  partitions: number;
  workers: number;
  /** Heap limit of each worker thread in MB (piscina resourceLimits; thread-pool and udf); unset: Node's default. */
  workerMemoryMb?: number;
  /** Fail a task that runs longer than this (its thread is terminated and replaced). */
  taskTimeoutMs?: number;
  /** Re-run a failed task up to this many times before reporting it failed. */
  retries: number;
  /** A user UDF module (udf strategy only); without it the built-in model runs as a UDF. */
  udf?: string;
  /** The ranking metric (a user UDF must return it). */
  metric?: string;
  /** native: configs whose forests share each pass over the data (CrossValidator's parallelism; default 1). */
  parallelism?: number;
  /**
   * thread-pool: runs with the same id share their threads' caches (binned data, grown trees): a search's rounds
   * on the same data, so a promoted forest grows on from the trees a thread already has. Default: a fresh id.
   */
  contextId?: string;
  /** thread-pool: leave the pool running for the next run (a search's next round) instead of destroying it. */
  keepPool?: boolean;
}

export interface StrategyHooks {
  onOutcome(outcome: TaskOutcome): void;
  /** Aborting stops dispatching; tasks already running get a short grace period. */
  signal?: AbortSignal;
}

export interface StrategyStats {
  /** Bytes copied to workers (shared memory counts 0). */
  bytesShipped: number;
  /** Time to start workers and hand them the data, before the first task could run. */
  startupMs: number;
  /** Jobs sent to workers, by kind (native: edges, level, subtree, predict, linear, linear-predict; cluster: task, udf). */
  jobsSent?: Record<string, number>;
}

export interface Strategy {
  readonly name: StrategyName;
  run(plan: SweepPlan, hooks: StrategyHooks): Promise<StrategyStats>;
}
