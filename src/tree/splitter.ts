/**
 * Choosing a node's split: ONE search used by every builder (depth-first, level-wise, native), so they cannot
 * disagree. Regression (and two classes under Gini): variance reduction, as scikit-learn's squared_error criterion:
 *   gain = wL·wR/W · (sL/wL − sR/wR)²  (= W·var − WL·varL − WR·varR; exactly 0 for a pure node)
 * evaluated as d²/(W·wL·wR) with d = sL·wR − sR·wL and compared by cross-multiplication (no division per
 * candidate; every builder uses this one function, so they compare the same numbers the same way).
 * Features are visited in a random order keyed by hash32(treeSeed, nodeKey, step) (a partial Fisher–Yates), so
 * the order depends only on the tree and the node's path, never on the order nodes are grown in. A feature
 * constant in the node (one non-empty bin) is skipped and not counted; the search stops once maxFeatures
 * non-constant features were visited. (scikit-learn counts constant features it meets toward max_features and
 * only insists on one non-constant; with the default maxFeatures=all both visit every feature.)
 * Classification with more classes (labels.ts width > 1: a sum per class but class 0): the Gini decrease
 *   W·G − WL·GL − WR·GR = Σ_k d_k² / (W·wL·wR),  d_k = sL_k·wR − sR_k·wL over all K classes,
 * where class 0's d is −Σ of the others' (its counts are w − Σ s), so num = Σ_j d_j² + (Σ_j d_j)²; for two classes
 * that is 2·d², proportional to the variance search, which is why two classes take the regression path. The
 * entropy criterion (scikit-learn's "entropy", Spark's impurity "entropy") computes W·H − WL·HL − WR·HR from the
 * class counts directly (natural log; the base only scales every gain) and needs a gain above a rounding tolerance.
 * Every count is an exact integer, so every builder computes the same gains from the same numbers.
 * Within a feature, the non-empty bins are scanned ascending; the boundary between two non-empty bins is a
 * candidate when both sides keep ≥ minSamplesLeaf distinct rows; a strictly greater gain wins (the first of
 * equal gains stays). The split is recorded at a bin between the two (splitBin): with one distinct value per bin
 * where scikit-learn's midpoint between the neighbouring training values falls, else the middle of the gap.
 *
 * Missing values (binning.ts: a feature's last bin) are sent either way, as scikit-learn ≥ 1.4 and LightGBM learn
 * it: when the node has missing rows, a second scan offers "codes ≤ b or missing" left for every b (the first scan
 * sends them right); when it has none, a split on a feature with missing values elsewhere sends them to the child
 * with more rows (scikit-learn's rule), ties right.
 * Categorical features (binning.ts CATEGORICAL) split on sets of categories, as LightGBM and HistGradientBoosting:
 * the node's non-empty bins (missing values one more category) are ordered by their mean label (a classification:
 * the share of class 1; with more classes, once by the share of each class), ties by bin, and every prefix of the
 * order is a candidate left set (for squared error and two classes the best partition is such a prefix, Fisher
 * 1958). Bins absent from the node (categories only other rows hold) go right.
 *
 * A feature's non-empty bins come from a dense histogram (large nodes), straight from the node's few samples
 * (small nodes, where a 255-bin histogram per feature costs more than the samples), or from the runs of the
 * node's samples sorted by code (sorted.ts, the depth-first grower's small nodes): the per-bin totals are exact
 * integers every way (labels.ts), so all give the same split, bit for bit.
 */
import { hash32, hashFinish, hashPrefix } from '../util/random.js';
import { CATEGORICAL, MISSING, type BinnedData } from './binning.js';
import { statsOf } from './histogram.js';
import type { SortedLists } from './sorted.js';
import { addToSet } from './tree.js';

/** Where a search reads a feature's non-empty bins from. */
const FROM_HISTOGRAM = 0;
const FROM_SAMPLES = 1;
const FROM_SORTED = 2;

