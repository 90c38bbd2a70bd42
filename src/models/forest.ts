/**
 * The random forest (Spark MLlib parameter names, scikit-learn semantics): a regressor, or on a classification a
 * classifier whose trees count classes per node (Gini or entropy) and whose leaves hold class probabilities; the
 * forest's probabilities are the mean of its trees' (scikit-learn's rule, not a majority vote). A thin model over
 * the histogram tree core in src/tree. Fitting bins the features and quantizes the labels once per dataset (cached
 * per thread), then grows numTrees trees; tree t depends only on (seed, t, params, training rows), so any
 * strategy may grow the trees in any order or place and get the same forest.
 */
import { classCount, type Dataset } from '../data/dataset.js';
import { ModelError } from '../errors.js';
import { predictedClasses } from '../eval/classification.js';
import { cachedBins, type BinnedData } from '../tree/binning.js';
import { GrowWorkspace, growTree, type GrowInput, type TreeRule } from '../tree/grower.js';
import { cachedLabels, labelWidth, type QuantizedLabels } from '../tree/labels.js';
import { featureImportancesOf, predictForest, type PredictTree, type SetBins } from '../tree/predict.js';
import { SET_WORDS, type TreeArrays } from '../tree/tree.js';
import type { FitInput, FittedModel, ModelDefinition, SavedModel } from './model.js';
import { resolveMaxFeatures, type MaxFeatures, type Params } from './params.js';
import { FOREST_PARAMS, defaultParams } from './specs.js';
import { nestedFits } from './nested.js';

export interface ForestOptions {
  numTrees: number;
  maxBins: number;
  rule: TreeRule;
}

/**
 * Fill defaults (a classifier's on a classification) and resolve the parameters the tree core needs (values were
 * validated by parseParamValue).
 */
export function forestOptions(params: Params, features: number, classification = false): { params: Params; options: ForestOptions } {
  const p: Params = { ...defaultParams('rf', classification ? 'classification' : 'regression'), ...params };
  const maxDepth = p.maxDepth === 'none' ? Infinity : Number(p.maxDepth);
  const options: ForestOptions = {
    numTrees: Number(p.numTrees),
    maxBins: Number(p.maxBins),
    rule: {
      maxDepth,
      maxFeatures: resolveMaxFeatures(p.maxFeatures as MaxFeatures, features),
      minSamplesLeaf: Number(p.minSamplesLeaf),
      bootstrap: p.bootstrap === true || p.bootstrap === 'true',
      criterion: p.criterion === 'entropy' ? 'entropy' : 'gini',
    },
  };
  return { params: p, options };
}

/** Everything tree growing needs for one (dataset, fold, params): binned data from the cache, labels, rows. */
export function prepareGrowInput(input: FitInput, options: ForestOptions): GrowInput {
  if (input.data.featureNames.length === 0) throw new ModelError('a random forest needs at least one feature');
  if (input.train.length === 0) throw new ModelError('a random forest needs at least one training row');
  const binned: BinnedData = cachedBins(input.data, options.maxBins, input.cache);
  const labels: QuantizedLabels = cachedLabels(input.data.y, input.cache, classCount(input.data));
  return { binned, labels, train: input.train, seed: input.seed, rule: options.rule };
}

/** Grow the given trees (by index) with one workspace: what a thread does with its share of a forest. */
export function growTrees(input: GrowInput, treeIndices: Iterable<number>, ws: GrowWorkspace = new GrowWorkspace(input)): TreeArrays[] {
  const out: TreeArrays[] = [];
  for (const t of treeIndices) out.push(growTree(input, t, ws));
  return out;
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Class probabilities (rows × classes) from a classifier forest's mean tree values (rows × width, tree.ts): two
 * classes keep P(class 1), more keep P(class 1…K−1); class 0 has the rest (never below 0).
 */
export function forestProbabilities(raw: Float64Array, classes: number): Float64Array {
  const W = labelWidth(classes);
  const n = raw.length / W;
  const out = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    let rest = 1;
    for (let j = 0; j < W; j++) {
      const p = raw[i * W + j];
      out[i * classes + j + 1] = p;
      rest -= p;
    }
    out[i * classes] = Math.max(0, rest);
  }
  return out;
}

