/**
 * The UDF contract, as UDF authors see it (PySpark's `applyInPandas`, in Node): one group in as an Arrow
 * table, one row of numbers out. The group holds every row of the dataset in its original order — the feature
 * columns, the target column and a boolean `training` column — so a UDF trains on the training rows and scores
 * the rest, and a model that derives anything from the whole table (bins, column means) sees what it would see
 * in any other strategy.
 */
import type { Table } from 'apache-arrow';
import type { Params } from '../../models/params.js';

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
}

/** What a UDF returns: named numbers (its metrics), e.g. { r2: 0.41, mae: 44.2 }. */
export type UdfResult = Record<string, number>;

/** The default export of a `--udf` module. */
export type Udf = (group: Table, ctx: UdfContext) => UdfResult | Promise<UdfResult>;

/** The name of the boolean column that marks a group's training rows. */
export const TRAINING_COLUMN = 'training';

/** Column names of the result row that are not metrics; a UDF may not return a metric with one of these names. */
export const RESERVED_RESULT_COLUMNS: readonly string[] = ['config', 'fold', 'fitMs', 'predictMs'];