/** What a candidate sends left: codes ≤ bin; codes ≤ bin and the missing bin; a set of bins (a prefix of an order). */
const BY_THRESHOLD = 0;
const MISSING_LEFT = 1;
const BY_SET = 2;

/** A classification's impurity (a regression always reduces variance). */
export type Criterion = 'gini' | 'entropy';

export interface SplitRule {
  /** Features to try per node, already resolved (1..features). */
  maxFeatures: number;
  minSamplesLeaf: number;
  /** Classification only; default gini. */
  criterion?: Criterion;
  /**
   * Gradient boosting (boost.ts: w sums Hessians, s gradients): the L2 penalty λ on leaf values, in w's units; the
   * gain is then sL²/(wL + λ) + sR²/(wR + λ) − s²/(w + λ) (with λ = 0 that is the variance reduction above).
   */
  l2?: number;
  /** The least w a child may have (scikit-learn's min_hessian_to_split); default 0. */
  minWeight?: number;
}

/** The best split found, written in place (no allocation per node). */
export interface Split {
  feature: number;
  /** Codes ≤ bin go left (splitBin). */
  bin: number;
  gain: number;
  nL: number;
  wL: number;
  /** The left child's label sums (labels.ts width entries). */
  sL: Float64Array;
  /** The split sends the bins of `set` left (tree.ts SET_WORDS words), not codes ≤ bin. */
  isSet: boolean;
  set: Int32Array;
  /** During a search: the kind of the best candidate, and whether its feature had missing rows in the node. */
  kind: number;
  missSeen: boolean;
}

export function emptySplit(width = 1): Split {
  return { feature: -1, bin: -1, gain: 0, nL: 0, wL: 0, sL: new Float64Array(width), isSet: false, set: new Int32Array(8), kind: BY_THRESHOLD, missSeen: false };
}

export const ROOT_KEY = 0x2545f491;

/** Key of a child from its parent's key: a hash of the path, the same whatever order nodes are grown in. */
export function childKey(parentKey: number, side: 0 | 1): number {
  return hash32(parentKey, side, 0x6b1d);
}

/** x·ln x, with 0·ln 0 = 0. */
function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}

/** Scratch for one thread: the feature order and one feature's non-empty bins. */
export class SplitScratch {
  readonly order: Int32Array;
  /** Non-empty bins of the current feature, ascending, with their totals (s: width per bin). */
  readonly bin = new Int32Array(256);
  readonly n = new Float64Array(256);
  readonly w = new Float64Array(256);
  readonly s: Float64Array;
  /** Per-code (n, w, s…) accumulators of the sample path (all zero between uses) and the set of touched codes. */
  readonly acc: Float64Array;
  readonly bits = new Int32Array(8);
  /** Running left label sums of a scan (width > 1). */
  readonly cum: Float64Array;
  // The current node's source (set per call, so the fill functions need no closures).
  hist: Float64Array = new Float64Array(0);
  at = 0;
  idx: Uint32Array = new Uint32Array(0);
  start = 0;
  end = 0;
  gw: Float64Array = new Float64Array(0);
  gs: Float64Array = new Float64Array(0);
  sorted: SortedLists | null = null;
  /** The current node's label sums (width entries). */
  tot: Float64Array = new Float64Array(1);
  /** The current search uses the entropy criterion; parentE is the node's W·H. */
  entropy = false;
  parentE = 0;
  /** The best candidate so far of the current search (gain = bestNum / (bestDen · w); entropy: bestNum). */
  bestNum = 0;
  bestDen = 1;
  /** inv[d] = 1/d, for h mod d without a division (see search). */
  readonly inv: Float64Array;
  /** The search's L2 penalty and least child weight (SplitRule). */
  l2 = 0;
  minW = 0;
  /** The current scan's candidate kind and missing rows (copied to the best split with it); candidates kept. */
  kind = BY_THRESHOLD;
  missSeen = false;
  kept = 0;
  /** A categorical feature's bins (indices into bin/n/w/s) in scan order, and their sort keys. */
  readonly ord = new Int32Array(256);
  readonly key = new Float64Array(256);
  constructor(
    features: number,
    readonly width = 1,
  ) {
    this.order = new Int32Array(features);
    this.inv = new Float64Array(features + 1);
    for (let d = 1; d <= features; d++) this.inv[d] = 1 / d;
    this.s = new Float64Array(256 * width);
    this.acc = new Float64Array(256 * statsOf(width));
    this.cum = new Float64Array(width);
  }
}