/** A fitted forest: trees in tree order (prediction sums them in that order). */
export class FittedForest implements FittedModel {
  readonly kind = 'rf' as const;
  constructor(
    readonly params: Params,
    readonly features: readonly string[],
    readonly trees: readonly PredictTree[],
    readonly importances: Float64Array,
    /** A classifier's class names (absent: a regressor). */
    readonly classes?: readonly string[],
    /** The bin thresholds of the features a split on a set of bins reads (predict.ts SetBins). */
    readonly bins: SetBins = [],
  ) {}

  featureImportances(): Float64Array {
    return this.importances;
  }

  private raw(data: Dataset, rows: Uint32Array): Float64Array {
    if (data.featureNames.length !== this.features.length) {
      throw new ModelError(`the forest was fitted on ${this.features.length} features, the data has ${data.featureNames.length}`);
    }
    return predictForest(this.trees, data.x, data.rows, rows, this.bins);
  }

  /** A regressor's predictions; a classifier's most probable class (index into `classes`) per row. */
  predict(data: Dataset, rows: Uint32Array): Float64Array {
    if (!this.classes) return this.raw(data, rows);
    return Float64Array.from(predictedClasses(this.predictProba(data, rows), this.classes.length));
  }

  predictProba(data: Dataset, rows: Uint32Array): Float64Array {
    if (!this.classes) throw new ModelError('a regression forest gives no class probabilities');
    return forestProbabilities(this.raw(data, rows), this.classes.length);
  }

  toJSON(): SavedModel {
    return {
      model: 'rf',
      params: this.params,
      features: [...this.features],
      ...(this.classes ? { classes: [...this.classes] } : {}),
      ...treesJson(this.trees, this.bins),
      importances: Array.from(this.importances),
    };
  }
}

/**
 * Saved trees as flat arrays per tree (the forest's and the boosted model's format): a split on a set of bins has
 * its set's index (−1 for the others) and the sets, 8 words of 32 bits each; `bins` holds the thresholds of the
 * features those splits read (null for the others), absent when there is none.
 */
export function treesJson(trees: readonly PredictTree[], bins: SetBins): { trees: Record<string, number[] | (number | null)[]>[]; bins?: (number[] | null)[] } {
  return {
    trees: trees.map((t) => ({
      feature: Array.from(t.feature),
      threshold: Array.from(t.threshold, (v) => (Number.isNaN(v) ? null : v)),
      left: Array.from(t.left),
      right: Array.from(t.right),
      value: Array.from(t.value),
      ...(t.sets.length > 0 ? { set: Array.from(t.set), sets: Array.from(t.sets) } : {}),
    })),
    ...(bins.some((b) => b !== undefined) ? { bins: Array.from(bins, (b) => (b ? Array.from(b) : null)) } : {}),
  };
}

/** The bins of the features the trees' set splits read (predict.ts SetBins; empty when there is none), from those they were grown on. */
export function forestBins(trees: readonly TreeArrays[], features: number, thresholds: readonly Float64Array[]): SetBins {
  const read = new Uint8Array(features);
  for (const t of trees) for (let i = 0; i < t.set.length; i++) if (t.set[i] >= 0) read[t.feature[i]] = 1;
  if (!read.some(Boolean)) return [];
  const bins = Array.from(read, (r, j) => (r ? thresholds[j] : undefined));
  if (bins.some((b, j) => read[j] === 1 && b === undefined)) throw new ModelError('trees with splits on sets of bins need the bins they were grown on');
  return bins;
}

/**
 * A forest from grown trees (in tree order); `classes` for a classifier. `thresholds` are the bins the trees were
 * grown on: the forest keeps those of the features its set splits read.
 */
export function assembleForest(params: Params, features: readonly string[], trees: readonly TreeArrays[], classes?: readonly string[], thresholds: readonly Float64Array[] = []): FittedForest {
  return new FittedForest(params, features, trees, featureImportancesOf(trees, features.length), classes, forestBins(trees, features.length, thresholds));
}

function fit(input: FitInput, params: Params): FittedForest {
  const { params: full, options } = forestOptions(params, input.data.featureNames.length, input.data.classes !== undefined);
  const grow = prepareGrowInput(input, options);
  return assembleForest(full, input.data.featureNames, reusedTrees(input, grow, options), input.data.classes, grow.binned.thresholds);
}

