/**
 * The one result record of a sweep, documented field by field (hyperfine's way): every renderer
 * (table, JSON, CSV, Markdown) reads this, and `--format json` prints exactly this shape.
 */
import type { MetricName, MetricValues } from '../eval/metrics.js';
import type { Params } from '../models/params.js';
import type { ModelKind } from '../models/model.js';

export interface FoldResult {
  fold: number;
  metrics: MetricValues;
  /** Wall time of `fit` for this (config, fold) task, measured in the thread that ran it. */
  fitMs: number;
  /** Wall time of `predict` on the fold's test rows. */
  predictMs: number;
}

export interface TrialResult {
  params: Params;
  /**
   * "failed" when any of its tasks failed (its metrics are then null and `error` says why); "interrupted" when
   * the sweep stopped (Ctrl-C, a checkpoint write error) before all its folds ran and none of them failed.
   */
  status: 'ok' | 'failed' | 'interrupted';
  error?: string;
  /** 1 = best by the ranking metric; failed trials have no rank. */
  rank?: number;
  /** Mean over folds (r2, corr2, mae, rmse for built-in models; a user UDF's own names otherwise). */
  metrics: MetricValues | null;
  /** Population standard deviation over folds. */
  metricsStd: MetricValues | null;
  /** Mean fit / predict time per task (ms). */
  fitMs: number;
  predictMs: number;
  folds: FoldResult[];
}

export interface SweepResult {
  strategy: string;
  model: ModelKind | string;
  data: { name: string; rows: number; features: string[]; target: string };
  evaluation: { folds: number } | { testFraction: number };
  seed: number;
  workers: number;
  /** Logical data partitions (see data/partitions.ts). */
  partitions: number;
  metric: MetricName | string;
  /** Wall time of the whole sweep, from strategy start-up to the last result (ms). */
  wallMs: number;
  /** Sum of every task's fit + predict time (ms): the work a single thread would have done. */
  taskMs: number;
  /** taskMs / wallMs: the parallel speed-up achieved. */
  speedup: number;
  tasks: { total: number; ok: number; failed: number };
  /** Bytes of data shipped to workers (0 when data is shared, not copied). */
  bytesShipped: number;
  /** Jobs the strategy sent to its workers, by kind (native and cluster runs; absent otherwise). */
  jobs?: Record<string, number>;
  /** Time the strategy took to start its workers and hand them the data, before the first task could run (ms). */
  startupMs?: number;
  /** Present and true when the sweep was stopped early (Ctrl-C): the trials are only what finished. */
  interrupted?: boolean;
  /** Why the sweep stopped early when it was not a signal (a checkpoint that could not be written). */
  stoppedBy?: string;
  /** Trials in rank order (best first), failed ones last. */
  trials: TrialResult[];
  best: { params: Params; metrics: MetricValues } | null;
}
