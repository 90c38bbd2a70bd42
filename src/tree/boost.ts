/**
 * Gradient boosting on the histogram tree core, as scikit-learn's HistGradientBoosting: trees grown best-first
 * (leaf-wise, up to maxLeafNodes leaves) on the gradients and Hessians of the loss at the current predictions, each
 * tree's leaf values −G/(H + λ) shrunk by the learning rate and added to the predictions.
 *
 * EXACT SUMS. Gradients and Hessians are real numbers, so their histogram sums would depend on the order rows are
 * added in — the one thing the strategies (and the partitions of the native one) do not share. They are quantised
 * per iteration to integers of at most QUANT_LEVELS in magnitude (LightGBM's quantized training, Shi et al.,
 * NeurIPS 2022), with stochastic rounding keyed by (seed, iteration, row): g/scale is rounded up with probability
 * equal to its fractional part, so the rounding is unbiased and the same wherever the row is. Every histogram entry
 * is then an integer below 2^53, exact in any order, and the split search (splitter.ts: w = Σ Hessians,
 * s = Σ gradients) and the leaf values read the same numbers in every place. Squared error has Hessian 1 for every
 * row: it is not quantised (its scale is 1). The levels are many more than LightGBM's 4–16 bits: the cost of
 * rounding (a leaf's sum moves by about √rows/2 levels of a scale of max|g|/QUANT_LEVELS) stays far inside the
 * fold noise, which the accuracy tests check against scikit-learn.
 *
 * Leaf-wise growth follows scikit-learn's TreeGrower: the root's best split is found; then, while fewer than
 * maxLeafNodes leaves exist, the splittable leaf with the largest gain is split (ties: the leaf made first) and its
 * children's best splits are found (a child at maxDepth, or with fewer than 2·minSamplesLeaf rows, is a leaf).
 * The smaller child's histogram is scanned, the larger one's is its parent's minus it.
 */
import { ModelError } from '../errors.js';
import { hashFinish, hashPrefix, uniform01 } from '../util/random.js';
import type { BinnedData } from './binning.js';
import { recordSplit, treeSeed } from './grower.js';
import { histogramLength, histogramTotals, SMALL_INTEGER, subtractHistogram } from './histogram.js';
import { chooseSplit, childKey, emptySplit, ROOT_KEY, SplitScratch, type Split } from './splitter.js';
import { goesLeft, toPreorder, TreeBuilder, type TreeArrays } from './tree.js';

/** Quantised gradients and Hessians have magnitudes up to this (15 bits; sums stay exact up to 2^38 rows). */
// The histograms' packed sums (histogram.ts) rely on this bound: it is their SMALL_INTEGER.
export const QUANT_LEVELS = SMALL_INTEGER;
/** Salts of the keyed draws: gradient rounding, Hessian rounding, the row subsample. */
export const GRAD_SALT = 0x67726164;
export const HESS_SALT = 0x68657373;
const SUBSAMPLE_SALT = 0x73756273;
const VALIDATION_SALT = 0x76616c69;
/** scikit-learn's min_hessian_to_split, in real units. */
const MIN_HESSIAN = 1e-3;

export type BoostLoss = 'squared_error' | 'log_loss';

export interface BoostRule {
  iterations: number;
  learningRate: number;
  /** Infinity: no limit (then maxDepth must bound the trees). */
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  /** Features tried per split, already resolved (1..features). */
  maxFeatures: number;
  /** L2 penalty on leaf values (scikit-learn's l2_regularization), real units. */
  l2: number;
  /** Fraction of the training rows each tree is grown on (keyed by seed, iteration, row); 1: all. */
  subsample: number;
  loss: BoostLoss;
  /** Log loss: the number of classes (y holds class indices); more than 2 grows one tree per class per iteration. */
  classes?: number;
  /** Stop when the loss on a keyed validation part of the training rows stops improving (scikit-learn's rule). */
  earlyStopping?: EarlyStopping;
  /**
   * false: histograms of the real gradients and Hessians, unquantised — only to measure what quantisation costs
   * (test/models/gbt-accuracy.test.ts); such float sums depend on the order rows are added in, so a model fitted so
   * is reproducible in one thread only. Never set by boostOptions.
   */
  quantise?: boolean;
}

/**
 * scikit-learn's early stopping on the loss: `fraction` of the training rows (keyed by seed and row) are held out;
 * after each iteration their loss is scored, and the fit stops once none of the last `patience` scores beats the
 * one before them by more than `tol` (the score before the first tree counts).
 */
export interface EarlyStopping {
  fraction: number;
  patience: number;
  tol: number;
}

