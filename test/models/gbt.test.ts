/**
 * Gradient boosting: quantised gradients (exact integer sums, unbiased keyed rounding), one boosting step against a
 * hand computation, best-first growth, the same model under thread-pool and udf (native: native-gbt.test.ts),
 * and a saved model that predicts what the fitted one does.
 */
import { describe, expect, it } from 'vitest';
import { binDataset } from '../../dist/tree/binning.js';
import { QUANT_LEVELS, quantizeStochastic, type BoostRule } from '../../dist/tree/boost.js';
import { fitBoosted } from '../../dist/tree/boost-rows.js';
import { gradientBoosting, type FittedBoosted } from '../../dist/models/gbt.js';
import { executeSweep, prepareSweepInput } from '../../dist/api/run.js';
import { categoricalTable, seq, table } from '../tree/fixture.js';
import { runCli, tempDir } from '../cli/helpers.js';

const rule = (over: Partial<BoostRule> = {}): BoostRule => ({
  iterations: 1, learningRate: 0.5, maxLeafNodes: 31, maxDepth: Infinity, minSamplesLeaf: 1, maxFeatures: 1, l2: 0, subsample: 1, loss: 'squared_error', ...over,
});

describe('quantised gradients', () => {
  it('are integers within QUANT_LEVELS, keyed by row (not position) and unbiased', () => {
    const n = 2000;
    const v = Float64Array.from({ length: n }, (_, k) => Math.sin(k) * 3);
    const rows = Uint32Array.from(seq(n), (i) => i * 3 + 1);
    const out = new Float64Array(3 * n + 1);
    const scale = quantizeStochastic(v, rows, 7, 0, 1, out);
    expect(scale).toBeCloseTo(Math.max(...Array.from(v, Math.abs)) / QUANT_LEVELS, 15);
    for (const r of rows) expect(Number.isInteger(out[r]) && Math.abs(out[r]) <= QUANT_LEVELS).toBe(true);
    // The same rows in another order get the same integers.
    const order = Uint32Array.from(seq(n)).reverse();
    const again = new Float64Array(out.length);
    quantizeStochastic(Float64Array.from(order, (k) => v[k]), Uint32Array.from(order, (k) => rows[k]), 7, 0, 1, again);
    expect(Array.from(again)).toEqual(Array.from(out));
    // Unbiased: over 400 iterations' keys, the mean rounded value of each row is its value (to a few % of a level).
    const sums = new Float64Array(out.length);
    for (let it = 0; it < 400; it++) {
      quantizeStochastic(v, rows, 7, it, 1, again);
      for (const r of rows) sums[r] += again[r];
    }
    let worst = 0;
    rows.forEach((r, k) => (worst = Math.max(worst, Math.abs(sums[r] / 400 - v[k] / scale))));
    expect(worst).toBeLessThan(0.1);
  });
});