/**
 * The thread's grow workspace, reused when it fits this fit (same binned table, room for as many training
 * rows): a sweep's fits then allocate no buffers (growTree overwrites everything it reads).
 */
function cachedWorkspace(cache: Map<string, unknown>, grow: GrowInput): GrowWorkspace {
  const hit = cache.get('grow-workspace') as { binned: BinnedData; rows: number; ws: GrowWorkspace } | undefined;
  if (hit && hit.binned === grow.binned && hit.rows >= grow.train.length) return hit.ws;
  const ws = new GrowWorkspace(grow);
  cache.set('grow-workspace', { binned: grow.binned, rows: grow.train.length, ws });
  return ws;
}

/**
 * Trees 0..numTrees−1 of this forest, reusing those a previous fit in this thread grew. Tree t depends only on
 * (seed, t, tree parameters, training rows) (grower.ts), so the forests of a `--trees 10,20,50` sweep on one
 * fold are prefixes of one another: the 50-tree forest reuses the 20 trees of the 20-tree one, bit for bit.
 * Kept per fold and thread (nested.ts).
 */
function reusedTrees(input: FitInput, grow: GrowInput, options: ForestOptions): TreeArrays[] {
  const cache = input.cache;
  if (!cache) return growTrees(grow, range(options.numTrees));
  if (options.numTrees <= 0) return [];
  const fits = nestedFits<TreeArrays[]>(cache, 'forest-trees', input);
  const { rule } = options;
  const key = `${input.seed}|${options.maxBins}|${rule.maxDepth}|${rule.maxFeatures}|${rule.minSamplesLeaf}|${rule.bootstrap}|${rule.criterion}|${grow.labels.classes}`;
  const have = fits.get(key) ?? [];
  const n = options.numTrees;
  if (have.length >= n) return have.slice(0, n);
  const grown = growTrees(grow, range(n).slice(have.length), cachedWorkspace(cache, grow));
  const all = have.concat(grown);
  fits.keep(key, all, grown.reduce((a, t) => a + t.nodes, 0));
  return all;
}

function load(json: SavedModel): FittedForest {
  const bad = (what: string): never => {
    throw new ModelError(`not a saved random forest: ${what}`);
  };
  if (json.model !== 'rf') bad(`model is ${JSON.stringify(json.model)}, expected "rf"`);
  if (!Array.isArray(json.features)) bad('features is missing');
  const classes = json.classes;
  if (classes !== undefined && !(Array.isArray(classes) && classes.length >= 2 && classes.every((c) => typeof c === 'string'))) bad('classes must be a list of at least 2 class names');
  const width = classes === undefined ? 1 : labelWidth(classes.length);
  const { trees, importances, bins } = loadForestTrees(json, width, bad);
  return new FittedForest(json.params, json.features, trees, importances, classes, bins);
}

/**
 * The trees, importances and bins of a saved forest or boosted model (treesJson), every element checked before it
 * is converted; `width` values per node; `bad` throws the model's own error.
 */
