// Small nodes grown whole by a worker from their rows (local.ts, tree/subtree.ts): the same trees as the depth-first
// grower, whether every node, none, or some of them (mixed with histogram nodes, derived siblings, passes) are local.
import { describe, expect, it } from 'vitest';
import { makeFolds, trainRows } from '../../dist/data/folds.js';
import { makeFriedman1 } from '../../dist/data/friedman.js';
import { loadData } from '../../dist/data/load.js';
import { randomForest } from '../../dist/models/forest.js';
import { binDataset } from '../../dist/tree/binning.js';
import { bootstrapCounts } from '../../dist/tree/bootstrap.js';
import { growTree, treeSeed } from '../../dist/tree/grower.js';
import { quantizeLabels } from '../../dist/tree/labels.js';
import { ROOT_KEY } from '../../dist/tree/splitter.js';
import { growSubtree } from '../../dist/tree/subtree.js';
import { autoLocalRows } from '../../dist/strategies/native/driver/local.js';
import { randomTable } from '../tree/fixture.js';
import { makePlan, reference, results, runNative } from './native-fixture.js';

describe('native strategy: small nodes grown whole from their rows', () => {
  it('growSubtree from a root’s rows equals growTree, array for array', () => {
    const data = randomTable(700, 5, 9);
    const binned = binDataset(data, 48);
    const labels = quantizeLabels(data.y);
    const train = trainRows(makeFolds(700, { kind: 'kfold', folds: 3 }, 5), 1);
    const rule = { maxDepth: Infinity, maxFeatures: 3, minSamplesLeaf: 2, bootstrap: true };
    for (const t of [0, 1, 2]) {
      const counts = bootstrapCounts(13, t, train, 0, 700, true);
      const rows = Array.from(train).filter((i) => counts[i] > 0).reverse(); // any row order gives the same tree
      const m = rows.length;
      const codes = new Uint8Array(m * 5);
      rows.forEach((i, k) => {
        for (let j = 0; j < 5; j++) codes[j * m + k] = binned.codes[j * 700 + i];
      });
      const samples = { rows: m, codes, counts: Uint8Array.from(rows, (i) => counts[i]), yq: Float64Array.from(rows, (i) => labels.yq[i]) };
      const sub = growSubtree(binned, labels, rule, treeSeed(13, t), { depth: 0, key: ROOT_KEY }, samples);
      expect(sub).toEqual(growTree({ binned, labels, train, seed: 13, rule }, t));
      expect(sub.nodes).toBeGreaterThan(100);
    }
  });

  it('sizes "auto" as 256 rows per bin of a feature, or more when the rows are still no bigger than a histogram', () => {
    // 10 features, 1 500 bins: 150 bins per feature; 36 000 bytes of histogram, 19 bytes per row.
    expect(autoLocalRows(10, 4500)).toBe(38_400);
    // One feature of 255 bins: 6 120 bytes of histogram, 10 bytes per row.
    expect(autoLocalRows(1, 765)).toBe(65_280);
    // 200 features of 2 bins: the byte rule (9 600 bytes / 209 bytes per row) wins.
    expect(autoLocalRows(200, 1200)).toBe(512);
  });

  it('equals thread-pool with no, few, some or all nodes local (diabetes, 3 folds, unlimited depth)', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, [{ numTrees: 4 }, { numTrees: 3, maxBins: 32, minSamplesLeaf: 3, maxFeatures: 'sqrt' }], { kind: 'kfold', folds: 3 });
    const expected = results(reference(plan, randomForest));
    for (const localRows of [0, 3, 25, 120, 'auto' as const]) {
      expect(results((await runNative(plan, { localRows })).outcomes)).toEqual(expected);
    }
    // Mixed with shared passes, a forest's level split over several passes, stateless jobs and 1 or 3 workers.
    expect(results((await runNative(plan, { localRows: 25, parallelism: 2, maxHistogramMB: 1 / 16 })).outcomes)).toEqual(expected);
    expect(results((await runNative({ ...plan, workers: 1 }, { localRows: 60, stateless: true })).outcomes)).toEqual(expected);
    expect(results((await runNative({ ...plan, workers: 3 }, { localRows: 8, stateless: true, maxHistogramMB: 1 / 16 })).outcomes)).toEqual(expected);
  });

  it('equals thread-pool on Friedman #1 (10 000 rows, maxDepth 8) with histogram levels above local subtrees', async () => {
    const data = makeFriedman1({ rows: 10_000, noise: 1, features: 10, seed: 1 }, 'friedman1:rows=10000');
    const plan = makePlan(data, [{ numTrees: 3, maxDepth: 8 }], { kind: 'holdout', testFraction: 0.2 });
    expect(results((await runNative(plan, { localRows: 1500 })).outcomes)).toEqual(results(reference(plan, randomForest)));
  });

  it('ships far fewer bytes than histograms of tiny nodes would', async () => {
    const { data } = await loadData('diabetes');
    const plan = makePlan(data, [{ numTrees: 3 }], { kind: 'kfold', folds: 2 });
    const off = await runNative(plan, { localRows: 0 });
    const auto = await runNative(plan);
    expect(results(auto.outcomes)).toEqual(results(off.outcomes));
    // Level jobs (splits, slot maps) for every level of every tree, against one level job and a subtree job with the rows.
    expect(auto.stats.bytesShipped).toBeLessThan(off.stats.bytesShipped);
  });
});