/**
 * Best split of the node whose dense histogram starts at hist[at], with totals (n, w, s). Returns false (and
 * out.feature = −1) when no split has a positive gain.
 */
export function chooseSplit(
  hist: Float64Array,
  at: number,
  binned: BinnedData,
  n: number,
  w: number,
  s: Float64Array,
  rule: SplitRule,
  treeSeed: number,
  nodeKey: number,
  scratch: SplitScratch,
  out: Split,
): boolean {
  scratch.hist = hist;
  scratch.at = at;
  return search(binned, n, w, s, rule, treeSeed, nodeKey, scratch, out, FROM_HISTOGRAM);
}

/**
 * The same search from the node's samples idx[start, end) with gathered counts gw and labels gs (position
 * k − start; gatherSamples), for nodes too small to deserve a histogram.
 */
export function chooseSplitFromSamples(
  binned: BinnedData,
  idx: Uint32Array,
  start: number,
  end: number,
  gw: Float64Array,
  gs: Float64Array,
  n: number,
  w: number,
  s: Float64Array,
  rule: SplitRule,
  treeSeed: number,
  nodeKey: number,
  scratch: SplitScratch,
  out: Split,
): boolean {
  scratch.idx = idx;
  scratch.start = start;
  scratch.end = end;
  scratch.gw = gw;
  scratch.gs = gs;
  return search(binned, n, w, s, rule, treeSeed, nodeKey, scratch, out, FROM_SAMPLES);
}

/**
 * The same search for a node below a transition node (sorted.ts; width 1 only), at grower positions [start, end)
 * of the lists' current transition subtree.
 */
export function chooseSplitFromSorted(
  binned: BinnedData,
  lists: SortedLists,
  start: number,
  end: number,
  n: number,
  w: number,
  s: Float64Array,
  rule: SplitRule,
  treeSeed: number,
  nodeKey: number,
  scratch: SplitScratch,
  out: Split,
): boolean {
  scratch.sorted = lists;
  scratch.start = start - lists.base;
  scratch.end = end - lists.base;
  return search(binned, n, w, s, rule, treeSeed, nodeKey, scratch, out, FROM_SORTED);
}

/** Non-empty bins of feature f from a dense histogram, into scratch; returns how many. */
function fillFromHistogram(binned: BinnedData, f: number, sc: SplitScratch): number {
  const hist = sc.hist;
  const S = statsOf(sc.width);
  if (S !== 3) return fillFromHistogramK(binned, f, sc);
  const base = sc.at + binned.offsets[f] * 3;
  const nb = binned.nBins[f];
  const { bin, n, w, s } = sc;
  let m = 0;
  for (let b = 0; b < nb; b++) {
    const h = base + b * 3;
    if (hist[h] === 0) continue;
    bin[m] = b;
    n[m] = hist[h];
    w[m] = hist[h + 1];
    s[m] = hist[h + 2];
    m++;
  }
  return m;
}

/** fillFromHistogram for width > 1: every label sum of each non-empty bin. */
function fillFromHistogramK(binned: BinnedData, f: number, sc: SplitScratch): number {
  const hist = sc.hist;
  const W = sc.width;
  const S = statsOf(W);
  const base = sc.at + binned.offsets[f] * S;
  const nb = binned.nBins[f];
  const { bin, n, w, s } = sc;
  let m = 0;
  for (let b = 0; b < nb; b++) {
    const h = base + b * S;
    if (hist[h] === 0) continue;
    bin[m] = b;
    n[m] = hist[h];
    w[m] = hist[h + 1];
    for (let j = 0; j < W; j++) s[m * W + j] = hist[h + 2 + j];
    m++;
  }
  return m;
}

