/**
 * The UDF contract, as UDF authors see it (PySpark's `applyInPandas`, in Node): one group in as an Arrow
 * table, one row of numbers out. The group holds every row of the dataset in its original order — the feature
 * columns, the target column and a boolean `training` column — so a UDF trains on the training rows and scores
 * the rest, and a model that derives anything from the whole table (bins, column means) sees what it would see
 * in any other strategy.
 */
import type { Table } from 'apache-arrow';
import { corr2, mae, r2, rmse } from '../../eval/metrics.js';
import { accuracy, balancedAccuracy, brier, classificationMetrics, f1, logLoss, predictedClasses, rocAuc } from '../../eval/classification.js';
import type { Params } from '../../models/params.js';

/**
 * The metric functions a UDF gets in its context, so a module needs no import of this package (a UDF written
 * outside any project, run by a global or npx install, has nothing to resolve `hpsweep` from).
 */
export const UDF_METRICS = {
  r2, corr2, mae, rmse,
  // Classification: (class indices, probabilities rows × classes row-major, classes), as eval/classification.ts.
  accuracy, balancedAccuracy, logLoss, rocAuc, f1, brier, predictedClasses, classificationMetrics,
} as const;
export type UdfMetrics = typeof UDF_METRICS;

export interface UdfContext {
  /** This group's grid parameters (its grouping keys). */
  params: Params;
  /** This group's fold (0-based); for a holdout split always 0. */
  fold: number;
  /** Name of the target column in `group`. */
  target: string;
  /** Names of the feature columns in `group`, in dataset order. */
  features: readonly string[];
  /** The sweep's --seed, for UDFs that need randomness. */
  seed: number;
  /**
   * What is being learned. A classification's target column holds the labels as given (a dictionary column of
   * text: `group.getChild(target).get(i)` is row i's class name), and `classes` lists the classes in sorted order.
   */
  task: 'regression' | 'classification';
  /** A classification's class names, sorted (numbers numerically, text by code unit), as scikit-learn's classes_. */
  classes?: readonly string[];
  /**
   * Metric functions, the same the built-in models are scored with: r2, corr2, mae, rmse of (truth, prediction);
   * accuracy, logLoss, rocAuc, … of (class indices, probabilities, classes).
   */
  metrics: UdfMetrics;
}

/** The context of one group, as every UDF runner builds it. */
export function udfContext(fields: { params: Params; fold: number; target: string; features: readonly string[]; seed: number; classes?: readonly string[] | null }): UdfContext {
  const { classes, ...rest } = fields;
  return classes ? { ...rest, task: 'classification', classes, metrics: UDF_METRICS } : { ...rest, task: 'regression', metrics: UDF_METRICS };
}

/** What a UDF returns: named numbers (its metrics), e.g. { r2: 0.41, mae: 44.2 }. */
export type UdfResult = Record<string, number>;

/** The default export of a `--udf` module. */
export type Udf = (group: Table, ctx: UdfContext) => UdfResult | Promise<UdfResult>;

/** The name of the boolean column that marks a group's training rows. */
export const TRAINING_COLUMN = 'training';

/** Column names of the result row that are not metrics; a UDF may not return a metric with one of these names. */
export const RESERVED_RESULT_COLUMNS: readonly string[] = ['config', 'fold', 'fitMs', 'predictMs', 'diagnostics'];
