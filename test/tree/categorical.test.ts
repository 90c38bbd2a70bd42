/**
 * Splits on sets of bins: a categorical feature's categories (ordered by the node's mean label, the best prefix
 * taken, as LightGBM and HistGradientBoosting) and a learned direction for missing values (scikit-learn ≥ 1.4). The
 * partition found must be the best of all 2^(C−1) for squared error and two classes; every builder must grow the
 * same trees; raw-value and bin-code prediction must agree.
 */
import { describe, expect, it } from 'vitest';
import { binDataset, CATEGORICAL, MISSING } from '../../dist/tree/binning.js';
import { GrowWorkspace, growTree, type GrowInput } from '../../dist/tree/grower.js';
import { classLabels, quantizeLabels } from '../../dist/tree/labels.js';
import { predictForest, predictForestBinned } from '../../dist/tree/predict.js';
import { inSet, type TreeArrays } from '../../dist/tree/tree.js';
import { growSubtree } from '../../dist/tree/subtree.js';
import { ROOT_KEY } from '../../dist/tree/splitter.js';
import { treeSeed } from '../../dist/tree/grower.js';
import type { Dataset } from '../../dist/data/dataset.js';
import { fitTreesLevelWise } from './levelwise-reference.js';
import { categoricalTable, seq, table } from './fixture.js';

function input(d: Dataset, rule: Partial<GrowInput['rule']> = {}, maxBins = 255, train = seq(d.rows)): GrowInput {
  return {
    binned: binDataset(d, maxBins),
    labels: d.classes ? classLabels(d.y, d.classes.length) : quantizeLabels(d.y),
    train,
    seed: 3,
    rule: { maxDepth: Infinity, maxFeatures: d.featureNames.length, minSamplesLeaf: 1, bootstrap: false, ...rule },
  };
}

/** The rows of node 0's left child under the root split of t (codes of its feature). */
function leftCodes(t: TreeArrays, categories: number): number[] {
  return Array.from({ length: categories }, (_, c) => c).filter((c) => inSet(t.sets, t.set[0], c));
}

/** The best left set of all 2^(C−1) partitions of the categories by an impurity decrease (the larger side excluded by symmetry). */
function bruteForce(codes: number[], y: number[], categories: number, decrease: (l: number[], r: number[]) => number): { best: number; set: number[] } {
  let best = -Infinity;
  let set: number[] = [];
  for (let mask = 1; mask < 1 << (categories - 1); mask++) {
    const inLeft = (c: number): boolean => ((mask >> c) & 1) === 1;
    const l = y.filter((_, i) => inLeft(codes[i]));
    const r = y.filter((_, i) => !inLeft(codes[i]));
    if (l.length === 0 || r.length === 0) continue;
    const g = decrease(l, r);
    if (g > best) {
      best = g;
      set = Array.from({ length: categories }, (_, c) => c).filter(inLeft);
    }
  }
  return { best, set };
}

const sse = (v: number[]): number => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) ** 2, 0);
};
const gini = (v: number[]): number => {
  const p = v.filter((c) => c === 1).length / v.length;
  return v.length * 2 * p * (1 - p);
};

/** A one-feature categorical table of `categories` codes (all present) with a target from `f`. */
function oneCategorical(rows: number, categories: number, f: (c: number, i: number) => number): Dataset {
  const codes = Array.from({ length: rows }, (_, i) => (i * 7 + (i >> 3)) % categories);
  const d = table([codes], codes.map(f));
  return { ...d, featureInfo: [{ kind: 'categorical', categories: Array.from({ length: categories }, (_, c) => `c${c}`) }] };
}

describe('splits on sets of categories', () => {
  it('bins a categorical feature one bin per category and flags it', () => {
    const d = categoricalTable(400, 1);
    const b = binDataset(d, 255);
    expect(b.nBins[0]).toBe(12);
    expect(Array.from(b.thresholds[0])).toEqual(Array.from({ length: 11 }, (_, c) => c + 0.5));
    expect(Array.from(b.flags)).toEqual([CATEGORICAL, MISSING, 0]);
  });

  /** Grow a stump on d's one categorical feature: its left set (or its complement) must be the brute-force best; returns both gains. */
  function expectBestStump(d: Dataset, C: number, impurity: (v: number[]) => number): { gain: number; best: number } {
    const t = growTree(input(d, { maxDepth: 1 }), 0);
    expect(t.set[0]).toBe(0);
    const y = Array.from(d.y);
    const brute = bruteForce(Array.from(d.x), y, C, (l, r) => impurity(y) - impurity(l) - impurity(r));
    const got = leftCodes(t, C);
    const complement = Array.from({ length: C }, (_, c) => c).filter((c) => !got.includes(c));
    expect([got, complement]).toContainEqual(brute.set);
    return { gain: t.gain[0], best: brute.best };
  }

  it('finds the best partition of all 2^(C−1) for squared error (regression)', () => {
    const effect = [3, -2, 7, 0, 5, -4, 1, 6, -1];
    const { gain, best } = expectBestStump(oneCategorical(360, 9, (c, i) => effect[c] + ((i * 13) % 10) / 10), 9, sse);
    expect(gain).toBeCloseTo(best, 6);
  });

  it('finds the best partition for two classes under Gini', () => {
    const p = [0.9, 0.1, 0.6, 0.3, 0.8, 0.05, 0.5, 0.7];
    const d = { ...oneCategorical(400, 8, (c, i) => (((i * 37) % 100) / 100 < p[c] ? 1 : 0)), classes: ['no', 'yes'] };
    expectBestStump(d, 8, gini);
  });

  it('sends a category absent from the node right, and beats the ordinal split of the same codes', () => {
    const d = categoricalTable(600, 2);
    const cat = table([Array.from(d.x.subarray(0, d.rows))], Array.from(d.y));
    const asSet = { ...cat, featureInfo: [{ kind: 'categorical' as const, categories: d.featureInfo![0].kind === 'categorical' ? d.featureInfo![0].categories : [] }] };
    const depth2 = (x: Dataset): number => growTree(input(x, { maxDepth: 2 }), 0).gain.reduce((a, b) => a + b, 0);
    expect(depth2(asSet)).toBeGreaterThan(depth2(cat));
    // Train without category 5: its rows are in no left set.
    const train = Uint32Array.from(seq(d.rows).filter((i) => d.x[i] !== 5));
    const t = growTree(input(asSet, {}, 255, train), 0);
    for (let i = 0; i < t.nodes; i++) if (t.set[i] >= 0) expect(inSet(t.sets, t.set[i], 5)).toBe(false);
  });
});