/** Non-empty bins of feature f from the node's samples, into scratch; returns how many. */
function fillFromSamples(binned: BinnedData, f: number, sc: SplitScratch): number {
  if (sc.width > 1) return fillFromSamplesK(binned, f, sc);
  const { codes, rows } = binned;
  const { acc, bits, bin, n, w, s, idx, gw, gs } = sc;
  const start = sc.start;
  const end = sc.end;
  const base = f * rows;
  const nb = binned.nBins[f];
  // Accumulate per code; acc is all-zero between calls (every touched code is cleared below).
  for (let k = start; k < end; k++) {
    const b = codes[base + idx[k]];
    const a = b * 3;
    bits[b >> 5] |= 1 << (b & 31);
    acc[a] += 1;
    acc[a + 1] += gw[k - start];
    acc[a + 2] += gs[k - start];
  }
  // Touched codes in ascending order: from a 256-bit set (lowest bit first), which costs per touched code
  // rather than per bin; for many samples a plain pass over the bins is cheaper.
  let m = 0;
  if (end - start > 128) {
    bits.fill(0);
    for (let b = 0; b < nb; b++) {
      const a = b * 3;
      if (acc[a] === 0) continue;
      bin[m] = b;
      n[m] = acc[a];
      w[m] = acc[a + 1];
      s[m] = acc[a + 2];
      acc[a] = 0;
      acc[a + 1] = 0;
      acc[a + 2] = 0;
      m++;
    }
    return m;
  }
  for (let i = 0; i < 8; i++) {
    let x = bits[i];
    bits[i] = 0;
    while (x !== 0) {
      const low = x & -x;
      const b = (i << 5) | (31 - Math.clz32(low));
      x ^= low;
      const a = b * 3;
      bin[m] = b;
      n[m] = acc[a];
      w[m] = acc[a + 1];
      s[m] = acc[a + 2];
      acc[a] = 0;
      acc[a + 1] = 0;
      acc[a + 2] = 0;
      m++;
    }
  }
  return m;
}

/** fillFromSamples for width > 1 (gs holds each sample's class): a plain pass over the bins. */
function fillFromSamplesK(binned: BinnedData, f: number, sc: SplitScratch): number {
  const { codes, rows } = binned;
  const { acc, bin, n, w, s, idx, gw, gs } = sc;
  const W = sc.width;
  const S = statsOf(W);
  const start = sc.start;
  const end = sc.end;
  const base = f * rows;
  const nb = binned.nBins[f];
  for (let k = start; k < end; k++) {
    const a = codes[base + idx[k]] * S;
    const c = gw[k - start];
    const cls = gs[k - start];
    acc[a] += 1;
    acc[a + 1] += c;
    if (cls > 0) acc[a + 1 + cls] += c;
  }
  let m = 0;
  for (let b = 0; b < nb; b++) {
    const a = b * S;
    if (acc[a] === 0) continue;
    bin[m] = b;
    n[m] = acc[a];
    w[m] = acc[a + 1];
    acc[a] = 0;
    acc[a + 1] = 0;
    for (let j = 0; j < W; j++) {
      s[m * W + j] = acc[a + 2 + j];
      acc[a + 2 + j] = 0;
    }
    m++;
  }
  return m;
}

/**
 * Offer every candidate of feature f, reading its non-empty bins as the runs of its sorted list (one pass, no
 * bin arrays): the same candidates, in the same order, with the same exact totals as the bin scan in search.
 * Returns false when f is constant in the node.
 */