/** Raw scores per row: 1, or one per class for log loss with more than two classes (softmax). */
export function boostOutputs(rule: Pick<BoostRule, 'loss' | 'classes'>): number {
  return rule.loss === 'log_loss' && (rule.classes ?? 2) > 2 ? rule.classes! : 1;
}

/**
 * Round values[k] / scale to an integer, up with probability equal to its fractional part (keyed by seed,
 * iteration, the global row rows[k] + offset and salt), into out[rows[k]]; returns the scale (quantScale of the
 * values' largest magnitude unless given: a native fit's is over every worker's rows).
 */
export function quantizeStochastic(values: Float64Array, rows: Uint32Array, seed: number, iteration: number, salt: number, out: Float64Array, offset = 0, scale = quantScale(maxAbs(values))): number {
  // uniform01(seed, iteration, row, salt) with its (seed, iteration) part hashed once; the rounding is up exactly
  // when u < frac, which is ceil(frac − u) (frac − u lies in (−1, 1) and is positive exactly when frac > u): the
  // same choice without a branch that would be mispredicted about half the time.
  const prefix = hashPrefix(seed, iteration);
  for (let k = 0; k < values.length; k++) {
    const row = rows[k];
    const v = values[k] / scale;
    const fl = Math.floor(v);
    out[row] = fl + Math.ceil(v - fl - hashFinish(prefix, row + offset, salt) / 4294967296);
  }
  return scale;
}

/** The scale of quantised values whose largest magnitude is max: max / QUANT_LEVELS (1 when all are zero). */
export function quantScale(max: number): number {
  return max > 0 ? max / QUANT_LEVELS : 1;
}

export function maxAbs(values: Float64Array): number {
  let max = 0;
  for (let k = 0; k < values.length; k++) max = Math.max(max, Math.abs(values[k]));
  return max;
}

/**
 * The starting raw scores of the training rows: the mean (squared error), the log-odds of class 1 (two classes), or
 * each class's log share (more classes: softmax of them is the class shares).
 */
export function boostBaseline(y: Float64Array, train: Uint32Array, rule: Pick<BoostRule, 'loss' | 'classes'>): Float64Array {
  const K = boostOutputs(rule);
  const clip = (p: number): number => Math.min(1 - 1e-15, Math.max(1e-15, p));
  if (K > 1) {
    const count = new Float64Array(K);
    for (let k = 0; k < train.length; k++) count[y[train[k]]]++;
    return count.map((c) => Math.log(clip(c / Math.max(1, train.length))));
  }
  let sum = 0;
  for (let k = 0; k < train.length; k++) sum += y[train[k]];
  const mean = train.length > 0 ? sum / train.length : 0;
  if (rule.loss === 'squared_error') return Float64Array.of(mean);
  const p = clip(mean);
  return Float64Array.of(Math.log(p / (1 - p)));
}

/**
 * What one fit grows: the baseline (one raw score per output), the trees (leaf values already shrunk) in order —
 * with K outputs, iteration i's tree for class c is trees[i·K + c] — and the training rows' raw scores after the last
 * tree (row train[k], output c at raw[k·K + c]), from which a longer fit continues.
 */
export interface Boosted {
  baseline: Float64Array;
  trees: TreeArrays[];
  raw: Float64Array;
  /** Early stopping: the held-out rows' raw scores, their loss before the first tree and after each iteration, and whether it stopped. */
  validation?: { raw: Float64Array; losses: number[]; stopped: boolean };
}

/**
 * WHERE THE ROWS ARE. The algorithm below decides everything (the scales, the splits, the leaf values, when to
 * stop) from histograms and a few maxima; the rows it learns from, their raw scores and gradients live in a
 * BoostRows: one thread's (boost-rows.ts, every strategy but native) or a native sweep's workers, each holding its
 * partitions' rows (strategies/native). The algorithm is a generator of BoostCalls, answered by whoever holds the
 * rows (runBoost here; the native driver awaits each call), so there is one copy of it. Every answer is exact
 * (histograms of integers, maxima), so where the rows are never changes a bit of the model.
 */
