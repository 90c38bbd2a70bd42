/**
 * The types the library's sweep entry points share (run.ts prepares and executes; search.ts runs a search over
 * run.ts's task runner, which it is handed, so neither imports the other).
 */
import type { Dataset } from '../data/dataset.js';
import type { FoldPlan } from '../data/folds.js';
import type { TaskKind } from '../data/task.js';
import type { Direction, MetricName } from '../eval/metrics.js';
import type { ModelKind } from '../models/model.js';
import type { Params } from '../models/params.js';
import type { ClusterOptions } from '../cluster/strategy.js';
import type { StrategyName } from '../strategies/strategy.js';
import type { TaskOutcome } from '../strategies/tasks.js';
import type { GridAxes } from '../sweep/grid.js';
import type { SweepResult, TrialResult } from '../sweep/result.js';
import type { SearchSettings } from '../sweep/search/methods.js';
import type { SearchSpace } from '../sweep/search/space.js';

export interface PreparedSweep {
  data: Dataset;
  /** Regression or classification (the data's classes, when it is one). */
  task: TaskKind;
  folds: FoldPlan;
  model: ModelKind;
  /** The configs to run: the grid's; for a search, filled round by round (search.ts). */
  configs: Params[];
  /** The parameters' defaults the configs are built on. */
  defaults: Params;
  /** The grid axes the user swept (for reports; a search's lists, without its ranges). */
  axes: GridAxes;
  /** What is searched: every swept parameter's list or range. */
  space: SearchSpace;
  search: SearchSettings;
  seed: number;
  partitions: number;
  metric: MetricName | string;
  /** Whether the ranking metric is maximised or minimised. */
  direction: Direction;
  /** Absolute path of the user UDF module, when there is one. */
  udf?: string;
  /** --holdout: the rows kept out of the search (`data` is the rest), scored once by the best config refitted on `data`. */
  holdout?: { fraction: number; data: Dataset };
  warnings: string[];
}

export interface ExecuteOptions {
  strategy?: StrategyName;
  workers?: number;
  /** Heap limit of each worker thread in MB (thread-pool, udf); a thread over it dies and fails its task. */
  workerMemoryMb?: number;
  taskTimeoutMs?: number;
  retries?: number;
  /** native: configs sharing each pass over the data (default 1). */
  parallelism?: number;
  signal?: AbortSignal;
  /** Tasks already finished (from a checkpoint): not run again, but reported. */
  done?: TaskOutcome[];
  /**
   * Append every finished task to this JSON-lines file (see checkpoint.ts). With `resume`, finished tasks are
   * first read back from it — or, when no path is given, from every checkpoint in `checkpointDir` that a sweep
   * with the same data, model, evaluation, seed and partitions wrote (so a changed grid resumes what it shares).
   */
  checkpoint?: string;
  /** Where default checkpoints live (default .sweep); used when `checkpoint` is not given but `resume` or `autoCheckpoint` is. */
  checkpointDir?: string;
  /** Write a checkpoint at the default path when no `checkpoint` is given (the CLI does; the library does not by default). */
  autoCheckpoint?: boolean;
  resume?: boolean;
  /** Told how a resume went (files read, tasks reused, cut-off lines skipped). */
  onResume?: (info: { files: string[]; reused: number; total: number; warnings: string[] }) => void;
  /**
   * Told when the sweep's checkpoint is open (resumed and checked against this sweep's identity) and the first
   * task is about to be dispatched; a search tells it once per round.
   */
  onStart?: (run: { strategy: string; workers: number }) => void;
  onOutcome?: (o: TaskOutcome) => void;
  /** Told when a config's last fold finishes in this run: its trial, aggregated over folds (progress lines, best so far). */
  onTrial?: (t: TrialResult) => void;
  onProgress?: (p: { done: number; failed: number; total: number }) => void;
  /** One-line notices (threads lowered to the task count, a checkpoint that could not be written). */
  onNotice?: (message: string) => void;
  /** thread-pool: share the threads' caches with other runs of this id, and keep the pool for the next run (search.ts). */
  contextId?: string;
  keepPool?: boolean;
  /** Run on a cluster of `sweep worker` processes (BullMQ on Redis) instead of local threads; `resume` applies to it too. */
  cluster?: ClusterOptions;
}

/** What running a sweep's tasks gave: the outcomes (finished before or now) and how the strategy ran. */
export interface TaskRun {
  strategy: string;
  workers: number;
  outcomes: TaskOutcome[];
  wallMs: number;
  stats: { bytesShipped: number; startupMs?: number; jobsSent?: Record<string, number> };
  aborted: boolean;
  /** The checkpoint could not be written: dispatching stopped. */
  checkpointError?: string;
  /** Tasks taken from checkpoints (resume). */
  reused: number;
}

/** What search.ts is handed to run a round's tasks and build the result. */
export interface TaskRunner {
  runTasks(prep: PreparedSweep, opts: ExecuteOptions): Promise<TaskRun>;
  resultOf(prep: PreparedSweep, run: TaskRun, totalTasks: number): SweepResult;
}