function scanSorted(f: number, n: number, w: number, s: number, minLeaf: number, sc: SplitScratch, out: Split): boolean {
  const lists = sc.sorted!;
  const { slots, codes, w: sw, s: ss } = lists;
  const o = f * lists.capacity;
  const a = o + sc.start;
  const b = o + sc.end;
  let prev = codes[a];
  if (codes[b - 1] === prev) return false;
  let nL = 0;
  let wL = 0;
  let sL = 0;
  const entropy = sc.entropy;
  for (let k = a; k < b; k++) {
    const c = codes[k];
    if (c !== prev) {
      if (n - nL < minLeaf) break;
      if (nL >= minLeaf) {
        if (entropy) offerEntropy1(sc, out, f, (prev << 8) | c, nL, wL, sL, w, s);
        else offer(sc, out, f, (prev << 8) | c, nL, wL, sL, w, s);
      }
      prev = c;
    }
    const sl = slots[k];
    nL++;
    wL += sw[sl];
    sL += ss[sl];
  }
  return true;
}

/**
 * The candidate "codes ≤ bin go left" with left totals (nL, wL, sL) of a node with totals (·, w, s): kept when
 * its gain is strictly greater than the best so far (so the first of equal gains stays).
 * gain = wL·wR/W·(sL/wL − sR/wR)² = d² / (W·wL·wR) with d = sL·wR − sR·wL, compared as num/den by
 * cross-multiplication. For a pure node both products round the same exact value, so d is exactly 0.
 */
function offer(sc: SplitScratch, out: Split, f: number, bin: number, nL: number, wL: number, sL: number, w: number, s: number): void {
  const wR = w - wL;
  if (wL < sc.minW || wR < sc.minW) return;
  if (sc.l2 > 0) {
    offerL2(sc, out, f, bin, nL, wL, sL, w, s);
    return;
  }
  const d = sL * wR - (s - sL) * wL;
  const num = d * d;
  const den = wL * wR;
  if (num * sc.bestDen > sc.bestNum * den) {
    sc.bestNum = num;
    sc.bestDen = den;
    keep(sc, out, f, bin, nL, wL);
    out.sL[0] = sL;
  }
}

/** The gradient-boosting gain with an L2 penalty (SplitRule.l2), compared directly (bestNum is the gain). */
function offerL2(sc: SplitScratch, out: Split, f: number, bin: number, nL: number, wL: number, sL: number, w: number, s: number): void {
  const l2 = sc.l2;
  const sR = s - sL;
  const gain = (sL * sL) / (wL + l2) + (sR * sR) / (w - wL + l2) - (s * s) / (w + l2);
  if (gain > sc.bestNum) {
    sc.bestNum = gain;
    keep(sc, out, f, bin, nL, wL);
    out.sL[0] = sL;
  }
}

/** Record a candidate as the best so far (its label sums are set by the caller). */
function keep(sc: SplitScratch, out: Split, f: number, bin: number, nL: number, wL: number): void {
  out.feature = f;
  out.bin = bin;
  out.nL = nL;
  out.wL = wL;
  out.kind = sc.kind;
  out.missSeen = sc.missSeen;
  sc.kept++;
}

/** The entropy gain of a two-class candidate (sL, s: counts of class 1): W·H − WL·HL − WR·HR. */
function offerEntropy1(sc: SplitScratch, out: Split, f: number, bin: number, nL: number, wL: number, sL: number, w: number, s: number): void {
  const wR = w - wL;
  const sR = s - sL;
  const gain = sc.parentE - (xlogx(wL) - xlogx(sL) - xlogx(wL - sL)) - (xlogx(wR) - xlogx(sR) - xlogx(wR - sR));
  if (gain > sc.bestNum) {
    sc.bestNum = gain;
    keep(sc, out, f, bin, nL, wL);
    out.sL[0] = sL;
  }
}