export interface BoostRows {
  /**
   * The gradients (and Hessians) of tree t = iteration·K + cls at the rows' raw scores, kept until the tree is grown;
   * returns their largest magnitudes over the training rows. At cls 0 the iteration's subsample is drawn (keyed by
   * seed, iteration, row) and, with K > 1, the softmax of the raw scores taken for all K trees of the iteration.
   */
  gradients(t: number, iteration: number, cls: number): GradientMax;
  /** Quantise the gradients with these scales (keyed by seed, t, row) and fill `hist` from the tree's rows (the root, node 0). */
  root(gScale: number, hScale: number, hist: Float64Array): void;
  /** Send node's rows to `left` and `right` by the split; fill `hist` from the rows of one side (null: no histogram). */
  split(node: number, left: number, right: number, split: Split, scanLeft: boolean, hist: Float64Array | null): void;
  /**
   * The tree is grown: add leafValues[id] (NaN for a split node) to the raw scores (output cls) of the rows each leaf
   * holds, and route the rows the subsample left out through `tree` (pre-order) for theirs.
   */
  leaves(leafValues: Float64Array, tree: RoutedTree, cls: number): void;
}

export interface GradientMax {
  g: number;
  h: number;
}

/** What routing a row on its bin codes to its leaf value reads of a tree. */
export type RoutedTree = Pick<TreeArrays, 'feature' | 'binThreshold' | 'left' | 'right' | 'value' | 'set' | 'sets'>;

/** One call of the algorithm on the rows (BoostRows method and arguments). */
export type BoostCall = { [K in keyof BoostRows]: { call: K; args: Parameters<BoostRows[K]> } }[keyof BoostRows];

/** What the held-out rows of early stopping need where the algorithm runs: their codes, labels and raw scores. */
export interface ValidationRows {
  /** A binned table holding their codes, and which of its rows they are (in the order of `rows`). */
  binned: BinnedData;
  at: Uint32Array;
  /** Their global rows (y[rows[k]] is row k's label). */
  rows: Uint32Array;
  raw: Float64Array;
  losses: number[];
}

/** Answer one call synchronously. */
export function answerCall(rows: BoostRows, c: BoostCall): GradientMax | undefined {
  switch (c.call) {
    case 'gradients':
      return rows.gradients(...c.args);
    case 'root':
      rows.root(...c.args);
      return undefined;
    case 'split':
      rows.split(...c.args);
      return undefined;
    case 'leaves':
      rows.leaves(...c.args);
      return undefined;
  }
}

/** Run the algorithm on rows held here. */
export function runBoost(steps: Generator<BoostCall, BoostGrown, GradientMax | undefined>, rows: BoostRows): BoostGrown {
  let step = steps.next();
  while (!step.done) step = steps.next(answerCall(rows, step.value));
  return step.value;
}

/** The trees of a fit and, under early stopping, its held-out losses. */
export interface BoostGrown {
  trees: TreeArrays[];
  validation?: { losses: number[]; stopped: boolean };
}

/**
 * Grow trees until `rule.iterations` (continuing `trees`, the trees of a shorter fit of the same rows): the calls
 * the rows answer, yielded in order. `binned` needs only the bins (thresholds, layout, flags), never codes.
 */
export function* boostSteps(binned: BinnedData, y: Float64Array, seed: number, rule: BoostRule, trees: TreeArrays[], validation?: ValidationRows): Generator<BoostCall, BoostGrown, GradientMax | undefined> {
  const K = boostOutputs(rule);
  const pool: Float64Array[] = [];
  const scratch = new SplitScratch(binned.features, 1);
  const unit = rule.loss === 'squared_error';
  let stopped = false;
  for (let it = trees.length / K; it < rule.iterations && !stopped; it++) {
    for (let c = 0; c < K; c++) {
      // Tree t = it·K + c: its own keys for the rounding and the feature order.
      const t = it * K + c;
      const max = (yield { call: 'gradients', args: [t, it, c] })!;
      // Squared error's Hessians are all 1 (not quantised; the histograms take w from n).
      const quantised = rule.quantise !== false;
      const gScale = quantised ? quantScale(max.g) : 1;
      const hScale = unit || !quantised ? 1 : quantScale(max.h);
      const { tree, leafValues } = yield* growLeafwise(binned, pool, scratch, treeSeed(seed, t) | 0, rule, gScale, hScale);
      trees.push(tree);
      yield { call: 'leaves', args: [leafValues, tree, c] };
      if (validation) addBinnedTree(tree, validation.binned, validation.at, validation.raw, K, c);
    }
    if (validation) stopped = shouldStop(validation.losses, boostLoss(y, validation.rows, validation.raw, rule), rule.earlyStopping!);
  }
  return { trees, ...(validation ? { validation: { losses: validation.losses, stopped } } : {}) };
}

/** The baseline's scores for n rows (row k's K outputs at k·K). */
export function startingScores(baseline: Float64Array, n: number): Float64Array {
  const K = baseline.length;
  const raw = new Float64Array(n * K);
  for (let k = 0; k < n; k++) raw.set(baseline, k * K);
  return raw;
}

