/**
 * Gradient-boosted trees (`--model gbt`), scikit-learn HistGradientBoostingRegressor / Classifier semantics:
 * squared error for a regression, log loss for a classification (two classes: one log-odds; more: one tree per
 * class per iteration and a softmax, as scikit-learn), trees grown best-first on quantised gradients
 * (tree/boost.ts), so the model is exact wherever it is fitted. A thin model over the tree core: the binned table
 * comes from the thread's cache, as the forest's.
 */
import { classCount, type Dataset } from '../data/dataset.js';
import { ModelError } from '../errors.js';
import { accuracy, logLoss, predictedClasses } from '../eval/classification.js';
import { allMetrics } from '../eval/metrics.js';
import type { TrainingCurve } from '../eval/diagnostics.js';
import { cachedBins } from '../tree/binning.js';
import { softmax, type Boosted, type BoostLoss, type BoostRule } from '../tree/boost.js';
import { fitBoosted } from '../tree/boost-rows.js';
import { addTreePredictions, featureImportancesOf, type PredictTree, type SetBins } from '../tree/predict.js';
import type { TreeArrays } from '../tree/tree.js';
import { forestBins, loadForestTrees, treesJson } from './forest.js';
import type { FitInput, FittedModel, ModelDefinition, SavedModel } from './model.js';
import { resolveMaxFeatures, type MaxFeatures, type Params } from './params.js';
import { defaultParams, GBT_PARAMS } from './specs.js';
import { nestedFits } from './nested.js';

/** scikit-learn's tol of early stopping, and the training rows above which `auto` turns it on. */
const EARLY_STOPPING_TOL = 1e-7;
const AUTO_EARLY_STOPPING_ROWS = 10_000;

/** The defaults filled in and the rule the tree core needs (values were validated by parseParamValue). */
export function boostOptions(params: Params, features: number, classes: number, trainRows = 0): { params: Params; rule: BoostRule; maxBins: number } {
  const classification = classes > 0;
  const p: Params = { ...defaultParams('gbt', classification ? 'classification' : 'regression'), ...params };
  const limit = (v: unknown): number => (v === 'none' ? Infinity : Number(v));
  const rule: BoostRule = {
    iterations: Number(p.iterations),
    learningRate: Number(p.learningRate),
    maxLeafNodes: limit(p.maxLeafNodes),
    maxDepth: limit(p.maxDepth),
    minSamplesLeaf: Number(p.minSamplesLeaf),
    maxFeatures: resolveMaxFeatures(p.maxFeatures as MaxFeatures, features),
    l2: Number(p.l2),
    subsample: Number(p.subsample),
    loss: classification ? 'log_loss' : 'squared_error',
    ...(classification ? { classes } : {}),
  };
  if (p.earlyStopping === 'on' || (p.earlyStopping === 'auto' && trainRows > AUTO_EARLY_STOPPING_ROWS)) {
    rule.earlyStopping = { fraction: Number(p.validationFraction), patience: Number(p.nIterNoChange), tol: EARLY_STOPPING_TOL };
  }
  if (rule.maxLeafNodes === Infinity && rule.maxDepth === Infinity) throw new ModelError('gradient boosting needs --max-leaf-nodes or --max-depth to bound its trees');
  return { params: p, rule, maxBins: Number(p.maxBins) };
}

/**
 * A fitted boosted model: per output, the baseline plus its trees' values, summed in tree order (K outputs: tree t
 * belongs to class t mod K).
 */
export class FittedBoosted implements FittedModel {
  readonly kind = 'gbt' as const;
  constructor(
    readonly params: Params,
    readonly features: readonly string[],
    readonly loss: BoostLoss,
    readonly baseline: Float64Array,
    readonly trees: readonly PredictTree[],
    readonly importances: Float64Array,
    readonly classes?: readonly string[],
    readonly bins: SetBins = [],
  ) {}

  featureImportances(): Float64Array {
    return this.importances;
  }

