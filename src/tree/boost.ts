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
import { partitionSplit, recordSplit, treeSeed } from './grower.js';
import { buildHistogramByRow, histogramLength, histogramTotals, subtractHistogram } from './histogram.js';
import { chooseSplit, childKey, emptySplit, ROOT_KEY, SplitScratch, type Split } from './splitter.js';
import { goesLeft, toPreorder, TreeBuilder, type TreeArrays } from './tree.js';

/** Quantised gradients and Hessians have magnitudes up to this (15 bits; sums stay exact up to 2^38 rows). */
export const QUANT_LEVELS = 1 << 15;
/** Salts of the keyed draws: gradient rounding, Hessian rounding, the row subsample. */
const GRAD_SALT = 0x67726164;
const HESS_SALT = 0x68657373;
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
 * iteration, rows[k] and salt), into out[rows[k]]; returns the scale (max |value| / QUANT_LEVELS, or 1 for all zero).
 */
export function quantizeStochastic(values: Float64Array, rows: Uint32Array, seed: number, iteration: number, salt: number, out: Float64Array): number {
  let max = 0;
  for (let k = 0; k < values.length; k++) max = Math.max(max, Math.abs(values[k]));
  const scale = max > 0 ? max / QUANT_LEVELS : 1;
  // uniform01(seed, iteration, row, salt) with its (seed, iteration) part hashed once; the rounding is up exactly
  // when u < frac, which is ceil(frac − u) (frac − u lies in (−1, 1) and is positive exactly when frac > u): the
  // same choice without a branch that would be mispredicted about half the time.
  const prefix = hashPrefix(seed, iteration);
  for (let k = 0; k < values.length; k++) {
    const row = rows[k];
    const v = values[k] / scale;
    const fl = Math.floor(v);
    out[row] = fl + Math.ceil(v - fl - hashFinish(prefix, row, salt) / 4294967296);
  }
  return scale;
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

/** Buffers of one fit (per global row: quantised gradient and Hessian; per training row: the prediction). */
class BoostWorkspace {
  readonly gq: Float64Array;
  readonly hq: Float64Array;
  readonly idx: Uint32Array;
  /** The iteration's training rows left out of its subsample, ascending. */
  readonly rest: Uint32Array;
  readonly tmp: Uint32Array;
  readonly scratch: SplitScratch;
  readonly pool: Float64Array[] = [];
  constructor(
    readonly binned: BinnedData,
    train: number,
  ) {
    this.gq = new Float64Array(binned.rows);
    this.hq = new Float64Array(binned.rows);
    this.idx = new Uint32Array(train);
    this.rest = new Uint32Array(train);
    this.tmp = new Uint32Array(train);
    this.scratch = new SplitScratch(binned.features, 1);
    this.posOf = new Int32Array(binned.rows).fill(-1);
  }

  /** Training position of each global row (−1: not a training row); set by fitBoosted. */
  readonly posOf: Int32Array;


  acquire(): Float64Array {
    return this.pool.pop() ?? new Float64Array(histogramLength(this.binned));
  }
}

/**
 * Fit `rule.iterations` trees on the training rows (ascending global indices) of the binned table. `from`, a fit of
 * fewer iterations with the same everything else, is continued instead of starting over: iteration i depends only
 * on (seed, i, the rows, the predictions so far), so the result is the same bits as a fit from scratch.
 */
export function fitBoosted(binned: BinnedData, y: Float64Array, rows: Uint32Array, seed: number, rule: BoostRule, from?: Boosted): Boosted {
  const K = boostOutputs(rule);
  if (from && (from.trees.length >= rule.iterations * K || from.validation?.stopped)) {
    const trees = from.trees.slice(0, rule.iterations * K);
    const losses = from.validation?.losses.slice(0, trees.length / K + 1);
    return { baseline: from.baseline, trees, raw: new Float64Array(0), ...(losses ? { validation: { raw: new Float64Array(0), losses, stopped: from.validation!.stopped } } : {}) };
  }
  const { train, held } = splitValidation(rows, seed, rule.earlyStopping);
  const n = train.length;
  const baseline = from?.baseline ?? boostBaseline(y, train, rule);
  const raw = from ? Float64Array.from(from.raw) : new Float64Array(n * K);
  if (!from) for (let k = 0; k < n; k++) raw.set(baseline, k * K);
  let validation: Boosted['validation'];
  if (rule.earlyStopping) {
    const v = from?.validation;
    const vRaw = v ? Float64Array.from(v.raw) : new Float64Array(held.length * K);
    if (!v) for (let k = 0; k < held.length; k++) vRaw.set(baseline, k * K);
    validation = { raw: vRaw, losses: v ? v.losses.slice() : [boostLoss(y, held, vRaw, rule)], stopped: false };
  }
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const p = new Float64Array(n * K);
  const ws = new BoostWorkspace(binned, n);
  for (let k = 0; k < n; k++) ws.posOf[train[k]] = k;
  const trees: TreeArrays[] = from ? from.trees.slice() : [];
  for (let it = trees.length / K; it < rule.iterations; it++) {
    if (K > 1) softmax(raw, n, K, p);
    let m = 0;
    let left = 0;
    const prefix = hashPrefix(seed, it);
    for (let k = 0; k < n; k++) {
      const i = train[k];
      // uniform01(seed, it, i, SUBSAMPLE_SALT) < subsample.
      if (rule.subsample < 1 && !(hashFinish(prefix, i, SUBSAMPLE_SALT) / 4294967296 < rule.subsample)) ws.rest[left++] = i;
      else ws.idx[m++] = i;
    }
    for (let c = 0; c < K; c++) {
      // Tree t = it·K + c: its own keys for the rounding and the feature order.
      const t = it * K + c;
      for (let k = 0; k < n; k++) {
        const yk = y[train[k]];
        if (rule.loss === 'squared_error') g[k] = raw[k] - yk;
        else {
          const q = K > 1 ? p[k * K + c] : 1 / (1 + Math.exp(-raw[k]));
          g[k] = q - (K > 1 ? (yk === c ? 1 : 0) : yk);
          h[k] = q * (1 - q);
        }
      }
      const gScale = quantizeStochastic(g, train, seed, t, GRAD_SALT, ws.gq);
      // Squared error's Hessians are all 1 (not quantised; the histograms count them once as n).
      const hScale = rule.loss === 'squared_error' ? 1 : quantizeStochastic(h, train, seed, t, HESS_SALT, ws.hq);
      // Partitions keep each side ascending, but move rows between sides: each class's tree starts from the
      // iteration's rows in ascending order.
      if (c > 0) ws.idx.subarray(0, m).sort();
      const tree = growLeafwise(ws, m, treeSeed(seed, t) | 0, rule, gScale, hScale, raw, K, c);
      trees.push(tree);
      // The tree's own rows got their leaf's value as it grew; the rows left out of its subsample are routed.
      if (left > 0) addBinnedTree(tree, binned, ws.rest.subarray(0, left), raw, K, c, ws.posOf);
      if (validation) addBinnedTree(tree, binned, held, validation.raw, K, c);
    }
    if (validation && shouldStop(validation.losses, boostLoss(y, held, validation.raw, rule), rule.earlyStopping!)) {
      validation.stopped = true;
      break;
    }
  }
  return { baseline, trees, raw, ...(validation ? { validation } : {}) };
}

/** The training rows and, under early stopping, the held-out ones (keyed by seed and row; both ascending). */
function splitValidation(rows: Uint32Array, seed: number, es: EarlyStopping | undefined): { train: Uint32Array; held: Uint32Array } {
  if (!es) return { train: rows, held: new Uint32Array(0) };
  const isHeld = Uint8Array.from(rows, (i) => (uniform01(seed, i, 0, VALIDATION_SALT) < es.fraction ? 1 : 0));
  const out = rows.filter((_, k) => isHeld[k] === 0);
  const held = rows.filter((_, k) => isHeld[k] === 1);
  if (held.length === 0 || out.length === 0) throw new ModelError(`early stopping holds out ${held.length} of ${rows.length} training rows: too few rows for --validation-fraction ${es.fraction}`);
  return { train: out, held };
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
function addBinnedTree(tree: TreeArrays, binned: BinnedData, which: Uint32Array, raw: Float64Array, K: number, c: number, posOf?: Int32Array): void {
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

/** A leaf waiting to be split: its rows idx[start, end), totals, histogram and best split. */
interface Candidate {
  id: number;
  start: number;
  end: number;
  depth: number;
  key: number;
  n: number;
  w: number;
  s: number;
  hist: Float64Array;
  split: Split;
}

/**
 * One tree on rows ws.idx[0, m), best-first; leaf values −lr·G/(H + λ) in real units. Each of its rows gets its
 * leaf's value added to raw[posOf[row]·K + c] (the same addition routing would make, once per row).
 */
function growLeafwise(ws: BoostWorkspace, m: number, tSeed: number, rule: BoostRule, gScale: number, hScale: number, raw: Float64Array, K: number, cls: number): TreeArrays {
  // Each node's rows idx[starts[id], ends[id]).
  const starts: number[] = [];
  const ends: number[] = [];
  const { binned, idx, gq, hq } = ws;
  const tree = new TreeBuilder(1);
  // λ and the least Hessian in quantised units: the gain's order (and so the chosen split) is scale-free.
  const splitRule = { maxFeatures: rule.maxFeatures, minSamplesLeaf: rule.minSamplesLeaf, l2: rule.l2 / hScale, minWeight: Math.max(1, MIN_HESSIAN / hScale) };
  const leafValue = (w: number, s: number): number => (w > 0 ? (-rule.learningRate * s * gScale) / (w * hScale + rule.l2) : 0);
  const gainScale = (gScale * gScale) / hScale;
  // Squared error's Hessians are all 1: the histograms take w from n.
  const unit = rule.loss === 'squared_error';
  const scan = (start: number, end: number, hist: Float64Array): void => buildHistogramByRow(hist, binned, idx, start, end, unit ? null : hq, gq);
  const splittable = (depth: number, n: number): boolean => depth < rule.maxDepth && n >= 2 * rule.minSamplesLeaf && n >= 2;
  const candidates: Candidate[] = [];
  const consider = (c: Omit<Candidate, 'split'>): void => {
    const split = emptySplit(1);
    if (splittable(c.depth, c.n) && chooseSplit(c.hist, 0, binned, c.n, c.w, Float64Array.of(c.s), splitRule, tSeed, c.key, ws.scratch, split)) {
      candidates.push({ ...c, split: { ...split, sL: Float64Array.from(split.sL), set: Int32Array.from(split.set) } });
    } else ws.pool.push(c.hist);
  };
  const rootHist = ws.acquire();
  scan(0, m, rootHist);
  const tot = histogramTotals(rootHist, binned);
  const root = tree.addLeaf(leafValue(tot.w, tot.s[0]), tot.w * hScale);
  starts[root] = 0;
  ends[root] = m;
  consider({ id: root, start: 0, end: m, depth: 0, key: ROOT_KEY | 0, n: tot.n, w: tot.w, s: tot.s[0], hist: rootHist });
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
    const mid = partitionSplit(idx, c.start, c.end, binned.codes, split.feature * binned.rows, split, ws.tmp);
    const sL = split.sL[0];
    const wR = c.w - split.wL;
    const sR = c.s - sL;
    const l = tree.addLeaf(leafValue(split.wL, sL), split.wL * hScale);
    const r = tree.addLeaf(leafValue(wR, sR), wR * hScale);
    starts[l] = c.start;
    ends[l] = mid;
    starts[r] = mid;
    ends[r] = c.end;
    tree.left[c.id] = l;
    tree.right[c.id] = r;
    leaves++;
    const nL = mid - c.start;
    const nR = c.end - mid;
    const depth = c.depth + 1;
    const needL = splittable(depth, nL);
    const needR = splittable(depth, nR);
    if (!needL && !needR) {
      ws.pool.push(c.hist);
      continue;
    }
    // The smaller child scanned, the larger one its parent minus it (in the parent's buffer).
    const leftSmaller = nL <= nR;
    const small = ws.acquire();
    if (leftSmaller) scan(c.start, mid, small);
    else scan(mid, c.end, small);
    subtractHistogram(c.hist, small, c.hist);
    const histL = leftSmaller ? small : c.hist;
    const histR = leftSmaller ? c.hist : small;
    consider({ id: l, start: c.start, end: mid, depth, key: childKey(c.key, 0) | 0, n: nL, w: split.wL, s: sL, hist: histL });
    consider({ id: r, start: mid, end: c.end, depth, key: childKey(c.key, 1) | 0, n: nR, w: wR, s: sR, hist: histR });
  }
  for (const c of candidates) ws.pool.push(c.hist);
  // Every leaf's rows are one range of idx (partitions keep a node's rows together): add its value to them.
  for (let id = 0; id < tree.nodes; id++) {
    if (tree.left[id] >= 0) continue;
    const v = tree.value[id];
    for (let k = starts[id]; k < ends[id]; k++) raw[ws.posOf[idx[k]] * K + cls] += v;
  }
  return toPreorder(tree.finish());
}