/** The training rows and, under early stopping, the held-out ones (keyed by seed and row; both ascending). */
export function splitValidation(rows: Uint32Array, seed: number, es: EarlyStopping | undefined): { train: Uint32Array; held: Uint32Array } {
  if (!es) return { train: rows, held: new Uint32Array(0) };
  const isHeld = Uint8Array.from(rows, (i) => (isValidationRow(seed, i, es.fraction) ? 1 : 0));
  const out = rows.filter((_, k) => isHeld[k] === 0);
  const held = rows.filter((_, k) => isHeld[k] === 1);
  if (held.length === 0 || out.length === 0) throw new ModelError(`early stopping holds out ${held.length} of ${rows.length} training rows: too few rows for --validation-fraction ${es.fraction}`);
  return { train: out, held };
}

/** Whether early stopping holds global row i out of the training rows (keyed by seed and row). */
export function isValidationRow(seed: number, i: number, fraction: number): boolean {
  return uniform01(seed, i, 0, VALIDATION_SALT) < fraction;
}

/** Whether iteration `iteration`'s subsample takes global row i: uniform01(seed, iteration, i, salt) < fraction. */
export function inSubsample(seed: number, iteration: number, fraction: number): (i: number) => boolean {
  const prefix = hashPrefix(seed, iteration);
  return (i) => hashFinish(prefix, i, SUBSAMPLE_SALT) / 4294967296 < fraction;
}

/** The mean loss of rows (raw scores rows × outputs): half squared error, or log loss. */
export function boostLoss(y: Float64Array, rows: Uint32Array, raw: Float64Array, rule: Pick<BoostRule, 'loss' | 'classes'>): number {
  const K = boostOutputs(rule);
  let sum = 0;
  for (let k = 0; k < rows.length; k++) {
    const yk = y[rows[k]];
    if (rule.loss === 'squared_error') sum += 0.5 * (raw[k] - yk) ** 2;
    else if (K === 1) sum += Math.log1p(Math.exp(-Math.abs(raw[k]))) + Math.max(raw[k], 0) - yk * raw[k];
    else {
      let max = -Infinity;
      for (let c = 0; c < K; c++) max = Math.max(max, raw[k * K + c]);
      let z = 0;
      for (let c = 0; c < K; c++) z += Math.exp(raw[k * K + c] - max);
      sum += Math.log(z) + max - raw[k * K + yk];
    }
  }
  return rows.length > 0 ? sum / rows.length : 0;
}

/**
 * scikit-learn's `_should_stop` on losses (lower is better): with the new loss appended, stop when none of the last
 * `patience` losses is below the one before them minus tol.
 */
function shouldStop(losses: number[], loss: number, es: EarlyStopping): boolean {
  losses.push(loss);
  if (losses.length <= es.patience) return false;
  const reference = losses[losses.length - es.patience - 1] - es.tol;
  for (let k = losses.length - es.patience; k < losses.length; k++) if (losses[k] < reference) return false;
  return true;
}

/** p[k·K + c] = softmax of raw[k·K …] (stable: the row's largest score subtracted first); p may be raw. */
export function softmax(raw: Float64Array, n: number, K: number, p: Float64Array): void {
  for (let k = 0; k < n; k++) {
    let max = -Infinity;
    for (let c = 0; c < K; c++) max = Math.max(max, raw[k * K + c]);
    let sum = 0;
    for (let c = 0; c < K; c++) {
      const e = Math.exp(raw[k * K + c] - max);
      p[k * K + c] = e;
      sum += e;
    }
    for (let c = 0; c < K; c++) p[k * K + c] /= sum;
  }
}

/**
 * raw[k·K + c] += the tree's value of row which[j], routed on its bin codes, with k = posOf[which[j]] (the row's
 * training position), or k = j without posOf.
 */
export function addBinnedTree(tree: RoutedTree, binned: BinnedData, which: Uint32Array, raw: Float64Array, K: number, c: number, posOf?: Int32Array): void {
  const { feature, binThreshold, left, right, value, set, sets } = tree;
  const { codes, rows } = binned;
  const bySets = set.length > 0;
  for (let j = 0; j < which.length; j++) {
    const r = which[j];
    const k = posOf ? posOf[r] : j;
    let node = 0;
    while (left[node] >= 0) {
      const code = codes[feature[node] * rows + r];
      node = (bySets ? goesLeft(code, binThreshold[node], set[node], sets) : code <= binThreshold[node]) ? left[node] : right[node];
    }
    raw[k * K + c] += value[node];
  }
}