  /** The raw scores (rows × outputs): the prediction (squared error), the log-odds of class 1, or each class's score. */
  raw(data: Dataset, rows: Uint32Array): Float64Array {
    if (data.featureNames.length !== this.features.length) {
      throw new ModelError(`the model was fitted on ${this.features.length} features, the data has ${data.featureNames.length}`);
    }
    const K = this.baseline.length;
    const out = new Float64Array(rows.length * K);
    const one = new Float64Array(K === 1 ? 0 : rows.length);
    for (let i = 0; i < this.trees.length; i++) this.addTree(i, data, rows, out, one);
    for (let k = 0; k < out.length; k++) out[k] += this.baseline[k % K];
    return out;
  }

  /** sum[k·K + c] += tree i's value of rows[k] (c = i mod K); `one` is a buffer of rows.length when K > 1. */
  private addTree(i: number, data: Dataset, rows: Uint32Array, sum: Float64Array, one: Float64Array): void {
    const K = this.baseline.length;
    const tree = this.trees[i];
    if (K === 1) {
      addTreePredictions(tree, data.x, data.rows, rows, sum, this.bins);
      return;
    }
    one.fill(0);
    addTreePredictions(tree, data.x, data.rows, rows, one, this.bins);
    const c = i % K;
    for (let k = 0; k < rows.length; k++) sum[k * K + c] += one[k];
  }

  predict(data: Dataset, rows: Uint32Array): Float64Array {
    if (!this.classes) return this.raw(data, rows);
    return Float64Array.from(predictedClasses(this.predictProba(data, rows), this.classes.length));
  }

  predictProba(data: Dataset, rows: Uint32Array): Float64Array {
    if (!this.classes) throw new ModelError('a regression gives no class probabilities');
    return this.probabilities(this.raw(data, rows), rows.length);
  }

  /** Class probabilities (rows × classes) of raw scores: a softmax, or the sigmoid of one log-odds (raw may be reused). */
  private probabilities(raw: Float64Array, n: number): Float64Array {
    const K = this.baseline.length;
    if (K > 1) {
      softmax(raw, n, K, raw);
      return raw;
    }
    const out = new Float64Array(n * 2);
    for (let k = 0; k < n; k++) {
      const p = 1 / (1 + Math.exp(-raw[k]));
      out[2 * k] = 1 - p;
      out[2 * k + 1] = p;
    }
    return out;
  }

  /**
   * The rows' metrics after each iteration: r2 and rmse, or log loss and accuracy. The scores are summed as raw()
   * sums them (addTree from zero, the baseline added last), so the last point is the task's metric, bit for bit.
   */
  trainingCurve(data: Dataset, rows: Uint32Array, truth: Float64Array): TrainingCurve[] {
    const K = this.baseline.length;
    const n = rows.length;
    const iterations = this.trees.length / K;
    const sum = new Float64Array(n * K);
    const one = new Float64Array(K === 1 ? 0 : n);
    const scores = new Float64Array(n * K);
    const names = this.classes ? ['log_loss', 'accuracy'] : ['r2', 'rmse'];
    const values = names.map(() => new Array<number>(iterations));
    for (let it = 0; it < iterations; it++) {
      for (let c = 0; c < K; c++) this.addTree(it * K + c, data, rows, sum, one);
      for (let k = 0; k < sum.length; k++) scores[k] = sum[k] + this.baseline[k % K];
      if (!this.classes) {
        const m = allMetrics(truth, scores);
        values[0][it] = m.r2;
        values[1][it] = m.rmse;
      } else {
        const C = this.classes.length;
        const proba = this.probabilities(scores, n);
        values[0][it] = logLoss(truth, proba, C);
        values[1][it] = accuracy(truth, predictedClasses(proba, C));
      }
    }
    return names.map((metric, i) => ({ metric, values: values[i] }));
  }

  toJSON(): SavedModel {
    return {
      model: 'gbt',
      params: this.params,
      features: [...this.features],
      ...(this.classes ? { classes: [...this.classes] } : {}),
      loss: this.loss,
      // One number, or one per class (more than two classes).
      baseline: this.baseline.length === 1 ? this.baseline[0] : Array.from(this.baseline),
      ...treesJson(this.trees, this.bins),
      importances: Array.from(this.importances),
    };
  }
}

