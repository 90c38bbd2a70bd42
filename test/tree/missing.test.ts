/**
 * Missing values in the forest: a feature with a NaN gets its own bin above every value (its thresholds end with
 * MISSING_EDGE), so a split can isolate the missing rows; binned training and raw prediction send a NaN the same
 * way (right); a forest learns from missingness itself, the same under every strategy.
 */
import { describe, expect, it } from 'vitest';
import { binDataset, binOf, featureBins, hasMissingBin, MISSING_EDGE } from '../../dist/tree/binning.js';
import { allocateDataset } from '../../dist/data/dataset.js';
import { executeSweep, prepareSweepInput } from '../../dist/api/run.js';

function data(values: number[], y: number[]) {
  const d = allocateDataset('m', ['a'], 'y', values.length);
  d.x.set(values);
  d.y.set(y);
  return d;
}

describe('the missing-values bin', () => {
  it('comes after every value bin, for a NaN anywhere in the column (not only in a subsample)', () => {
    const d = data([3, 1, NaN, 2, 1], [0, 0, 0, 0, 0]);
    const [bins] = featureBins(d, 0, [255], undefined);
    expect(Array.from(bins.thresholds)).toEqual([1.5, 2.5, MISSING_EDGE]);
    expect(Array.from(bins.values)).toEqual([1, 2, 3, NaN]);
    const b = binDataset(d, 255);
    expect(Array.from(b.codes)).toEqual([2, 0, 3, 1, 0]);
    expect(b.nBins[0]).toBe(4);
    expect(binOf(bins.thresholds, NaN)).toBe(3);
    expect(hasMissingBin(bins.thresholds)).toBe(true);
    expect(hasMissingBin(featureBins(data([1, 2], [0, 0]), 0, [255], undefined)[0].thresholds)).toBe(false);
    // A subsample that misses the one NaN still makes the bin.
    const big = new Array(250_000).fill(0).map((_, i) => i % 1000);
    big[123_457] = NaN;
    const sampled = featureBins(data(big, new Array(big.length).fill(0)), 0, [32], Uint32Array.from({ length: 1000 }, (_, i) => i));
    expect(hasMissingBin(sampled[0].thresholds)).toBe(true);
  });

  it('lets a forest learn from missingness itself, with the same metrics under every strategy', async () => {
    // y is 10 where x is missing, else x: a split between the values and the missing bin is the whole story.
    const n = 300;
    const x = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? NaN : (i * 7) % 5));
    const y = x.map((v) => (Number.isNaN(v) ? 10 : v));
    const d = data(x, y);
    const prep = await prepareSweepInput({ data: d, task: 'regression', grid: { numTrees: [5], maxDepth: [3] }, evaluation: { kind: 'kfold', folds: 3 } });
    const ref = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
    expect(ref.best!.metrics.r2).toBeGreaterThan(0.99);
    for (const strategy of ['native', 'udf'] as const) {
      const r = await executeSweep(prep, { strategy, workers: 2 });
      expect(r.trials.map((t) => t.metrics), strategy).toEqual(ref.trials.map((t) => t.metrics));
    }
  }, 60_000);
});