/** A leaf waiting to be split: its totals, histogram and best split. */
interface Candidate {
  id: number;
  depth: number;
  key: number;
  n: number;
  w: number;
  s: number;
  hist: Float64Array;
  split: Split;
}

/**
 * One tree, best-first, from the rows' histograms (the calls root and split); leaf values −lr·G/(H + λ) in real
 * units, by node id as grown (NaN for split nodes) for BoostRows.leaves, and the tree in pre-order.
 */
function* growLeafwise(binned: BinnedData, pool: Float64Array[], scratch: SplitScratch, tSeed: number, rule: BoostRule, gScale: number, hScale: number): Generator<BoostCall, { tree: TreeArrays; leafValues: Float64Array }, GradientMax | undefined> {
  const tree = new TreeBuilder(1);
  const acquire = (): Float64Array => pool.pop() ?? new Float64Array(histogramLength(binned));
  // λ and the least Hessian in quantised units: the gain's order (and so the chosen split) is scale-free.
  const minWeight = rule.quantise === false ? MIN_HESSIAN : Math.max(1, MIN_HESSIAN / hScale);
  const splitRule = { maxFeatures: rule.maxFeatures, minSamplesLeaf: rule.minSamplesLeaf, l2: rule.l2 / hScale, minWeight };
  const leafValue = (w: number, s: number): number => (w > 0 ? (-rule.learningRate * s * gScale) / (w * hScale + rule.l2) : 0);
  const gainScale = (gScale * gScale) / hScale;
  const splittable = (depth: number, n: number): boolean => depth < rule.maxDepth && n >= 2 * rule.minSamplesLeaf && n >= 2;
  const candidates: Candidate[] = [];
  const consider = (c: Omit<Candidate, 'split'>): void => {
    const split = emptySplit(1);
    if (splittable(c.depth, c.n) && chooseSplit(c.hist, 0, binned, c.n, c.w, Float64Array.of(c.s), splitRule, tSeed, c.key, scratch, split)) {
      candidates.push({ ...c, split: { ...split, sL: Float64Array.from(split.sL), set: Int32Array.from(split.set) } });
    } else pool.push(c.hist);
  };
  const rootHist = acquire();
  yield { call: 'root', args: [gScale, hScale, rootHist] };
  const tot = histogramTotals(rootHist, binned);
  const root = tree.addLeaf(leafValue(tot.w, tot.s[0]), tot.w * hScale);
  consider({ id: root, depth: 0, key: ROOT_KEY | 0, n: tot.n, w: tot.w, s: tot.s[0], hist: rootHist });
  let leaves = 1;
  while (candidates.length > 0 && leaves < rule.maxLeafNodes) {
    let best = 0;
    for (let c = 1; c < candidates.length; c++) {
      const a = candidates[c];
      const b = candidates[best];
      if (a.split.gain > b.split.gain || (a.split.gain === b.split.gain && a.id < b.id)) best = c;
    }
    const c = candidates[best];
    candidates.splice(best, 1);
    const { split } = c;
    recordSplit(tree, c.id, split, binned.thresholds, gainScale);
    const sL = split.sL[0];
    const wR = c.w - split.wL;
    const sR = c.s - sL;
    const nL = split.nL;
    const nR = c.n - nL;
    const l = tree.addLeaf(leafValue(split.wL, sL), split.wL * hScale);
    const r = tree.addLeaf(leafValue(wR, sR), wR * hScale);
    tree.left[c.id] = l;
    tree.right[c.id] = r;
    leaves++;
    const depth = c.depth + 1;
    const needL = splittable(depth, nL);
    const needR = splittable(depth, nR);
    // The smaller child scanned, the larger one its parent minus it (in the parent's buffer).
    const leftSmaller = nL <= nR;
    const small = needL || needR ? acquire() : null;
    yield { call: 'split', args: [c.id, l, r, split, leftSmaller, small] };
    if (small === null) {
      pool.push(c.hist);
      continue;
    }
    subtractHistogram(c.hist, small, c.hist);
    const histL = leftSmaller ? small : c.hist;
    const histR = leftSmaller ? c.hist : small;
    consider({ id: l, depth, key: childKey(c.key, 0) | 0, n: nL, w: split.wL, s: sL, hist: histL });
    consider({ id: r, depth, key: childKey(c.key, 1) | 0, n: nR, w: wR, s: sR, hist: histR });
  }
  for (const c of candidates) pool.push(c.hist);
  const leafValues = new Float64Array(tree.nodes).fill(Number.NaN);
  for (let id = 0; id < tree.nodes; id++) if (tree.left[id] < 0) leafValues[id] = tree.value[id];
  return { tree: toPreorder(tree.finish()), leafValues };
}