export function loadForestTrees(json: SavedModel, width: number, bad: (what: string) => never): { trees: PredictTree[]; importances: Float64Array; bins: SetBins } {
  if (!Array.isArray(json.features)) bad('features is missing');
  const trees = json.trees;
  if (!Array.isArray(trees) || trees.length === 0) bad('trees is missing or empty');
  const nf = json.features.length;
  const bins = loadBins(json.bins, nf, bad);
  const loaded = (trees as unknown[]).map((raw, i): PredictTree => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return bad(`trees[${i}] is not an object`);
    const t = raw as Record<string, unknown>;
    const arr = (k: string): unknown[] => (Array.isArray(t[k]) ? (t[k] as unknown[]) : bad(`trees[${i}].${k} is missing`));
    // Every element checked before it is converted: Int32Array.from would wrap 2^32 + 1 to 1, Float64Array.from
    // would turn "abc" into NaN.
    const ints = (k: string, min: number, max: number): Int32Array => {
      const a = arr(k);
      const out = new Int32Array(a.length);
      for (let n = 0; n < a.length; n++) {
        const v = a[n];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(`trees[${i}].${k}[${n}] is ${JSON.stringify(v) ?? String(v)}, expected an integer from ${min} to ${max}`);
        out[n] = v as number;
      }
      return out;
    };
    const nums = (k: string, leafNull: boolean): Float64Array => {
      const a = arr(k);
      const out = new Float64Array(a.length);
      for (let n = 0; n < a.length; n++) {
        const v = a[n];
        if (v === null && leafNull) out[n] = NaN;
        else if (typeof v === 'number' && Number.isFinite(v)) out[n] = v;
        else bad(`trees[${i}].${k}[${n}] is ${JSON.stringify(v) ?? String(v)}, expected a finite number`);
      }
      return out;
    };
    const n = arr('feature').length;
    const hasSets = t.set !== undefined || t.sets !== undefined;
    const tree = {
      feature: ints('feature', -1, 2 ** 31 - 1),
      threshold: nums('threshold', true),
      left: ints('left', -1, 2 ** 31 - 1),
      right: ints('right', -1, 2 ** 31 - 1),
      value: nums('value', false),
      set: hasSets ? ints('set', -1, 2 ** 31 - 1) : new Int32Array(0),
      sets: hasSets ? ints('sets', -(2 ** 31), 2 ** 31 - 1) : new Int32Array(0),
    };
    if (n === 0 || tree.threshold.length !== n || tree.left.length !== n || tree.right.length !== n || tree.value.length !== n * width || (hasSets && tree.set.length !== n)) {
      bad(`trees[${i}] arrays differ in length or are empty`);
    }
    if (tree.sets.length % SET_WORDS !== 0) bad(`trees[${i}].sets holds ${tree.sets.length} numbers, not ${SET_WORDS} per set`);
    for (let k = 0; k < n; k++) {
      const l = tree.left[k];
      const r = tree.right[k];
      const leaf = l < 0;
      if (leaf ? r >= 0 : !(l > k && l < n && r > k && r < n && tree.feature[k] >= 0 && tree.feature[k] < nf)) {
        bad(`trees[${i}] node ${k} has invalid children or feature`);
      }
      const q = hasSets ? tree.set[k] : -1;
      if (q >= 0 && (leaf || q >= tree.sets.length / SET_WORDS)) bad(`trees[${i}] node ${k} has set ${q}, not one of the tree's ${tree.sets.length / SET_WORDS} sets of a split`);
      if (q >= 0 && !bins[tree.feature[k]]) bad(`trees[${i}] node ${k} splits feature ${tree.feature[k]} on a set of bins, but bins has none for it`);
      if (!leaf && q < 0 && Number.isNaN(tree.threshold[k])) bad(`trees[${i}] node ${k} is a split without a threshold`);
    }
    return tree;
  });
  const imp = json.importances;
  if (imp !== undefined && !(Array.isArray(imp) && imp.length === nf && imp.every((v) => typeof v === 'number' && Number.isFinite(v)))) bad('importances must be one finite number per feature');
  const importances = Array.isArray(imp) ? Float64Array.from(imp as number[]) : new Float64Array(nf);
  return { trees: loaded, importances, bins };
}

/** A saved forest's `bins`: per feature null or ascending finite thresholds (at most 255; binning.ts). */
function loadBins(raw: unknown, features: number, bad: (what: string) => never): (Float64Array | undefined)[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length !== features) return bad(`bins must hold one entry per feature (${features})`);
  return raw.map((b, j) => {
    if (b === null) return undefined;
    const ok = Array.isArray(b) && b.length <= 255 && b.every((v, k) => typeof v === 'number' && Number.isFinite(v) && (k === 0 || v > b[k - 1]));
    return ok ? Float64Array.from(b as number[]) : bad(`bins[${j}] must be null or at most 255 ascending finite thresholds`);
  });
}

export const randomForest: ModelDefinition = {
  kind: 'rf',
  title: 'random forest',
  tasks: ['regression', 'classification'],
  params: FOREST_PARAMS,
  fit,
  load,
};

/** Impurity-based feature importances of a fitted forest (scikit-learn's feature_importances_), by feature. */
export function featureImportances(model: FittedModel): Float64Array {
  if (!(model instanceof FittedForest)) throw new ModelError('feature importances need a fitted random forest');
  return model.importances;
}