/** A candidate with more than two classes: left label sums in sc.cum, the node's in sc.tot (Gini or entropy). */
function offerK(sc: SplitScratch, out: Split, f: number, bin: number, nL: number, wL: number, w: number): void {
  const W = sc.width;
  const { cum, tot } = sc;
  const wR = w - wL;
  if (sc.entropy) {
    let eL = xlogx(wL);
    let eR = xlogx(wR);
    let restL = wL;
    let restR = wR;
    for (let j = 0; j < W; j++) {
      const l = cum[j];
      const r = tot[j] - l;
      eL -= xlogx(l);
      eR -= xlogx(r);
      restL -= l;
      restR -= r;
    }
    const gain = sc.parentE - (eL - xlogx(restL)) - (eR - xlogx(restR));
    if (!(gain > sc.bestNum)) return;
    sc.bestNum = gain;
  } else {
    let sq = 0;
    let sum = 0;
    for (let j = 0; j < W; j++) {
      const d = cum[j] * wR - (tot[j] - cum[j]) * wL;
      sq += d * d;
      sum += d;
    }
    const num = sq + sum * sum;
    const den = wL * wR;
    if (!(num * sc.bestDen > sc.bestNum * den)) return;
    sc.bestNum = num;
    sc.bestDen = den;
  }
  keep(sc, out, f, bin, nL, wL);
  out.sL.set(cum);
}

/**
 * h mod d for a uint32 h and 1 ≤ d < 2^21 given inv = 1/d, without a division: h·inv is within 2^−20 of h/d,
 * so its floor is off by at most one, which the two corrections repair; every term is an exact integer.
 */
export function modUint32(h: number, d: number, inv: number): number {
  const r = h - Math.floor(h * inv) * d;
  return r < 0 ? r + d : r >= d ? r - d : r;
}

/** W·H of a node from its class counts (w, label sums s; class 0 has the rest), as the entropy offers compute it. */
function nodeEntropy(w: number, s: Float64Array, width: number): number {
  let e = xlogx(w);
  let rest = w;
  for (let j = 0; j < width; j++) {
    e -= xlogx(s[j]);
    rest -= s[j];
  }
  return e - xlogx(rest);
}

