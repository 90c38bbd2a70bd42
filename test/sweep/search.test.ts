/**
 * The search methods on tiny exact cases: keyed draws, the range parsers, TPE's split, weights, Parzen estimators
 * and densities against hand-computed values (Python's math.erf for the normal integrals), and the metric
 * directions.
 */
import { describe, expect, it } from 'vitest';
import { metricDirection, parseMetricSpec } from '../../dist/eval/metrics.js';
import { propose, roundSizes } from '../../dist/sweep/search/methods.js';
import { fromUniform, keyedRowSample, keyedUniform, randomValue } from '../../dist/sweep/search/random.js';
import { parseRangeText, rangeDimension } from '../../dist/sweep/search/space.js';
import { erf, gamma, logDensity, normalQuantile, observationWeights, parzenEstimator, splitObservations, tpeValue } from '../../dist/sweep/search/tpe.js';
import { paramSpecs } from '../../dist/models/specs.js';
import { halvingRungs, hyperbandBrackets, promote } from '../../dist/sweep/search/halving.js';

const spec = (name: string) => paramSpecs('rf').concat(paramSpecs('linear')).find((s) => s.name === name)!;

describe('keyed randomness', () => {
  it('is a pure function of its keys, in [0, 1), different for different keys', () => {
    expect(keyedUniform(42, 3, 7, 1)).toBe(keyedUniform(42, 3, 7, 1));
    const draws = Array.from({ length: 10_000 }, (_, k) => keyedUniform(42, k, 7, 1));
    expect(draws.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(new Set(draws).size).toBe(draws.length);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01); // 3σ of a uniform mean over 10 000 draws is 0.0087
    expect(keyedUniform(42, 3, 7, 1)).not.toBe(keyedUniform(43, 3, 7, 1));
    expect(keyedUniform(42, 3, 7, 1)).not.toBe(keyedUniform(42, 3, 7, 2));
  });
  it('draws from each kind of dimension by its inverse CDF', () => {
    expect(fromUniform({ kind: 'int', low: 10, high: 20, log: false }, 0)).toBe(10);
    expect(fromUniform({ kind: 'int', low: 10, high: 20, log: false }, 0.9999)).toBe(20);
    expect(fromUniform({ kind: 'int', low: 10, high: 20, log: false }, 0.5)).toBe(15);
    expect(fromUniform({ kind: 'int', low: 1, high: 64, log: true }, 0)).toBe(1);
    expect(fromUniform({ kind: 'int', low: 1, high: 64, log: true }, 0.99999)).toBe(64);
    expect(fromUniform({ kind: 'int', low: 1, high: 64, log: true }, 0.5)).toBe(8); // floor(65^0.5) = 8
    expect(fromUniform({ kind: 'float', low: 1e-4, high: 10, log: true }, 0.5)).toBe(0.0316228); // 10^-1.5, 6 digits
    expect(fromUniform({ kind: 'float', low: 0.1, high: 1, log: false }, 0.5)).toBe(0.55);
    expect(fromUniform({ kind: 'choice', values: ['a', 'b', 'c'] }, 0.7)).toBe('c');
  });
  it('samples rows in a keyed order, nested as the sample grows', () => {
    const small = keyedRowSample(100, 10, 42);
    const large = keyedRowSample(100, 30, 42);
    expect(small).toHaveLength(10);
    expect([...small].every((r) => large.includes(r))).toBe(true);
    expect([...large]).toEqual([...large].sort((a, b) => a - b));
    expect(keyedRowSample(100, 10, 43)).not.toEqual(small);
  });
  it('gives trial k the same config whatever the number of trials', () => {
    const space = { numTrees: { kind: 'int', low: 10, high: 500, log: false }, maxFeatures: { kind: 'float', low: 0.1, high: 1, log: false } } as const;
    const five = propose({ method: 'random', trials: 5, batch: 8 }, space, { maxDepth: 5 }, 42, 0, 5, []);
    const ten = propose({ method: 'random', trials: 10, batch: 8 }, space, { maxDepth: 5 }, 42, 0, 10, []);
    expect(ten.slice(0, 5)).toEqual(five);
    expect(five[3]).toEqual({ maxDepth: 5, maxFeatures: randomValue(42, 3, 'maxFeatures', space.maxFeatures), numTrees: randomValue(42, 3, 'numTrees', space.numTrees) });
    expect(roundSizes({ method: 'random', trials: 30, batch: 8 })).toEqual([30]);
    expect(roundSizes({ method: 'tpe', trials: 30, batch: 8 })).toEqual([8, 8, 8, 6]);
  });
});

