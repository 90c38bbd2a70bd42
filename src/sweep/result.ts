/**
 * The one result record of a sweep, documented field by field (hyperfine's way): every renderer
 * (table, JSON, CSV, Markdown) reads this, and `--format json` prints exactly this shape.
 */
import type { PooledDiagnostics } from '../eval/diagnostics.js';
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

export interface SearchSummary {
  method: string;
  /** Configs the search was asked for, and how many it finished (ok or failed). */
  trialsAsked: number;
  trialsFinished: number;
  /** tpe: configs proposed per round; random: the whole search is one round. */
  batch: number;
  rounds: number;
  /** Trials that proposed a config an earlier trial had: its result is shared, not fitted again. */
  repeats: number;
  /** halving/hyperband: the parameter grown per rung, its full amount and the factor η. */
  resource?: string;
  maxResource?: number;
  factor?: number;
  /** --time-budget: the budget, and whether it ended the search (trials it stopped are "interrupted"). */
  timeBudgetMs?: number;
  budgetSpent?: boolean;
}

export interface TrialResult {
  /** The trial's order in the search: its grid position, or when a search proposed it (0, 1, …). */
  number?: number;
  /** halving/hyperband: the candidate (one config across rungs), its rung, the resource it ran with, its bracket. */
  candidate?: number;
  rung?: number;
  resource?: number;
  bracket?: number;
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
  /** Pooled over the trial's folds (built-in models); in a finished result only the best trial's, as `diagnostics`. */
  diagnostics?: PooledDiagnostics;
}

/**
 * How the rows were split: `folds` (the number of splits; with `repeats`, folds × repeats of them ran) or a
 * holdout's `testFraction`; `scheme` when the splits are not k-fold (time-series, fold-column, group-kfold) and the
 * `column` that placed the rows; `shuffle: false` for splits in file order; every split's training and test rows.
 */
export type ResultEvaluation = ({ folds: number } | { testFraction: number }) & {
  scheme?: 'time-series' | 'fold-column' | 'group-kfold';
  column?: string;
  repeats?: number;
  shuffle?: false;
  splits?: { train: number; test: number }[];
};

/** The version of the result record's shape (docs/result.schema.json): bumped when a field changes meaning or goes. */
export const RESULT_SCHEMA = 1;

export interface SweepResult {
  /** The shape's version (RESULT_SCHEMA): a reader checks it before it trusts the field names. */
  schema?: number;
  /** The sweep tool's version that made the result. */
  version?: string;
  /** When the sweep started (ISO 8601, UTC). */
  startedAt?: string;
  /** The command line that ran it (argv, from the program's name on); absent when run from the library. */
  command?: string[];
  strategy: string;
  model: ModelKind | string;
  data: { name: string; rows: number; features: string[]; target: string; task?: 'regression' | 'classification'; classes?: string[] };
  evaluation: ResultEvaluation;
  seed: number;
  workers: number;
  /** Logical data partitions (see data/partitions.ts). */
  partitions: number;
  metric: MetricName | string;
  /** Whether the ranking metric is maximised or minimised (absent in results of older versions: the metric's known one). */
  direction?: 'max' | 'min';
  /** What was swept: each parameter's list of values, or its range (int/float, log-scaled or not). */
  space?: Record<string, { kind: 'choice'; values: (number | string | boolean | null)[] } | { kind: 'int' | 'float'; low: number; high: number; log: boolean }>;
  /** How the configs were searched (absent for a grid). */
  search?: SearchSummary;
  /** The best ranking metric after each finished trial, in trial order (searches only): for plotting. */
  bestSoFar?: { number: number; value: number }[];
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
  /**
   * --holdout: the rows kept out of the search (stratified on a classification), and the best config refitted on
   * every other row and scored on them — the test score beside the CV score. Absent without --holdout, or when
   * no config finished.
   */
  holdout?: { fraction: number; rows: number; trainRows: number; metrics: MetricValues };
  /**
   * The best trial's model, pooled over its folds (built-in models): feature importances (mean ± σ over the
   * folds' models) and, for a classification, the confusion matrix and ROC curves of its out-of-fold predictions.
   */
  diagnostics?: PooledDiagnostics;
}
