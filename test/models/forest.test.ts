import { describe, expect, it } from 'vitest';
import { featureImportances, randomForest, type FittedForest } from '../../dist/models/forest.js';
import { categoricalTable, randomTable, seq, table } from '../tree/fixture.js';
import type { Params } from '../../dist/models/params.js';

const fitInput = (d: ReturnType<typeof table>, seed = 1) => ({ data: d, train: seq(d.rows), seed, partitions: 16, cache: new Map<string, unknown>() });

describe('randomForest', () => {
  it('declares the forest parameters', () => {
    expect(randomForest.kind).toBe('rf');
    expect(randomForest.title).toBe('random forest');
    expect(randomForest.params.map((p) => p.name)).toEqual(['numTrees', 'maxDepth', 'maxFeatures', 'minSamplesLeaf', 'maxBins', 'bootstrap', 'criterion']);
  });

  it('averages its trees: without bootstrap every tree fits a pure table exactly', () => {
    const d = table([[1, 2, 3, 4]], [1, 2, 10, 12]);
    const m = randomForest.fit(fitInput(d), { numTrees: 3, bootstrap: false });
    expect(Array.from(m.predict(d, seq(4)))).toEqual([1, 2, 10, 12]);
  });

  it('shares the first trees between forests of different sizes (trees keyed by (seed, t))', () => {
    const d = randomTable(300, 4, 2);
    const small = randomForest.fit(fitInput(d), { numTrees: 3 }) as FittedForest;
    const big = randomForest.fit(fitInput(d), { numTrees: 8 }) as FittedForest;
    expect(big.trees.slice(0, 3)).toEqual(small.trees);
    const other = randomForest.fit(fitInput(d, 2), { numTrees: 3 }) as FittedForest;
    expect(other.trees[0]).not.toEqual(small.trees[0]);
  });

  it('reuses the trees a previous fit in the thread grew (same rows, seed and tree parameters) and nothing else', () => {
    const d = randomTable(400, 4, 6);
    const shared = fitInput(d);
    const fresh = (params: Params, train = shared.train) =>
      randomForest.fit({ ...fitInput(d), train }, params) as FittedForest;
    const refit = (params: Params, train = shared.train) => randomForest.fit({ ...shared, train }, params) as FittedForest;
    const five = refit({ numTrees: 5 });
    const eight = refit({ numTrees: 8 });
    expect(eight.trees[0]).toBe(five.trees[0]); // reused, not regrown
    expect(eight.trees).toEqual(fresh({ numTrees: 8 }).trees);
    expect(refit({ numTrees: 3 }).trees).toEqual(fresh({ numTrees: 3 }).trees);
    // Other tree parameters or rows: their own trees.
    expect(refit({ numTrees: 4, maxDepth: 2 }).trees).toEqual(fresh({ numTrees: 4, maxDepth: 2 }).trees);
    const half = seq(200);
    expect(refit({ numTrees: 4 }, half).trees).toEqual(fresh({ numTrees: 4 }, half).trees);
    expect(Array.from(refit({ numTrees: 8 }).predict(d, seq(400)))).toEqual(Array.from(fresh({ numTrees: 8 }).predict(d, seq(400))));
  });

  it('saves to JSON with flat arrays and loads back to identical predictions', () => {
    const d = randomTable(300, 4, 3);
    const m = randomForest.fit(fitInput(d), { numTrees: 4, maxDepth: 3, maxFeatures: 'sqrt' });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(json.model).toBe('rf');
    expect(json.params).toEqual({ numTrees: 4, maxDepth: 3, maxFeatures: 'sqrt', minSamplesLeaf: 1, maxBins: 255, bootstrap: true });
    expect(json.features).toEqual(['x0', 'x1', 'x2', 'x3']);
    expect(Object.keys(json.trees[0])).toEqual(['feature', 'threshold', 'left', 'right', 'value']);
    expect(json.trees[0].feature.length).toBeLessThanOrEqual(15);
    const loaded = randomForest.load(json);
    expect(Array.from(loaded.predict(d, seq(300)))).toEqual(Array.from(m.predict(d, seq(300))));
    expect(Array.from(featureImportances(loaded))).toEqual(json.importances);
  });

  it('saves splits on sets of categories and learned missing directions with the bins they read', () => {
    const d = categoricalTable(600, 4);
    const m = randomForest.fit(fitInput(d), { numTrees: 4, maxDepth: 6 }) as FittedForest;
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(json.trees.some((t: { sets?: number[] }) => (t.sets?.length ?? 0) > 0)).toBe(true);
    // The bins of the features set splits read: the categories' (one per code) and the missing feature's.
    expect(json.bins[0]).toEqual(Array.from({ length: 11 }, (_, c) => c + 0.5));
    expect(json.bins[1].at(-1)).toBe(Number.MAX_VALUE);
    expect(json.bins[2]).toBeNull();
    const loaded = randomForest.load(json);
    expect(Array.from(loaded.predict(d, seq(600)))).toEqual(Array.from(m.predict(d, seq(600))));
    const tree = json.trees.findIndex((t: { sets?: number[] }) => (t.sets?.length ?? 0) > 0);
    const broken = structuredClone(json);
    broken.trees[tree].set[broken.trees[tree].set.findIndex((q: number) => q >= 0)] = 99;
    expect(() => randomForest.load(broken)).toThrow(new RegExp(`^not a saved random forest: trees\\[${tree}\\] node \\d+ has set 99, not one of the tree's \\d+ sets of a split$`));
    const noBins = { ...json, bins: undefined };
    expect(() => randomForest.load(noBins)).toThrow(/on a set of bins, but bins has none for it$/);
  });

  it('rejects a saved model with broken trees, naming the problem', () => {
    const bad = { model: 'rf' as const, params: {}, features: ['a'], trees: [{ feature: [0], threshold: [1], left: [5], right: [6], value: [0] }] };
    expect(() => randomForest.load(bad)).toThrow('not a saved random forest: trees[0] node 0 has invalid children or feature');
    expect(() => randomForest.load({ model: 'linear', params: {}, features: [] })).toThrow('model is "linear", expected "rf"');
  });

  it('gives impurity importances that sum to 1 and favour the informative features', () => {
    const d = randomTable(500, 4, 4); // y depends on x0 and x1 only
    const imp = featureImportances(randomForest.fit(fitInput(d), { numTrees: 10 }));
    expect(imp.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
    expect(Math.min(imp[0], imp[1])).toBeGreaterThan(Math.max(imp[2], imp[3]));
  });

  it('fails a fit without training rows as a model error', () => {
    const d = table([[1, 2]], [1, 2]);
    expect(() => randomForest.fit({ ...fitInput(d), train: new Uint32Array(0) }, {})).toThrow('a random forest needs at least one training row');
  });
});