describe('boosting', () => {
  it('takes one step as by hand: the mean, then a stump of −lr·G/H per side', () => {
    const d = table([[1, 2, 3, 4]], [1, 2, 10, 12]);
    const { baseline, trees } = fitBoosted(binDataset(d, 255), d.y, seq(4), 1, rule({ maxLeafNodes: 2 }));
    expect(Array.from(baseline)).toEqual([6.25]);
    const t = trees[0];
    expect(Array.from(t.feature)).toEqual([0, -1, -1]);
    expect(t.threshold[0]).toBe(2.5);
    // Gradients raw − y: 5.25, 4.25 | −3.75, −5.75; Hessians 1. Left: −0.5 · 9.5 / 2, right: +0.5 · 9.5 / 2.
    expect(t.value[1]).toBeCloseTo(-2.375, 3);
    expect(t.value[2]).toBeCloseTo(2.375, 3);
    expect(Array.from(t.weight)).toEqual([4, 2, 2]);
  });

  it('grows best-first: with 3 leaves the second split goes to the child with the larger gain', () => {
    // The root splits at x = 50; the right half has a step (10 → 20) of far more gain than the left's (0 → 2).
    const x = Array.from({ length: 100 }, (_, i) => i);
    const y = x.map((v) => (v < 25 ? 0 : v < 50 ? 2 : v < 75 ? 10 : 20));
    const d = table([x], y);
    const grow = (maxLeafNodes: number) => fitBoosted(binDataset(d, 255), d.y, seq(100), 1, rule({ maxLeafNodes })).trees[0];
    const t = grow(3);
    expect(t.nodes).toBe(5);
    expect(t.threshold[0]).toBe(49.5);
    expect(t.left[t.left[0]]).toBe(-1); // the left child stays a leaf
    expect(t.threshold[t.right[0]]).toBe(74.5);
    // With 4 leaves the left child splits too.
    const four = grow(4);
    expect([four.nodes, four.threshold[four.left[0]]]).toEqual([7, 24.5]);
  });

  it('learns two classes by log loss, categories and missing values included, and saves to the same predictions', () => {
    const d = categoricalTable(800, 3, 12, 2);
    const m = gradientBoosting.fit({ data: d, train: seq(800), seed: 3, partitions: 16, cache: new Map() }, { iterations: 30 }) as FittedBoosted;
    expect(m.trees.some((t) => t.sets.length > 0)).toBe(true);
    const p = m.predictProba!(d, seq(800));
    let right = 0;
    for (let i = 0; i < 800; i++) if ((p[2 * i + 1] > 0.5 ? 1 : 0) === d.y[i]) right++;
    expect(right / 800).toBeGreaterThan(0.85);
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect([json.model, json.loss, json.classes]).toEqual(['gbt', 'log_loss', ['k0', 'k1']]);
    const loaded = gradientBoosting.load(json);
    expect(Array.from(loaded.predictProba!(d, seq(800)))).toEqual(Array.from(p));
    expect(() => gradientBoosting.load({ ...json, loss: 'huber' })).toThrow('not a saved gradient-boosted model: loss must be "squared_error" or "log_loss"');
  });

  it('learns more classes by softmax over one tree per class per iteration, and saves them', () => {
    const d = categoricalTable(900, 6, 12, 3);
    const m = gradientBoosting.fit({ data: d, train: seq(900), seed: 2, partitions: 16, cache: new Map() }, { iterations: 20 }) as FittedBoosted;
    expect([m.trees.length, m.baseline.length]).toEqual([60, 3]);
    const p = m.predictProba!(d, seq(900));
    for (let i = 0; i < 900; i++) expect(p[3 * i] + p[3 * i + 1] + p[3 * i + 2]).toBeCloseTo(1, 12);
    const predicted = m.predict(d, seq(900));
    expect(predicted.filter((c, i) => c === d.y[i]).length / 900).toBeGreaterThan(0.8);
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(json.baseline).toHaveLength(3);
    expect(Array.from(gradientBoosting.load(json).predictProba!(d, seq(900)))).toEqual(Array.from(p));
    expect(() => gradientBoosting.load({ ...json, trees: json.trees.slice(1) })).toThrow('not a saved gradient-boosted model: trees must hold one tree per class (3) per iteration');
  });

  it('stops early by scikit-learn\'s rule on a keyed validation part, the same with a longer fit asked for', () => {
    const d = categoricalTable(3000, 8);
    const es = { fraction: 0.2, patience: 5, tol: 1e-7 };
    const r = fitBoosted(binDataset(d, 255), d.y, seq(3000), 4, rule({ iterations: 400, learningRate: 0.5, maxLeafNodes: 31, minSamplesLeaf: 20, maxFeatures: 3, earlyStopping: es }));
    const v = r.validation!;
    expect(v.stopped).toBe(true);
    expect(r.trees.length).toBeLessThan(400);
    expect(v.losses).toHaveLength(r.trees.length + 1); // the loss before the first tree counts
    // Stopped: none of the last 5 losses is below the one before them minus tol; one iteration earlier, one was.
    const stopAt = (losses: number[]) => losses.slice(-5).every((l) => !(l < losses[losses.length - 6] - es.tol));
    expect(stopAt(v.losses)).toBe(true);
    for (let n = es.patience + 1; n < v.losses.length; n++) expect(stopAt(v.losses.slice(0, n)), `after ${n - 1} trees`).toBe(false);
    // Asking for more iterations of a stopped fit gives the stopped fit.
    const again = fitBoosted(binDataset(d, 255), d.y, seq(3000), 4, rule({ iterations: 800, learningRate: 0.5, maxLeafNodes: 31, minSamplesLeaf: 20, maxFeatures: 3, earlyStopping: es }), r);
    expect(again.trees).toEqual(r.trees);
  });

  it('grows a longer fit on from a shorter one of the same rows and parameters: the same bits as from scratch', () => {
    const d = categoricalTable(600, 4);
    const train = Uint32Array.from(seq(600).filter((i) => i % 4 !== 0));
    const shared = { data: d, train, seed: 5, partitions: 16, cache: new Map<string, unknown>() };
    const grown = (iterations: number, input = shared) => gradientBoosting.fit(input, { iterations, subsample: 0.7 }) as FittedBoosted;
    const short = grown(15);
    const long = grown(40);
    expect(long.trees[14]).toBe(short.trees[14]); // continued, not regrown
    const fresh = grown(40, { ...shared, cache: new Map() });
    expect(long.trees).toEqual(fresh.trees);
    expect(Array.from(long.predict(d, seq(600)))).toEqual(Array.from(fresh.predict(d, seq(600))));
    // A shorter one after it is a prefix; another learning rate is another model.
    expect(grown(10).trees).toEqual(fresh.trees.slice(0, 10));
    expect((gradientBoosting.fit(shared, { iterations: 15, learningRate: 0.3, subsample: 0.7 }) as FittedBoosted).trees[0]).not.toEqual(short.trees[0]);
  });

  it('halves over iterations by default (the nested resource, as a forest\'s trees)', async () => {
    const prep = await prepareSweepInput({ data: 'diabetes', model: 'gbt', grid: { iterations: [27], learningRate: [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] }, search: { method: 'halving' } });
    const r = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
    expect(r.search).toMatchObject({ resource: 'iterations', maxResource: 27, factor: 3 });
    const perRung = [0, 1, 2].map((rung) => r.trials.filter((t) => t.rung === rung).map((t) => t.params.iterations));
    expect(perRung).toEqual([Array(9).fill(3), Array(3).fill(9), [27]]);
  }, 60_000);

  it('gives the same metrics under thread-pool and udf, with 1 and 2 workers', async () => {
    for (const data of ['diabetes', 'breast-cancer', 'iris']) {
      const prep = await prepareSweepInput({ data, model: 'gbt', grid: { iterations: [20, 40], learningRate: [0.1, 0.3], subsample: [0.8] } });
      const ref = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
      expect(ref.trials.every((t) => t.status === 'ok')).toBe(true);
      for (const [strategy, workers] of [['thread-pool', 2], ['udf', 1], ['udf', 2]] as const) {
        const r = await executeSweep(prep, { strategy, workers });
        expect(r.trials.map((t) => t.metrics), `${data} ${strategy} ${workers}`).toEqual(ref.trials.map((t) => t.metrics));
      }
    }
  }, 120_000);

  it('runs from the CLI with shared flags', async () => {
    const dir = tempDir();
    const ok = await runCli(['run', '--model', 'gbt', '--iterations', '10,20', '--min-samples-leaf', '5', '--format', 'json'], dir);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).trials.map((t: { params: { iterations: number; minSamplesLeaf: number } }) => [t.params.iterations, t.params.minSamplesLeaf]).sort()).toEqual([[10, 5], [20, 5]]);
  }, 60_000);
});

