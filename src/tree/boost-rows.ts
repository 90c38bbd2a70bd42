/**
 * The rows of a boosting fit held in one place (boost.ts BoostRows): one thread's training rows of a fold, or a
 * native worker's share of them. It keeps their raw scores, the current tree's gradients and Hessians (quantised,
 * by row) and the tree's nodes as ranges of one index array, partitioned stably as the tree grows (rows stay
 * ascending, so every histogram scan reads the codes forward). fitBoosted is the fit on one thread.
 *
 * Rows are indices into `binned` (and y); the keyed draws (rounding, subsample) use the GLOBAL row, index + offset,
 * so a worker holding rows [offset, offset + n) of the table draws exactly what one thread holding all rows draws.
 */
import type { BinnedData } from './binning.js';
import {
  addBinnedTree,
  boostBaseline,
  boostLoss,
  boostOutputs,
  boostSteps,
  GRAD_SALT,
  HESS_SALT,
  inSubsample,
  quantizeStochastic,
  runBoost,
  softmax,
  splitValidation,
  startingScores,
  type Boosted,
  type BoostRows,
  type BoostRule,
  type GradientMax,
  type RoutedTree,
  type ValidationRows,
} from './boost.js';
import { partitionSplit } from './grower.js';
import { buildHistogramByRow } from './histogram.js';
import type { Split } from './splitter.js';

export class LocalBoostRows implements BoostRows {
  private readonly K: number;
  private readonly g: Float64Array;
  private readonly h: Float64Array;
  private readonly p: Float64Array;
  /** Quantised gradient and Hessian by row of `binned`. */
  private readonly gq: Float64Array;
  private readonly hq: Float64Array;
  /** The current tree's rows (its nodes are ranges of them) and the training rows its subsample left out. */
  private readonly idx: Uint32Array;
  private readonly rest: Uint32Array;
  private readonly tmp: Uint32Array;
  /** Training position of each row of `binned` (−1: not a training row). */
  private readonly posOf: Int32Array;
  private starts: Int32Array = new Int32Array(64);
  private ends: Int32Array = new Int32Array(64);
  private m = 0;
  private left = 0;
  private t = 0;

  /**
   * `train`: the training rows (ascending indices into binned and y); `raw`: their raw scores (train.length × K),
   * updated in place as trees are added.
   */
  constructor(
    private readonly binned: BinnedData,
    private readonly y: Float64Array,
    private readonly train: Uint32Array,
    private readonly offset: number,
    private readonly seed: number,
    private readonly rule: Pick<BoostRule, 'loss' | 'classes' | 'subsample' | 'quantise'>,
    readonly raw: Float64Array,
  ) {
    const n = train.length;
    this.K = boostOutputs(rule);
    this.g = new Float64Array(n);
    this.h = new Float64Array(n);
    this.p = new Float64Array(this.K > 1 ? n * this.K : 0);
    this.gq = new Float64Array(binned.rows);
    this.hq = new Float64Array(binned.rows);
    this.idx = new Uint32Array(n);
    this.rest = new Uint32Array(n);
    this.tmp = new Uint32Array(n);
    this.posOf = new Int32Array(binned.rows).fill(-1);
    for (let k = 0; k < n; k++) this.posOf[train[k]] = k;
  }

  gradients(t: number, iteration: number, cls: number): GradientMax {
    const { K, train, raw, g, h, p, y, rule } = this;
    const n = train.length;
    if (cls === 0) {
      if (K > 1) softmax(raw, n, K, p);
      let m = 0;
      let left = 0;
      const sub = rule.subsample < 1 ? inSubsample(this.seed, iteration, rule.subsample) : null;
      for (let k = 0; k < n; k++) {
        const i = train[k];
        if (sub !== null && !sub(i + this.offset)) this.rest[left++] = i;
        else this.idx[m++] = i;
      }
      this.m = m;
      this.left = left;
    } else {
      // Partitions keep each side ascending, but move rows between sides: each class's tree starts from the
      // iteration's rows in ascending order.
      this.idx.subarray(0, this.m).sort();
    }
    this.t = t;
    let gMax = 0;
    let hMax = 0;
    for (let k = 0; k < n; k++) {
      const yk = y[train[k]];
      if (rule.loss === 'squared_error') g[k] = raw[k] - yk;
      else {
        const q = K > 1 ? p[k * K + cls] : 1 / (1 + Math.exp(-raw[k]));
        g[k] = q - (K > 1 ? (yk === cls ? 1 : 0) : yk);
        h[k] = q * (1 - q);
        hMax = Math.max(hMax, Math.abs(h[k]));
      }
      gMax = Math.max(gMax, Math.abs(g[k]));
    }
    return { g: gMax, h: hMax };
  }