function search(
  binned: BinnedData,
  n: number,
  w: number,
  sv: Float64Array,
  rule: SplitRule,
  treeSeed: number,
  nodeKey: number,
  scratch: SplitScratch,
  out: Split,
  from: number,
): boolean {
  const F = binned.features;
  const order = scratch.order;
  const minLeaf = rule.minSamplesLeaf;
  const W = scratch.width;
  const { bin, n: bn, w: bw, s: bs, inv, cum } = scratch;
  const entropy = rule.criterion === 'entropy';
  const s = sv[0];
  scratch.tot = sv;
  scratch.entropy = entropy;
  scratch.l2 = rule.l2 ?? 0;
  scratch.minW = rule.minWeight ?? 0;
  // The gain is bestNum itself (entropy, L2), or bestNum / (bestDen · w).
  const direct = entropy || scratch.l2 > 0;
  for (let f = 0; f < F; f++) order[f] = f;
  out.feature = -1;
  out.bin = -1;
  out.gain = 0;
  // The best candidate's gain is bestNum / (bestDen · w) (see offer); an entropy gain is bestNum itself and must
  // beat the rounding of its terms (a split that changes no class proportion has gain 0 ± a few ulps).
  scratch.bestNum = 0;
  scratch.bestDen = 1;
  if (entropy) {
    scratch.parentE = nodeEntropy(w, sv, W);
    scratch.bestNum = 1e-12 * (w + 1) * Math.log(w + 2);
  }
  const floor = scratch.bestNum;
  let visited = 0;
  const prefix = hashPrefix(treeSeed, nodeKey);
  for (let i = 0; i < F && visited < rule.maxFeatures; i++) {
    const j = i + modUint32(hashFinish(prefix, i), F - i, inv[F - i]);
    const f = order[j];
    order[j] = order[i];
    order[i] = f;
    const flags = binned.flags[f];
    scratch.kind = BY_THRESHOLD;
    scratch.missSeen = false;
    if (from === FROM_SORTED && flags === 0) {
      if (scanSorted(f, n, w, s, minLeaf, scratch, out)) visited++;
      continue;
    }
    const m = from === FROM_SORTED ? fillFromSorted(f, scratch) : from === FROM_SAMPLES ? fillFromSamples(binned, f, scratch) : fillFromHistogram(binned, f, scratch);
    if (m < 2) continue; // constant in this node: not counted
    visited++;
    if ((flags & CATEGORICAL) !== 0) {
      scanCategories(f, m, n, w, s, minLeaf, scratch, out);
      continue;
    }
    // The node's missing rows, when it has some, are its last non-empty bin.
    const missing = (flags & MISSING) !== 0 && bin[m - 1] === binned.nBins[f] - 1;
    scratch.missSeen = missing;
    let nL = bn[0];
    let wL = bw[0];
    if (W > 1) {
      for (let q = 0; q < W; q++) cum[q] = bs[q];
      for (let c = 1; c < m; c++) {
        if (n - nL < minLeaf) break;
        if (nL >= minLeaf) offerK(scratch, out, f, (bin[c - 1] << 8) | bin[c], nL, wL, w);
        nL += bn[c];
        wL += bw[c];
        for (let q = 0; q < W; q++) cum[q] += bs[c * W + q];
      }
      if (missing && m > 2) scanMissingLeft(f, m, n, w, s, minLeaf, scratch, out);
      continue;
    }
    let sL = bs[0];
    for (let c = 1; c < m; c++) {
      if (n - nL < minLeaf) break;
      if (nL >= minLeaf) {
        if (entropy) offerEntropy1(scratch, out, f, (bin[c - 1] << 8) | bin[c], nL, wL, sL, w, s);
        else offer(scratch, out, f, (bin[c - 1] << 8) | bin[c], nL, wL, sL, w, s);
      }
      nL += bn[c];
      wL += bw[c];
      sL += bs[c];
    }
    if (missing && m > 2) scanMissingLeft(f, m, n, w, s, minLeaf, scratch, out);
  }
  out.isSet = false;
  if (out.feature < 0) return false;
  out.gain = direct ? scratch.bestNum : scratch.bestNum / (scratch.bestDen * w);
  const f = out.feature;
  if (out.kind === BY_SET) {
    out.isSet = true;
    out.bin = 0;
  } else {
    out.bin = splitBin(binned, f, out.bin >> 8, out.bin & 255);
    // Missing rows go left when that scored best, or, unseen in the node, when the left child has more rows.
    if (out.kind === MISSING_LEFT || ((binned.flags[f] & MISSING) !== 0 && !out.missSeen && 2 * out.nL > n)) {
      const bits = out.set;
      bits.fill(0);
      for (let b = 0; b <= out.bin; b++) addToSet(bits, b);
      addToSet(bits, binned.nBins[f] - 1);
      out.isSet = true;
      out.bin = 0;
    }
  }
  return !entropy || scratch.bestNum > floor;
}

/** Non-empty bins of feature f from the runs of its sorted list (sorted.ts; width 1), into scratch; returns how many. */
function fillFromSorted(f: number, sc: SplitScratch): number {
  const lists = sc.sorted!;
  const { slots, codes, w: sw, s: ss } = lists;
  const { bin, n, w, s } = sc;
  const o = f * lists.capacity;
  let m = -1;
  let prev = -1;
  for (let k = o + sc.start; k < o + sc.end; k++) {
    const c = codes[k];
    if (c !== prev) {
      m++;
      bin[m] = c;
      n[m] = 0;
      w[m] = 0;
      s[m] = 0;
      prev = c;
    }
    const sl = slots[k];
    n[m] += 1;
    w[m] += sw[sl];
    s[m] += ss[sl];
  }
  return m + 1;
}

/**
 * The candidates "codes ≤ b and the missing rows" left of a feature whose node holds missing rows (its last
 * non-empty bin, index m − 1) and at least two value bins: the missing bin starts on the left, then the value bins
 * join it in ascending order. ("Only the missing rows left" is the first scan's last candidate, mirrored.)
 */