describe('the training curve', () => {
  it('scores the test rows after each iteration: point i is the metric of the (i + 1)-iteration model, the last the task\'s', async () => {
    for (const [data, metrics] of [['diabetes', ['r2', 'rmse']], ['iris', ['log_loss', 'accuracy']]] as const) {
      const prep = await prepareSweepInput({ data, model: 'gbt', grid: { iterations: [4, 12] }, evaluation: { kind: 'kfold', folds: 3 } });
      const r = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
      const [short, long] = [4, 12].map((n) => r.trials.find((t) => t.params.iterations === n)!);
      expect(r.diagnostics?.curve?.map((c) => c.metric)).toEqual(metrics);
      // The best trial's pooled curve: its last point is its metric's mean, and point 4 is the 4-iteration trial's.
      const best = r.trials.find((t) => t.rank === 1)!;
      const other = best === long ? short : long;
      for (const c of r.diagnostics!.curve!) {
        expect(c.mean.length).toBe(best.params.iterations);
        expect(c.mean[c.mean.length - 1]).toBeCloseTo(best.metrics![c.metric], 12);
        if (other.params.iterations < best.params.iterations) expect(c.mean[Number(other.params.iterations) - 1]).toBeCloseTo(other.metrics![c.metric], 12);
      }
    }
  }, 60_000);
});