function fit(input: FitInput, params: Params): FittedBoosted {
  const { data } = input;
  const classes = classCount(data);
  if (data.featureNames.length === 0) throw new ModelError('gradient boosting needs at least one feature');
  if (input.train.length === 0) throw new ModelError('gradient boosting needs at least one training row');
  const { params: full, rule, maxBins } = boostOptions(params, data.featureNames.length, classes, input.train.length);
  const binned = cachedBins(data, maxBins, input.cache);
  const { baseline, trees } = nestedFit(input, full, (from) => fitBoosted(binned, data.y, input.train, input.seed, rule, from));
  return boostedModel(full, data, rule, baseline, trees, binned.thresholds);
}

/** The fitted model of boosted trees grown on the data's bins with these thresholds (here, or by the native workers). */
export function boostedModel(full: Params, data: Dataset, rule: BoostRule, baseline: Float64Array, trees: TreeArrays[], thresholds: readonly Float64Array[]): FittedBoosted {
  const F = data.featureNames.length;
  return new FittedBoosted(full, data.featureNames, rule.loss, baseline, trees, featureImportancesOf(trees, F), data.classes, forestBins(trees, F, thresholds));
}

/**
 * What fits of these (filled-in) parameters share whatever their iterations: a longer fit holds every shorter one
 * (nestedFit here; the native driver's one fit per family and fold).
 */
export function boostFamily(params: Params): string {
  const { iterations: _, ...rest } = params;
  return JSON.stringify(rest);
}

/**
 * The fit of `rule.iterations` iterations, continuing the longest fit this thread made of the same rows, seed and
 * parameters but iterations (a grid or halving over --iterations grows each fold's model once, as the forest's
 * `--trees` sweep does): tree i depends only on (seed, i, rows, predictions so far), so the bits are a fresh fit's.
 */
function nestedFit(input: FitInput, params: Params, grow: (from?: Boosted) => Boosted): Boosted {
  if (!input.cache) return grow();
  const fits = nestedFits<Boosted>(input.cache, 'boost-fits', input);
  const key = `${input.seed}|${boostFamily(params)}`;
  const have = fits.get(key);
  const fit = grow(have);
  if (have && have.trees.length >= fit.trees.length) return fit;
  const nodes = (b: Boosted | undefined): number => b?.trees.reduce((a, t) => a + t.nodes, 0) ?? 0;
  fits.keep(key, fit, nodes(fit) - nodes(have));
  return fit;
}

function load(json: SavedModel): FittedBoosted {
  const bad = (what: string): never => {
    throw new ModelError(`not a saved gradient-boosted model: ${what}`);
  };
  if (json.model !== 'gbt') bad(`model is ${JSON.stringify(json.model)}, expected "gbt"`);
  if (json.loss !== 'squared_error' && json.loss !== 'log_loss') bad('loss must be "squared_error" or "log_loss"');
  const classes = json.classes;
  if ((json.loss === 'log_loss') !== (classes !== undefined)) bad('a log_loss model has classes and a squared_error one none');
  if (classes !== undefined && !(Array.isArray(classes) && classes.length >= 2 && classes.every((c) => typeof c === 'string'))) bad('classes must be a list of at least 2 class names');
  const K = classes !== undefined && classes.length > 2 ? classes.length : 1;
  const raw = K === 1 ? [json.baseline] : json.baseline;
  if (!(Array.isArray(raw) && raw.length === K && raw.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    bad(K === 1 ? 'baseline must be a finite number' : `baseline must be ${K} finite numbers, one per class`);
  }
  const { trees, importances, bins } = loadForestTrees(json, 1, bad);
  if (trees.length % K !== 0) bad(`trees must hold one tree per class (${K}) per iteration`);
  return new FittedBoosted(json.params, json.features, json.loss as BoostLoss, Float64Array.from(raw as number[]), trees, importances, classes, bins);
}

export const gradientBoosting: ModelDefinition = {
  kind: 'gbt',
  title: 'gradient-boosted trees',
  tasks: ['regression', 'classification'],
  params: GBT_PARAMS,
  fit,
  load,
};
