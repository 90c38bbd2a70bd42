/**
 * The parameters of each built-in model: Spark MLlib names, CLI flags, defaults and constraints.
 * Every one of them is a grid axis.
 */
import type { ParamSpec, Params } from './params.js';
import type { ModelKind } from './model.js';

export const FOREST_PARAMS: readonly ParamSpec[] = [
  { name: 'numTrees', flag: 'trees', type: 'int', default: 20, min: 1, max: 100_000, describe: 'trees in the forest' },
  { name: 'maxDepth', flag: 'max-depth', type: 'int', default: 'none', min: 1, max: 64, unlimited: 'none', describe: 'maximum tree depth, or "none" for unlimited' },
  { name: 'maxFeatures', flag: 'max-features', type: 'maxFeatures', default: 'all', describe: 'features tried per split: all, sqrt, log2, onethird, a fraction in (0,1] or a count' },
  { name: 'minSamplesLeaf', flag: 'min-samples-leaf', type: 'int', default: 1, min: 1, describe: 'minimum training rows in a leaf' },
  { name: 'maxBins', flag: 'max-bins', type: 'int', default: 255, min: 2, max: 255, describe: 'histogram bins per feature (2..255)' },
  { name: 'bootstrap', flag: 'bootstrap', type: 'bool', default: true, describe: 'draw a bootstrap sample per tree (Poisson(1) counts per row)' },
];

export const LINEAR_PARAMS: readonly ParamSpec[] = [
  { name: 'regParam', flag: 'reg-param', type: 'number', default: 0, min: 0, describe: 'regularisation strength λ (0: ordinary least squares)' },
  { name: 'elasticNetParam', flag: 'elastic-net', type: 'number', default: 0, min: 0, max: 1, describe: 'elastic-net mixing α: 0 is ridge (L2), 1 is lasso (L1)' },
  { name: 'standardization', flag: 'standardization', type: 'bool', default: true, describe: 'scale features by their std inside the solver (Spark default)' },
];

/** Spark MLlib's RandomForestRegressor defaults, for `--preset spark`. */
export const SPARK_FOREST_PRESET: Params = { maxDepth: 5, maxFeatures: 'onethird', maxBins: 32 };

export function paramSpecs(kind: ModelKind): readonly ParamSpec[] {
  return kind === 'rf' ? FOREST_PARAMS : LINEAR_PARAMS;
}

export function defaultParams(kind: ModelKind): Params {
  const out: Params = {};
  for (const s of paramSpecs(kind)) out[s.name] = s.default;
  return out;
}