describe('ranges', () => {
  it('parse from flags and check both ends with the parameter rule', () => {
    expect(parseRangeText('10..500')).toEqual({ min: '10', max: '500', log: false });
    expect(parseRangeText('1e-4..10:log')).toEqual({ min: '1e-4', max: '10', log: true });
    expect(parseRangeText('10,20')).toBeUndefined();
    expect(rangeDimension(spec('numTrees'), { min: '10', max: '500' }, '--trees')).toEqual({ kind: 'int', low: 10, high: 500, log: false });
    expect(rangeDimension(spec('regParam'), { min: '1e-4', max: '10', log: true }, '--reg-param')).toEqual({ kind: 'float', low: 1e-4, high: 10, log: true });
    expect(rangeDimension(spec('maxFeatures'), { min: 0.1, max: 1 }, '--max-features')).toEqual({ kind: 'float', low: 0.1, high: 1, log: false });
    expect(rangeDimension(spec('maxFeatures'), { min: 2, max: 8 }, '--max-features')).toEqual({ kind: 'int', low: 2, high: 8, log: false });
    expect(() => rangeDimension(spec('numTrees'), { min: 50, max: 10 }, '--trees')).toThrow('--trees: a range needs min < max, got 50..10');
    expect(() => rangeDimension(spec('numTrees'), { min: 0, max: 10 }, '--trees')).toThrow(/--trees: numTrees must be >= 1/);
    expect(() => rangeDimension(spec('regParam'), { min: 0, max: 1, log: true }, '--reg-param')).toThrow('--reg-param: a log range needs min > 0, got 0..1:log');
    expect(() => rangeDimension(spec('bootstrap'), { min: 0, max: 1 }, '--bootstrap')).toThrow('--bootstrap: bootstrap takes a list of values, not a range (true,false)');
    expect(rangeDimension(undefined, { min: '1', max: '9' }, '--param k')).toEqual({ kind: 'int', low: 1, high: 9, log: false });
    expect(rangeDimension(undefined, { min: '0.5', max: '9' }, '--param k')).toEqual({ kind: 'float', low: 0.5, high: 9, log: false });
  });
});

describe('TPE (Optuna 3.1 defaults)', () => {
  it("splits by gamma(n) = min(ceil(0.1 n), 25) and weighs as Optuna's default_weights", () => {
    expect([1, 10, 11, 100, 251, 1000].map(gamma)).toEqual([1, 1, 2, 10, 25, 25]);
    expect(observationWeights(3)).toEqual([1, 1, 1]);
    expect(observationWeights(26)).toEqual([1 / 26, ...new Array(25).fill(1)]);
    const w27 = observationWeights(27);
    expect(w27.slice(0, 2)).toEqual([1 / 27, 1]);
    const losses = [3, 1, 2, 5, 4, 1, 9, 8, 7, 6, 0.5];
    const { below, above } = splitObservations(losses.map((loss, number) => ({ number, params: {}, loss })));
    expect(below.map((o) => o.number)).toEqual([1, 10]); // the two lowest: 0.5 (trial 10) and 1 (trial 1 before 5), in trial order
    expect(above.map((o) => o.number)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('builds Parzen estimators as Optuna does: neighbour bandwidths, endpoints rule, magic clip, a prior', () => {
    const d = { kind: 'float', low: 0, high: 10, log: false } as const;
    const two = parzenEstimator(d, [2, 5]);
    // sorted with bounds [0, 2, 5, 10]: the outer two use the inner gap (3), clipped up to 10/min(100, 3) = 3.33…
    expect(two).toMatchObject({ mus: [2, 5, 5], sigmas: [10 / 3, 10 / 3, 10], weights: [1 / 3, 1 / 3, 1 / 3] });
    const one = parzenEstimator(d, [5]);
    expect(one).toMatchObject({ mus: [5, 5], sigmas: [5, 10], weights: [0.5, 0.5] });
    // log p by hand (truncated normals on [0, 10], Python math.erf): -2.2024836316824197 at 5, -2.4021807552800434 at 1
    expect(logDensity(one, 5)).toBeCloseTo(-2.2024836316824197, 10);
    expect(logDensity(one, 1)).toBeCloseTo(-2.4021807552800434, 10);
    // An integer parameter: the mass of [x − 0.5, x + 0.5] on bounds widened by 0.5; σ = max(2.5, 7.5) = 7.5
    const int = parzenEstimator({ kind: 'int', low: 1, high: 10, log: false }, [3]);
    expect(int).toMatchObject({ low: 0.5, high: 10.5, mus: [3, 5.5], sigmas: [7.5, 10] });
    expect(logDensity(int, 3)).toBeCloseTo(-2.2369224356393955, 10);
    // Categorical: each observation's value weighted 1 + 1/(n+1), then normalised; a uniform prior
    const cat = parzenEstimator({ kind: 'choice', values: ['a', 'b', 'c'] }, ['a', 'a']);
    const probs = (cat as { probs: number[][] }).probs;
    [[2 / 3, 1 / 6, 1 / 6], [2 / 3, 1 / 6, 1 / 6], [1 / 3, 1 / 3, 1 / 3]].forEach((row, k) => row.forEach((p, i) => expect(probs[k][i]).toBeCloseTo(p, 15)));
    expect(logDensity(cat, 'a')).toBeCloseTo(Math.log(5 / 9), 12);
  });
  it('scores a candidate by log l(x) − log g(x) (hand-computed: good trial at 5, bad ones at 1 and 9)', () => {
    const d = { kind: 'float', low: 0, high: 10, log: false } as const;
    const l = parzenEstimator(d, [5]);
    const g = parzenEstimator(d, [1, 9]);
    expect(g).toMatchObject({ mus: [1, 9, 5], sigmas: [8, 8, 10] });
    expect(logDensity(l, 5) - logDensity(g, 5)).toBeCloseTo(0.05441602519583855, 10);
    expect(logDensity(l, 1) - logDensity(g, 1)).toBeCloseTo(-0.0559009195779514, 10);
  });
  it('computes the normal integrals to ~1e-12', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 13);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 13);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 13);
    expect(erf(5)).toBeCloseTo(0.9999999999984626, 13);
    expect(normalQuantile(0.975)).toBeCloseTo(1.9599639845400536, 11);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080407, 11);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
  });
  it('is random before 10 finished trials, then proposes where the good trials are', () => {
    const d = { kind: 'float', low: 0, high: 100, log: false } as const;
    const history = Array.from({ length: 9 }, (_, k) => ({ number: k, params: { x: k * 10 }, loss: Math.abs(k * 10 - 20) }));
    expect(tpeValue(42, 9, 'x', d, history)).toBe(randomValue(42, 9, 'x', d));
    // 30 trials over 0..100 with loss |x − 20|: the good ones sit near 20, and so do the proposals
    const many = Array.from({ length: 30 }, (_, k) => ({ number: k, params: { x: (k * 37) % 100 }, loss: Math.abs(((k * 37) % 100) - 20) }));
    const proposals = Array.from({ length: 20 }, (_, t) => Number(tpeValue(42, 30 + t, 'x', d, many)));
    const near = proposals.filter((x) => Math.abs(x - 20) < 15).length;
    expect(near).toBeGreaterThanOrEqual(15);
    expect(tpeValue(42, 30, 'x', d, many)).toBe(tpeValue(42, 30, 'x', d, [...many].reverse()));
  });
});

