import { describe, expect, it } from 'vitest';
import { shareDataset } from '../../dist/data/dataset.js';
import { makeFriedman1 } from '../../dist/data/friedman.js';
import { sliceColumns } from '../../dist/strategies/native/assign.js';
import { handleEdgesJob } from '../../dist/strategies/native/worker/handler.js';
import { binColumn, binDataset, binEdges, binningSample, binOf, binRows, binThresholds, cachedBins, edgesOf, sortDoubles, BINNING_SUBSAMPLE } from '../../dist/tree/binning.js';
import { mix32 } from '../../dist/util/random.js';
import { table } from './fixture.js';

const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

describe('binThresholds', () => {
  it('puts quantile thresholds on regular data (sklearn test_find_binning_thresholds_regular_data)', () => {
    const data = linspace(0, 10, 1001);
    expect(Array.from(binThresholds(data, 10))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(binThresholds(data, 5))).toEqual([2, 4, 6, 8]);
  });

  it('uses midpoints between distinct values when there are at most maxBins of them', () => {
    expect(Array.from(binThresholds([3, 1, 1, 2, 3, 3], 255))).toEqual([1.5, 2.5]);
    expect(Array.from(binThresholds([0, 1, 2, 3, 4], 5))).toEqual([0.5, 1.5, 2.5, 3.5]);
  });

  it('gives a constant column no threshold and ignores NaN', () => {
    expect(binThresholds([7, 7, 7], 255).length).toBe(0);
    expect(Array.from(binThresholds([NaN, 1, 2, NaN], 255))).toEqual([1.5]);
  });

  it('drops duplicate quantiles of heavily tied data', () => {
    const data = [...Array(90).fill(0), ...linspace(1, 10, 10)];
    // 11 distinct values > 4 bins: quantiles at 25/50/75% all fall on 0 and collapse to one threshold.
    expect(Array.from(binThresholds(data, 4))).toEqual([0]);
  });

  it('rejects maxBins outside 2..255', () => {
    expect(() => binThresholds([1, 2], 256)).toThrow('maxBins must be an integer from 2 to 255, got 256');
  });
});

describe('binOf and binDataset', () => {
  it('maps v to the first bin b with v <= thr[b] (code b: thr[b-1] < v <= thr[b])', () => {
    const thr = new Float64Array([1.5, 2.5]);
    expect([0, 1.5, 1.6, 2.5, 2.6, NaN].map((v) => binOf(thr, v))).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('bins column-major with per-feature offsets into one histogram', () => {
    const d = table([[1, 2, 3, 2], [5, 5, 5, 5]], [0, 0, 0, 0]);
    const b = binDataset(d, 255);
    expect(Array.from(b.codes)).toEqual([0, 1, 2, 1, 0, 0, 0, 0]);
    expect(Array.from(b.nBins)).toEqual([3, 1]);
    expect(Array.from(b.offsets)).toEqual([0, 3, 4]);
    expect(b.totalBins).toBe(4);
    expect(Array.from(b.thresholds[0])).toEqual([1.5, 2.5]);
  });

  it('bins once per (dataset, maxBins) through the cache', () => {
    const d = table([[1, 2, 3]], [0, 0, 0]);
    const cache = new Map<string, unknown>();
    const a = cachedBins(d, 32, cache);
    expect(cachedBins(d, 32, cache)).toBe(a);
    expect(cachedBins(d, 16, cache)).not.toBe(a);
    expect([...cache.keys()].sort()).toEqual(['bins:16', 'bins:32']);
  });

  it('subsamples at most 200 000 rows for the quantiles', () => {
    expect(BINNING_SUBSAMPLE).toBe(200_000);
  });
});

describe('binColumn', () => {
  it('gives exactly binOf for every value (skewed, clustered, huge, tiny, repeated, NaN, infinite, at and next to thresholds)', () => {
    const u = (i: number) => mix32(i) / 2 ** 32;
    const gens: ((i: number) => number)[] = [
      u,
      (i) => Math.exp(20 * u(i)),
      (i) => mix32(i) % 7,
      (i) => 1e15 + (mix32(i) % 1000),
      (i) => 1e-300 * (mix32(i) % 500),
      (i) => (mix32(i) % 10 === 0 ? 1e6 : 0) + u(i + 7),
    ];
    for (const g of gens) {
      for (const maxBins of [2, 3, 16, 255]) {
        const col = Float64Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? [NaN, Infinity, -Infinity][i % 3] : g(i)));
        const thr = binThresholds(col, maxBins);
        const near = Array.from(thr, (t) => [t, t + Math.abs(t) * 1e-16, t - Math.abs(t) * 1e-16]).flat();
        const probe = Float64Array.from([...col, ...near, 0, -0]);
        const out = new Uint8Array(probe.length);
        binColumn(thr, probe, out);
        expect(Array.from(out)).toEqual(Array.from(probe, (v) => binOf(thr, v)));
      }
    }
  });
});

describe('sortDoubles (the radix sort thresholds use)', () => {
  it('orders doubles exactly as TypedArray#sort: negatives, −0 before +0, subnormals, infinities, ties', () => {
    let state = 7;
    const next = () => (state = mix32(state + 0x9e3779b9)) / 2 ** 32;
    const special = [0, -0, 1, -1, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE];
    const kinds: (() => number)[] = [
      () => next(),
      () => (next() - 0.5) * 1e300,
      () => special[Math.floor(next() * special.length)],
      () => Math.round(next() * 10) - 5,
      () => (next() < 0.5 ? -1 : 1) * next() * 1e-310,
    ];
    for (const kind of kinds) {
      for (const n of [100, 5000, 70_000]) {
        const values = Float64Array.from({ length: n }, kind);
        const expected = values.slice().sort();
        const got = sortDoubles(values.slice());
        expect(Array.from(got, (v) => (Object.is(v, -0) ? '-0' : v))).toEqual(Array.from(expected, (v) => (Object.is(v, -0) ? '-0' : v)));
      }
    }
  });
});

describe('edges found feature by feature (the native workers’ edges jobs)', () => {
  it('equal binDataset’s thresholds, subsample included, for several maxBins at once', () => {
    const rows = BINNING_SUBSAMPLE + 50_000;
    const data = makeFriedman1({ rows, noise: 1, features: 4, seed: 5 }, 'friedman1');
    const sample = binningSample(rows);
    expect(sample?.length).toBe(BINNING_SUBSAMPLE);
    const { thresholds, values } = handleEdgesJob({ type: 'edges', job: 0, table: shareDataset(data), sample, maxBins: [255, 16], features: [3, 0] });
    for (const [b, maxBins] of [255, 16].entries()) {
      const whole = binDataset(data, maxBins);
      expect(thresholds.map((perBins) => perBins[b])).toEqual([whole.thresholds[3], whole.thresholds[0]]);
      expect(values.map((perBins) => perBins[b])).toEqual([whole.values[3], whole.values[0]]);
      expect(edgesOf(whole.thresholds, rows, whole.values)).toEqual(binEdges(data, maxBins));
      expect(binRows(whole.thresholds, data.x, rows, 1000, 3000)).toEqual(sliceColumns(whole.codes, rows, 4, 1000, 3000));
    }
  });
});
