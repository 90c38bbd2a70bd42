/**
 * The parameters of each built-in model: Spark MLlib names, CLI flags, defaults and constraints.
 * Every one of them is a grid axis.
 */
import type { ParamSpec, Params } from './params.js';
import type { ModelKind } from './model.js';

const MAX_DEPTH: ParamSpec = { name: 'maxDepth', flag: 'max-depth', type: 'int', default: 'none', min: 1, max: 64, unlimited: 'none', describe: 'maximum tree depth, or "none" for unlimited' };
const MAX_FEATURES: ParamSpec = { name: 'maxFeatures', flag: 'max-features', type: 'maxFeatures', default: 'all', describe: 'features tried per split: all, sqrt, log2, onethird, a fraction in (0,1] or a count' };
const MAX_BINS: ParamSpec = { name: 'maxBins', flag: 'max-bins', type: 'int', default: 255, min: 2, max: 255, describe: 'histogram bins per feature (2..255)' };

export const FOREST_PARAMS: readonly ParamSpec[] = [
  { name: 'numTrees', flag: 'trees', type: 'int', default: 20, min: 1, max: 100_000, describe: 'trees in the forest' },
  MAX_DEPTH,
  MAX_FEATURES,
  { name: 'minSamplesLeaf', flag: 'min-samples-leaf', type: 'int', default: 1, min: 1, describe: 'minimum training rows in a leaf' },
  MAX_BINS,
  { name: 'bootstrap', flag: 'bootstrap', type: 'bool', default: true, describe: 'draw a bootstrap sample per tree (Poisson(1) counts per row)' },
  { name: 'criterion', flag: 'criterion', type: 'choice', choices: ['gini', 'entropy'], default: 'gini', task: 'classification', describe: 'classification: the impurity a split reduces, gini or entropy (Spark impurity)' },
];

/**
 * A classification's forest defaults where they differ from a regression's: √features per split, as
 * scikit-learn's RandomForestClassifier and Spark's featureSubsetStrategy "auto" for classification.
 */
export const CLASSIFIER_DEFAULTS: Params = { maxFeatures: 'sqrt' };

export const LINEAR_PARAMS: readonly ParamSpec[] = [
  { name: 'regParam', flag: 'reg-param', type: 'number', default: 0, min: 0, describe: 'regularisation strength λ (0: none — least squares, or maximum likelihood for logistic)' },
  { name: 'elasticNetParam', flag: 'elastic-net', type: 'number', default: 0, min: 0, max: 1, describe: 'elastic-net mixing α: 0 is ridge (L2), 1 is lasso (L1)' },
  { name: 'standardization', flag: 'standardization', type: 'bool', default: true, describe: 'scale features by their std inside the solver (Spark default)' },
  {
    name: 'impute', flag: 'impute', type: 'choice', choices: ['mean', 'median', 'most_frequent'], default: 'mean', designOnly: true,
    describe: 'a missing value of a numeric feature takes the mean, median or most frequent value of the training rows (categories are one-hot encoded; a missing one is all zeros)',
  },
];

/** Logistic regression: the linear model's penalty parameters (the same flags), and its own two. */
export const LOGISTIC_PARAMS: readonly ParamSpec[] = [
  ...LINEAR_PARAMS,
  { name: 'fitIntercept', flag: 'fit-intercept', type: 'bool', default: true, describe: 'fit intercepts (Spark fitIntercept)' },
  { name: 'family', flag: 'family', type: 'choice', choices: ['auto', 'binomial', 'multinomial'], default: 'auto', describe: 'binomial (two classes), multinomial, or auto: binomial for two classes (Spark family)' },
];

/**
 * Gradient-boosted trees: scikit-learn HistGradientBoosting's names and defaults (Spark's GBT names in the
 * descriptions). --max-depth, --max-features and --max-bins are the forest's flags; --min-samples-leaf is too, with
 * HistGradientBoosting's default of 20 here.
 */
export const GBT_PARAMS: readonly ParamSpec[] = [
  { name: 'iterations', flag: 'iterations', type: 'int', default: 100, min: 1, max: 100_000, describe: 'boosting iterations, one tree each (scikit-learn max_iter, Spark maxIter)' },
  { name: 'learningRate', flag: 'learning-rate', type: 'number', default: 0.1, min: 0, minExclusive: true, max: 1, describe: 'shrinkage of each tree\'s values (scikit-learn learning_rate, Spark stepSize)' },
  { name: 'maxLeafNodes', flag: 'max-leaf-nodes', type: 'int', default: 31, min: 2, max: 1_000_000, unlimited: 'none', describe: 'leaves per tree, grown best-first (scikit-learn max_leaf_nodes), or "none"' },
  MAX_DEPTH,
  { name: 'minSamplesLeaf', flag: 'min-samples-leaf', type: 'int', default: 20, min: 1, describe: 'minimum training rows in a leaf' },
  { name: 'l2', flag: 'l2', type: 'number', default: 0, min: 0, describe: 'L2 penalty on leaf values (scikit-learn l2_regularization)' },
  MAX_FEATURES,
  MAX_BINS,
  { name: 'subsample', flag: 'subsample', type: 'number', default: 1, min: 0, minExclusive: true, max: 1, describe: 'fraction of the training rows each tree is grown on (Spark subsamplingRate)' },
  {
    name: 'earlyStopping', flag: 'early-stopping', type: 'choice', choices: ['off', 'on', 'auto'], default: 'off',
    describe: 'stop when the loss on held-out training rows stops improving: on, off (the default, so folds stay comparable) or auto (on above 10 000 training rows, scikit-learn\'s default)',
  },
  { name: 'validationFraction', flag: 'validation-fraction', type: 'number', default: 0.1, min: 0, minExclusive: true, max: 0.9, describe: 'early stopping: fraction of the training rows held out (scikit-learn validation_fraction)' },
  { name: 'nIterNoChange', flag: 'n-iter-no-change', type: 'int', default: 10, min: 1, max: 10_000, describe: 'early stopping: iterations without improvement before stopping (scikit-learn n_iter_no_change)' },
];

/** Spark MLlib's RandomForestRegressor defaults, for `--preset spark`. */
export const SPARK_FOREST_PRESET: Params = { maxDepth: 5, maxFeatures: 'onethird', maxBins: 32 };

export function paramSpecs(kind: ModelKind): readonly ParamSpec[] {
  return kind === 'rf' ? FOREST_PARAMS : kind === 'gbt' ? GBT_PARAMS : kind === 'logistic' ? LOGISTIC_PARAMS : LINEAR_PARAMS;
}

/** The model's defaults for a task (a task's own parameters only on that task; a classifier forest's own defaults). */
export function defaultParams(kind: ModelKind, task: 'regression' | 'classification' = 'regression', design = false): Params {
  const out: Params = {};
  for (const s of paramSpecs(kind)) if ((s.task === undefined || s.task === task) && (!s.designOnly || design)) out[s.name] = s.default;
  return kind === 'rf' && task === 'classification' ? { ...out, ...CLASSIFIER_DEFAULTS } : out;
}