  root(gScale: number, hScale: number, hist: Float64Array): void {
    const { seed, t, train, offset } = this;
    if (this.rule.quantise === false) {
      for (let k = 0; k < train.length; k++) {
        this.gq[train[k]] = this.g[k];
        this.hq[train[k]] = this.h[k];
      }
    } else {
      quantizeStochastic(this.g, train, seed, t, GRAD_SALT, this.gq, offset, gScale);
      if (this.rule.loss !== 'squared_error') quantizeStochastic(this.h, train, seed, t, HESS_SALT, this.hq, offset, hScale);
    }
    this.starts[0] = 0;
    this.ends[0] = this.m;
    this.scan(0, this.m, hist);
  }

  split(node: number, left: number, right: number, split: Split, scanLeft: boolean, hist: Float64Array | null): void {
    const { binned } = this;
    const start = this.starts[node];
    const end = this.ends[node];
    const mid = partitionSplit(this.idx, start, end, binned.codes, split.feature * binned.rows, split, this.tmp);
    this.reserve(Math.max(left, right) + 1);
    this.starts[left] = start;
    this.ends[left] = mid;
    this.starts[right] = mid;
    this.ends[right] = end;
    if (hist) {
      if (scanLeft) this.scan(start, mid, hist);
      else this.scan(mid, end, hist);
    }
  }

  leaves(leafValues: Float64Array, tree: RoutedTree, cls: number): void {
    const { raw, idx, posOf, K } = this;
    // Every leaf's rows are one range of idx (partitions keep a node's rows together): add its value to them.
    for (let id = 0; id < leafValues.length; id++) {
      const v = leafValues[id];
      if (Number.isNaN(v)) continue;
      for (let k = this.starts[id]; k < this.ends[id]; k++) raw[posOf[idx[k]] * K + cls] += v;
    }
    // The rows left out of its subsample are routed.
    if (this.left > 0) addBinnedTree(tree, this.binned, this.rest.subarray(0, this.left), raw, K, cls, posOf);
  }

  private scan(start: number, end: number, hist: Float64Array): void {
    // Squared error's Hessians are all 1: the histograms take w from n.
    // Quantised gradients and Hessians are integers of at most QUANT_LEVELS (= SMALL_INTEGER): packed sums apply.
    buildHistogramByRow(hist, this.binned, this.idx, start, end, this.rule.loss === 'squared_error' ? null : this.hq, this.gq, this.rule.quantise !== false);
  }

  private reserve(nodes: number): void {
    if (nodes <= this.starts.length) return;
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(Math.max(nodes, 2 * a.length));
      b.set(a);
      return b;
    };
    this.starts = grow(this.starts);
    this.ends = grow(this.ends);
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
  const baseline = from?.baseline ?? boostBaseline(y, train, rule);
  const raw = from ? Float64Array.from(from.raw) : startingScores(baseline, train.length);
  let validation: ValidationRows | undefined;
  if (rule.earlyStopping) {
    const v = from?.validation;
    const vRaw = v ? Float64Array.from(v.raw) : startingScores(baseline, held.length);
    validation = { binned, at: held, rows: held, raw: vRaw, losses: v ? v.losses.slice() : [boostLoss(y, held, vRaw, rule)] };
  }
  const local = new LocalBoostRows(binned, y, train, 0, seed, rule, raw);
  const grown = runBoost(boostSteps(binned, y, seed, rule, from ? from.trees.slice() : [], validation), local);
  return { baseline, trees: grown.trees, raw, ...(validation ? { validation: { raw: validation.raw, losses: validation.losses, stopped: grown.validation!.stopped } } : {}) };
}