describe('metric directions', () => {
  it('keeps the built-in directions, guesses a loss, and takes :min/:max', () => {
    expect(['r2', 'corr2', 'mae', 'rmse', 'logloss', 'log_loss', 'error_rate', 'auc', 'f1'].map(metricDirection)).toEqual(['max', 'max', 'min', 'min', 'min', 'min', 'min', 'max', 'max']);
    expect(parseMetricSpec('logloss:max')).toEqual({ name: 'logloss', direction: 'max', given: true });
    expect(parseMetricSpec('mae')).toEqual({ name: 'mae', direction: 'min', given: false });
    expect(() => parseMetricSpec('r2:min')).toThrow('r2 is higher-is-better; it cannot be ranked by min');
  });
});

describe('successive halving and hyperband', () => {
  it("schedules rungs as scikit-learn's HalvingRandomSearchCV (min_resources='exhaust')", () => {
    // n_candidates 27, factor 3, max_resources 81: n_resources [3, 9, 27, 81], n_candidates [27, 9, 3, 1]
    expect(halvingRungs(27, 81, 3)).toEqual([{ candidates: 27, resource: 3 }, { candidates: 9, resource: 9 }, { candidates: 3, resource: 27 }, { candidates: 1, resource: 81 }]);
    expect(halvingRungs(20, 20, 3)).toEqual([{ candidates: 20, resource: 2 }, { candidates: 7, resource: 6 }, { candidates: 3, resource: 18 }]);
    // An explicit min_resources caps the rungs at what the resource allows: 3, 6, 12, 24 → 4 of the 5 needed
    expect(halvingRungs(32, 24, 2, 3)).toEqual([{ candidates: 32, resource: 3 }, { candidates: 16, resource: 6 }, { candidates: 8, resource: 12 }, { candidates: 4, resource: 24 }]);
  });
  it('promotes the best 1/eta, ties to the lower trial number, never a failed one', () => {
    const rung = [
      { candidate: 0, number: 0, value: 0.5 },
      { candidate: 1, number: 1, value: 0.7 },
      { candidate: 2, number: 2, value: 0.7 },
      { candidate: 3, number: 3, value: undefined },
      { candidate: 4, number: 4, value: 0.1 },
    ];
    expect(promote(rung, 2, 'max')).toEqual([1, 2]);
    expect(promote(rung, 2, 'min')).toEqual([4, 0]);
    expect(promote(rung, 5, 'max')).toEqual([1, 2, 0, 4]);
  });
  it("gives Hyperband's brackets of Li et al. (R = 81, eta = 3)", () => {
    expect(hyperbandBrackets(81, 3, 1)).toEqual([
      { candidates: 81, resource: 1 },
      { candidates: 34, resource: 3 },
      { candidates: 15, resource: 9 },
      { candidates: 8, resource: 27 },
      { candidates: 5, resource: 81 },
    ]);
  });
});
