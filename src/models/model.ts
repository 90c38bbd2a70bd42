/**
 * The estimator contract (after scikit-learn, without its mutation): `fit` takes data and parameters and
 * returns a separate fitted model; a fitted model predicts rows and serialises itself as plain JSON.
 */
import type { Dataset } from '../data/dataset.js';
import type { TrainingCurve } from '../eval/diagnostics.js';
import type { TaskKind } from '../data/task.js';
import type { Params, ParamSpec } from './params.js';

export type ModelKind = 'rf' | 'gbt' | 'linear' | 'logistic';

export interface FitInput {
  /** The whole table; the model reads only `train` rows. */
  data: Dataset;
  /** Ascending indices of the training rows. */
  train: Uint32Array;
  /** The sweep's seed; models derive all randomness from it with counter-based hashes. */
  seed: number;
  /** Logical partitions P: sums are taken partition by partition and merged in order (see data/partitions.ts). */
  partitions: number;
  /**
   * Per-thread cache for work that depends only on the data and a few parameters (binned features per maxBins),
   * so the tasks one thread runs on the same data do it once. Keys are namespaced by the model.
   */
  cache?: Map<string, unknown>;
}

export interface FittedModel {
  readonly kind: ModelKind;
  /**
   * Predictions for the given rows of `data` (which must have the model's features, in order): the value for a
   * regression, the class index for a classifier.
   */
  predict(data: Dataset, rows: Uint32Array): Float64Array;
  /** A classifier's class probabilities for the rows: rows × classes, row-major (classes in their sorted order). */
  predictProba?(data: Dataset, rows: Uint32Array): Float64Array;
  /** A classifier's class names. */
  readonly classes?: readonly string[];
  /**
   * One number per feature, ≥ 0, saying how much the model leans on it: forests and boosting the impurity
   * decrease of its splits (scikit-learn's feature_importances_); linear and logistic models the absolute
   * coefficient times the feature's standard deviation over the training rows (summed over a category's columns
   * and, for several classes, averaged over them).
   */
  featureImportances?(data: Dataset, train: Uint32Array): Float64Array;
  /**
   * Boosting: the test rows' metrics after each iteration (scikit-learn's staged_predict, scored), given the rows'
   * labels; the last point of each curve equals the task's metric.
   */
  trainingCurve?(data: Dataset, rows: Uint32Array, truth: Float64Array): TrainingCurve[];
  /** Plain JSON, loadable by the model's `load`. */
  toJSON(): SavedModel;
}

export interface SavedModel {
  model: ModelKind;
  params: Params;
  features: string[];
  /** A classifier's class names, in the order of its probability columns. */
  classes?: string[];
  [key: string]: unknown;
}

export interface ModelDefinition {
  kind: ModelKind;
  /** Human name for reports. */
  title: string;
  /** The tasks it fits: a forest both, linear regression a regression, logistic regression a classification. */
  tasks: readonly TaskKind[];
  params: readonly ParamSpec[];
  fit(input: FitInput, params: Params): FittedModel;
  load(json: SavedModel): FittedModel;
}