function scanMissingLeft(f: number, m: number, n: number, w: number, s: number, minLeaf: number, sc: SplitScratch, out: Split): void {
  const { ord } = sc;
  ord[0] = m - 1;
  for (let c = 0; c < m - 1; c++) ord[c + 1] = c;
  sc.kind = MISSING_LEFT;
  scanOrdered(f, m, 1, n, w, s, minLeaf, sc, out);
}

/**
 * A categorical feature's candidates: its non-empty bins ordered by mean label (each class's share, with more than
 * two classes: one order per class), ties by bin; every prefix is a left set. The winning set is written to
 * out.set while its order is at hand.
 */
function scanCategories(f: number, m: number, n: number, w: number, s: number, minLeaf: number, sc: SplitScratch, out: Split): void {
  const { ord, key, w: bw, s: bs, bin } = sc;
  const W = sc.width;
  sc.kind = BY_SET;
  for (let cls = W === 1 ? 1 : 0; cls <= W; cls++) {
    for (let i = 0; i < m; i++) {
      let v: number;
      if (W === 1) v = bs[i];
      else if (cls > 0) v = bs[i * W + cls - 1];
      else {
        v = bw[i];
        for (let j = 0; j < W; j++) v -= bs[i * W + j];
      }
      key[i] = v / bw[i];
      // Insertion sort by (key, bin): a node holds few categories.
      let p = i;
      while (p > 0 && key[ord[p - 1]] > key[i]) {
        ord[p] = ord[p - 1];
        p--;
      }
      ord[p] = i;
    }
    const before = sc.kept;
    scanOrdered(f, m, 0, n, w, s, minLeaf, sc, out);
    if (sc.kept === before) continue;
    const bits = out.set;
    bits.fill(0);
    for (let c = 0; c < out.bin; c++) addToSet(bits, bin[ord[c]]);
  }
}

/**
 * Offer the candidates "the bins ord[0..c] go left" of feature f for c = from…m − 2 (ord[0, from) start on the left
 * whatever c): by set, the candidate's bin field is the prefix length; otherwise the boundary (ord[c], ord[c + 1]).
 */
function scanOrdered(f: number, m: number, from: number, n: number, w: number, s: number, minLeaf: number, sc: SplitScratch, out: Split): void {
  const { ord, bin, n: bn, w: bw, s: bs, cum } = sc;
  const W = sc.width;
  const bySet = sc.kind === BY_SET;
  let nL = 0;
  let wL = 0;
  let sL = 0;
  if (W > 1) cum.fill(0);
  for (let c = 0; c < m - 1; c++) {
    const i = ord[c];
    nL += bn[i];
    wL += bw[i];
    if (W > 1) for (let q = 0; q < W; q++) cum[q] += bs[i * W + q];
    else sL += bs[i];
    if (c < from) continue;
    if (n - nL < minLeaf) break;
    if (nL < minLeaf) continue;
    const code = bySet ? c + 1 : (bin[i] << 8) | bin[ord[c + 1]];
    if (W > 1) offerK(sc, out, f, code, nL, wL, w);
    else if (sc.entropy) offerEntropy1(sc, out, f, code, nL, wL, sL, w, s);
    else offer(sc, out, f, code, nL, wL, sL, w, s);
  }
}

/**
 * The bin a split between the node's non-empty bins `prev` < `next` of feature f is recorded at (codes ≤ it go
 * left): every bin in [prev, next) splits the node's rows the same way, but not the rows of the empty bins between
 * (other folds' test rows, other trees' out-of-bag rows). With one distinct value per bin, scikit-learn's rule:
 * the threshold is the midpoint of the two training values, values ≤ it go left. Otherwise the bin edge in the
 * middle of the gap.
 */
export function splitBin(binned: BinnedData, f: number, prev: number, next: number): number {
  const v = binned.values.length > f ? binned.values[f] : undefined;
  if (v === undefined || v.length === 0) return (prev + next - 1) >> 1;
  const t = (v[prev] + v[next]) * 0.5;
  let b = next - 1;
  while (b > prev && v[b] > t) b--;
  return b;
}