describe('the direction of missing values', () => {
  // x = 0…9 (10 rows each); y = x, and the missing rows' y is 0, like the lowest values.
  const x = Array.from({ length: 120 }, (_, i) => (i < 100 ? i % 10 : NaN));
  const y = x.map((v) => (Number.isNaN(v) ? 0 : v));

  it('is learned: missing rows that behave like low values go left with them', () => {
    const d = table([x], y);
    const t = growTree(input(d, { maxDepth: 1 }), 0);
    expect(t.set[0]).toBe(0);
    expect(leftCodes(t, 11)).toEqual([0, 1, 2, 3, 10]); // the missing bin is code 10
    const [, left] = [t.value[0], t.value[t.left[0]]];
    expect(Array.from(predictForest([t], Float64Array.of(NaN), 1, Uint32Array.of(0), [input(d).binned.thresholds[0]]))).toEqual([left]);
  });

  it('follows the child with more rows where the node saw no missing value (scikit-learn), else right', () => {
    // Training rows hold no missing value; the feature has some elsewhere.
    const train = Uint32Array.from(seq(100));
    const big = table([x], x.map((v) => (v >= 7 ? 10 : 0)));
    const t = growTree(input(big, { maxDepth: 1 }, 255, train), 0);
    expect(t.set[0]).toBe(0); // left (x ≤ 6.5: 70 rows) is larger: missing joins it
    expect(leftCodes(t, 11)).toEqual([0, 1, 2, 3, 4, 5, 6, 10]);
    const small = table([x], x.map((v) => (v >= 3 ? 10 : 0)));
    const u = growTree(input(small, { maxDepth: 1 }, 255, train), 0);
    expect(u.set.length).toBe(0); // left is smaller: a threshold split (no set in the tree), missing goes right
    expect(u.binThreshold[0]).toBe(2);
  });
});

describe('every builder grows the same trees with categories and missing values', () => {
  const cases: [string, Dataset, Partial<GrowInput['rule']>, number][] = [
    ['regression', categoricalTable(1500, 5), { bootstrap: true }, 255],
    ['regression, sqrt features, 16 bins', categoricalTable(1500, 6, 40), { bootstrap: true, maxFeatures: 2 }, 16],
    ['two classes, entropy', categoricalTable(1200, 7, 12, 2), { bootstrap: true, criterion: 'entropy', minSamplesLeaf: 2 }, 255],
    ['three classes', categoricalTable(1200, 8, 12, 3), { bootstrap: true }, 255],
  ];
  for (const [name, d, rule, bins] of cases) {
    it(`depth-first (every sample path), level-wise, subtree (${name})`, () => {
      const inp = input(d, rule, bins, Uint32Array.from(seq(d.rows).filter((i) => i % 5 !== 1)));
      const ref = [0, 1].map((t) => growTree(inp, t, new GrowWorkspace(inp, 0)));
      expect(ref[0].sets.length).toBeGreaterThan(0);
      for (const limit of [1e9, 40, undefined]) expect([0, 1].map((t) => growTree(inp, t, new GrowWorkspace(inp, limit)))).toEqual(ref);
      for (const P of [1, 3]) expect(fitTreesLevelWise(inp, [0, 1], P)).toEqual(ref);
      // The whole tree as one subtree from the root's rows (what a native worker grows).
      const rows = Array.from(inp.train);
      const counts = new Uint8Array(rows.length).fill(1);
      const { binned, labels } = inp;
      const codes = new Uint8Array(rows.length * binned.features);
      for (let f = 0; f < binned.features; f++) rows.forEach((r, k) => (codes[f * rows.length + k] = binned.codes[f * binned.rows + r]));
      const yq = Float64Array.from(rows, (r) => labels.yq[r]);
      const sub = growSubtree(binned, labels, { ...inp.rule, bootstrap: false }, treeSeed(inp.seed, 0), { depth: 0, key: ROOT_KEY }, { rows: rows.length, codes, counts, yq });
      const noBootstrap = { ...inp, rule: { ...inp.rule, bootstrap: false } };
      expect(sub).toEqual(growTree(noBootstrap, 0));
    });
  }

  it('predicts the same bits from raw values and from bin codes, pooled categories (more than maxBins) included', () => {
    for (const [d, bins] of [[categoricalTable(2000, 9), 255], [categoricalTable(2000, 10, 300), 32]] as const) {
      const inp = input(d, { bootstrap: true, maxDepth: 8 }, bins);
      const trees = [0, 1, 2].map((t) => growTree(inp, t));
      expect(trees.some((t) => t.sets.length > 0)).toBe(true);
      const rows = seq(d.rows);
      const raw = predictForest(trees, d.x, d.rows, rows, inp.binned.thresholds);
      expect(Array.from(raw)).toEqual(Array.from(predictForestBinned(trees, inp.binned.codes, d.rows, rows)));
    }
  });
});
