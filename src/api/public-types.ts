/**
 * The library's precise option types. A grid is typed per model, so `runSweep({ model: 'linear', grid:
 * { numTrees: [10] } })` or `maxFeatures: 'most'` fail to compile instead of at run time; values are single
 * values or lists (each list is one grid axis). The CLI builds the loosely typed SweepInput from flags instead,
 * and both go through the same validation.
 */
import type { Dataset } from '../data/dataset.js';
import type { Evaluation } from '../data/folds.js';
import type { LoadOptions } from '../data/options.js';
import type { MetricName } from '../eval/metrics.js';
import type { ParamValue } from '../models/params.js';
import type { ClassificationMetric } from '../eval/classification.js';
import type { TaskChoice } from '../data/task.js';
import type { StrategyName } from '../strategies/strategy.js';

/** A range a search draws from (integer parameters draw integers; `log`: log-uniform). */
export interface Range {
  min: number;
  max: number;
  log?: boolean;
  /** A UDF's own parameter only: int or float (default: int when both ends are whole numbers). */
  type?: 'int' | 'float';
}

/** One value, or a list of values (one grid axis). */
export type Axis<T> = T | readonly T[];

/** A numeric parameter's axis: values, or (for a search) a range. */
export type NumericAxis<T> = Axis<T> | Range;

/** How the space is searched: every combination (grid, the default), random draws, or TPE in rounds of `batch`. */
export interface SearchOptions {
  method?: 'grid' | 'random' | 'tpe' | 'halving' | 'hyperband';
  /** halving/hyperband: what grows per rung (numTrees: a forest's trees; iterations: boosting's; rows: a nested subsample), η, the first rung's amount. */
  resource?: 'numTrees' | 'iterations' | 'rows';
  factor?: number;
  minResource?: number;
  /** Stop dispatching new trials after this many ms (finished trials stay valid). */
  timeBudgetMs?: number;
  /** random/tpe: configs to try. */
  trials?: number;
  /** tpe: configs per round (default 8; results never depend on the worker count). */
  batch?: number;
}

/** Features tried per split: all, sqrt, log2, onethird, a fraction in (0, 1] or a count. */
export type MaxFeatures = 'all' | 'sqrt' | 'log2' | 'onethird' | number;

/** The random forest's grid (Spark MLlib names). */
export type ForestGrid = {
  numTrees?: NumericAxis<number>;
  /** A depth, or "none" for unlimited. */
  maxDepth?: NumericAxis<number | 'none'>;
  maxFeatures?: NumericAxis<MaxFeatures>;
  minSamplesLeaf?: NumericAxis<number>;
  maxBins?: NumericAxis<number>;
  bootstrap?: Axis<boolean>;
  /** A classification's impurity. */
  criterion?: Axis<'gini' | 'entropy'>;
};

/** Gradient-boosted trees' grid (scikit-learn HistGradientBoosting names, camel case). */
export type BoostGrid = {
  iterations?: NumericAxis<number>;
  learningRate?: NumericAxis<number>;
  /** A count, or "none" for unlimited (then maxDepth bounds the trees). */
  maxLeafNodes?: NumericAxis<number | 'none'>;
  maxDepth?: NumericAxis<number | 'none'>;
  minSamplesLeaf?: NumericAxis<number>;
  l2?: NumericAxis<number>;
  maxFeatures?: NumericAxis<MaxFeatures>;
  maxBins?: NumericAxis<number>;
  subsample?: NumericAxis<number>;
};

/** Linear regression's grid (Spark MLlib names). */
export type LinearGrid = {
  regParam?: NumericAxis<number>;
  elasticNetParam?: NumericAxis<number>;
  standardization?: Axis<boolean>;
  /** A missing numeric value's fill, fitted on each fold's training rows (data with missing values; linear/design.ts). */
  impute?: Axis<'mean' | 'median' | 'most_frequent'>;
};

/** Logistic regression's grid (Spark MLlib names). */
export type LogisticGrid = LinearGrid & {
  fitIntercept?: Axis<boolean>;
  family?: Axis<'auto' | 'binomial' | 'multinomial'>;
};

/** A classification's metrics (eval/classification.ts), optionally with the direction they already have. */
export type ClassificationMetricName = ClassificationMetric | `${ClassificationMetric}:${'min' | 'max'}`;

/** A user UDF's grid: any names, numbers, strings or booleans. */
export type UdfGrid = Record<string, Axis<ParamValue> | Range>;

/** What every sweep takes, whatever the model. */
export interface CommonSweepOptions extends LoadOptions {
  /** "diabetes" (default), "friedman1:rows=…", a CSV path, or a Dataset already in memory. */
  data?: string | Dataset;
  evaluation?: Evaluation;
  seed?: number;
  workers?: number;
  partitions?: number;
  taskTimeoutMs?: number;
  retries?: number;
  search?: SearchOptions;
  signal?: AbortSignal;
  /** Called after every finished task. */
  onProgress?: (p: { done: number; failed: number; total: number }) => void;
  /** Non-fatal notes (rows dropped, …). */
  onWarning?: (message: string) => void;
  /** What was decided for the user (the task chosen and why). */
  onNote?: (message: string) => void;
  /** Regression or classification; auto (default) decides from the target (data/task.ts). */
  task?: TaskChoice;
  /** Keep this fraction of the rows out of the search; the best config is refitted and scored on them (result.holdout). */
  holdout?: number;
}

export interface ForestSweepOptions extends CommonSweepOptions {
  model?: 'rf';
  grid?: ForestGrid;
  /** "spark": Spark MLlib's RandomForestRegressor defaults (maxDepth 5, onethird, 32 bins) under the grid. */
  preset?: 'spark';
  strategy?: StrategyName;
  metric?: MetricName | `${MetricName}:${'min' | 'max'}` | ClassificationMetricName;
  udf?: undefined;
}

export interface BoostSweepOptions extends CommonSweepOptions {
  model: 'gbt';
  grid?: BoostGrid;
  preset?: undefined;
  strategy?: StrategyName;
  metric?: MetricName | `${MetricName}:${'min' | 'max'}` | ClassificationMetricName;
  udf?: undefined;
}

export interface LinearSweepOptions extends CommonSweepOptions {
  model: 'linear';
  grid?: LinearGrid;
  preset?: undefined;
  strategy?: StrategyName;
  metric?: MetricName;
  udf?: undefined;
}

export interface LogisticSweepOptions extends CommonSweepOptions {
  model: 'logistic';
  grid?: LogisticGrid;
  preset?: undefined;
  strategy?: StrategyName;
  metric?: ClassificationMetricName;
  udf?: undefined;
}

export interface UdfSweepOptions extends CommonSweepOptions {
  /** Path of an ESM module whose default export is the training function (see examples/README.md). */
  udf: string;
  grid?: UdfGrid;
  model?: undefined;
  preset?: undefined;
  strategy?: 'udf';
  /** Any metric the UDF returns, optionally with its direction: "logloss:min". */
  metric?: string;
}

/** Options of `runSweep` / `prepareSweep`: a forest (the default), gradient boosting, a linear or logistic model, or your own UDF. */
export type SweepOptions = ForestSweepOptions | BoostSweepOptions | LinearSweepOptions | LogisticSweepOptions | UdfSweepOptions;
