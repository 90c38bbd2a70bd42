/**
 * The report's numbers that are not metrics: a task's confusion counts and score histograms, their pooling into
 * one out-of-fold confusion matrix and ROC curve, linear models' standardised-coefficient importances, the
 * parameter importance of the trials (ε²), and the same diagnostics from every strategy on a regression.
 */
import { describe, expect, it } from 'vitest';
import { executeSweep, prepareSweepInput } from '../../dist/api/run.js';
import { diagnosticsProblem, poolDiagnostics, predictionDiagnostics, ROC_BINS } from '../../dist/eval/diagnostics.js';
import { binaryAuc } from '../../dist/eval/classification.js';
import { paramImportance } from '../../dist/report/importance.js';
import { standardisedImportances } from '../../dist/models/linear/design.js';
import type { TrialResult } from '../../dist/sweep/result.js';

/** The area under a ROC polyline (trapezoids). */
function area(fpr: number[], tpr: number[]): number {
  let a = 0;
  for (let i = 1; i < fpr.length; i++) a += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
  return a;
}

describe('task diagnostics', () => {
  it('counts true × predicted classes (ties to the lower class) and bins each probability', () => {
    const truth = Float64Array.from([0, 1, 1, 0]);
    const proba = Float64Array.from([0.9, 0.1, 0.2, 0.8, 0.5, 0.5, 0.35, 0.65]);
    const d = predictionDiagnostics(truth, proba, 2);
    expect(d.confusion).toEqual([1, 1, 1, 1]); // row 0: true 0 → 0 once, → 1 once; row 1: the tie went to 0
    const pos = d.scores!.slice(0, ROC_BINS);
    const neg = d.scores!.slice(ROC_BINS);
    expect(pos[80]).toBe(1); // P(class 1) = 0.8, a positive
    expect(pos[50]).toBe(1);
    expect(neg[10]).toBe(1);
    expect(neg[65]).toBe(1);
    expect(pos.reduce((s, v) => s + v, 0) + neg.reduce((s, v) => s + v, 0)).toBe(4);
  });

  it('pools folds into one ROC whose area is the pooled AUC at the bins\' resolution', () => {
    // Two folds of scores; the pooled ROC is that of all rows together.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const folds = [0, 1].map(() => {
      const truth = Float64Array.from({ length: 400 }, () => (rand() < 0.4 ? 1 : 0));
      const proba = new Float64Array(800);
      truth.forEach((t, i) => {
        const p1 = Math.min(0.999, Math.max(0.001, (t ? 0.65 : 0.35) + (rand() - 0.5) * 0.6));
        proba[2 * i] = 1 - p1;
        proba[2 * i + 1] = p1;
      });
      return { truth, proba };
    });
    const pooled = poolDiagnostics(folds.map((f) => predictionDiagnostics(f.truth, f.proba, 2)), ['a'], ['no', 'yes'])!;
    expect(pooled.folds).toBe(2);
    expect(pooled.confusion!.flat().reduce((s, v) => s + v, 0)).toBe(800);
    const [curve] = pooled.roc!;
    expect(curve.label).toBe('yes');
    expect(curve.fpr[0]).toBe(0);
    expect(curve.fpr.at(-1)).toBe(1);
    expect(curve.tpr.at(-1)).toBe(1);
    const truth = Float64Array.from([...folds[0].truth, ...folds[1].truth]);
    const scores = Float64Array.from(truth, (_, i) => (i < 400 ? folds[0].proba[2 * i + 1] : folds[1].proba[2 * (i - 400) + 1]));
    const exact = binaryAuc(Array.from(truth, (t) => t === 1), scores);
    expect(exact).toBeGreaterThan(0.6);
    expect(Math.abs(area(curve.fpr, curve.tpr) - exact)).toBeLessThan(0.01);
  });

  it('a linear model\'s importance is |coefficient| × the column\'s standard deviation', () => {
    // Two features, column-major: x0 has sd 1 (values ±1), x1 has sd 10.
    const x = Float64Array.from([1, -1, 1, -1, 10, -10, 10, -10]);
    const data = { name: 't', featureNames: ['x0', 'x1'], targetName: 'y', rows: 4, x, y: new Float64Array(4) };
    const imp = standardisedImportances(Float64Array.from([3, -0.5]), undefined, data, Uint32Array.from([0, 1, 2, 3]));
    expect(Array.from(imp)).toEqual([3, 5]);
    // Two classes' rows of coefficients are averaged.
    expect(Array.from(standardisedImportances(Float64Array.from([3, -0.5, 1, 0.5]), undefined, data, Uint32Array.from([0, 1, 2, 3])))).toEqual([2, 5]);
  });
});

describe('parameter importance (ε²)', () => {
  const trial = (params: Record<string, number | string>, r2: number): TrialResult => ({ params, status: 'ok', metrics: { r2 }, metricsStd: { r2: 0 }, fitMs: 0, predictMs: 0, folds: [] });

  it('on a full grid, the parameter that moves the metric gets the share and the other none', () => {
    const trials: TrialResult[] = [];
    for (const a of [1, 2, 3, 4]) for (const b of ['x', 'y', 'z']) trials.push(trial({ a, b }, a * 0.1 + (b === 'x' ? 0.0001 : 0)));
    const [first, second] = paramImportance(trials, 'r2', ['a', 'b'], () => true);
    expect(first.name).toBe('a');
    expect(first.share).toBeGreaterThan(0.99);
    expect(first.epsilon2).toBeGreaterThan(0.99);
    expect(second.epsilon2).toBeLessThan(0.01);
  });

  it('a parameter with no effect scores near zero even on few trials, and ranges are binned', () => {
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const trials = Array.from({ length: 40 }, () => {
      const lr = 10 ** (-3 + 3 * rand());
      const noise = rand();
      return trial({ lr, noise }, -Math.abs(Math.log10(lr) + 1.5) + 0.05 * rand());
    });
    const imp = paramImportance(trials, 'r2', ['lr', 'noise']);
    const lr = imp.find((p) => p.name === 'lr')!;
    const noise = imp.find((p) => p.name === 'noise')!;
    expect(lr.groups).toBe(6); // √40 bins
    expect(lr.epsilon2).toBeGreaterThan(0.8);
    expect(noise.epsilon2).toBeLessThan(0.1);
    expect(lr.share + noise.share).toBeCloseTo(1, 10);
    expect(paramImportance(trials.slice(0, 2), 'r2', ['lr'])).toEqual([]);
  });
});

describe('regression diagnostics under every strategy', () => {
  for (const model of ['rf', 'linear', 'gbt'] as const) {
    it(`${model}: the best model's importances are the same from thread-pool, native and udf`, async () => {
      const grid = model === 'rf' ? { numTrees: [4, 8] } : model === 'linear' ? { regParam: [0.01, 1] } : { iterations: [5, 10] };
      const prep = await prepareSweepInput({ data: 'diabetes', model, grid, evaluation: { kind: 'kfold', folds: 3 } });
      const reference = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
      const d = reference.diagnostics!;
      expect(d.folds).toBe(3);
      expect(d.importances!.map((f) => f.feature).sort()).toEqual([...prep.data.featureNames].sort());
      expect(d.importances!.every((f, i, a) => i === 0 || a[i - 1].mean >= f.mean)).toBe(true);
      expect(d.confusion).toBeUndefined();
      // Only the best trial's are kept.
      expect(reference.trials.every((t) => t.diagnostics === undefined)).toBe(true);
      for (const strategy of model === 'gbt' ? (['udf'] as const) : (['native', 'udf'] as const)) {
        const r = await executeSweep(prep, { strategy, workers: 2 });
        expect(r.diagnostics, strategy).toEqual(d);
      }
    }, 120_000);
  }
});

describe('training curves', () => {
  const curve = (values: number[]) => [{ metric: 'r2', values }, { metric: 'rmse', values: values.map((v) => 1 - v) }];

  it('are checked where untrusted diagnostics are read', () => {
    expect(diagnosticsProblem({ curve: curve([0.1, 0.2]) })).toBeUndefined();
    expect(diagnosticsProblem({ curve: [{ metric: 'r2', values: [0.1, Number.NaN] }] })).toBe('diagnostics.curve "r2" is not a list of at most 100000 finite numbers');
    expect(diagnosticsProblem({ curve: [{ metric: 'r2', values: [], extra: 1 }] })).toBe('diagnostics.curve holds something other than { metric, values }');
    expect(diagnosticsProblem({ curve: 'r2' })).toBe('diagnostics.curve is not a list of at most 8 curves');
  });

  it('pool to the mean and σ over folds at each iteration, and only when every fold has the same curves', () => {
    const pooled = poolDiagnostics([{ curve: curve([0.1, 0.3]) }, { curve: curve([0.3, 0.5]) }], ['a'], undefined);
    expect(pooled?.curve?.map((c) => c.metric)).toEqual(['r2', 'rmse']);
    expect(pooled?.curve?.[0].mean.map((v) => Number(v.toFixed(12)))).toEqual([0.2, 0.4]);
    expect(pooled?.curve?.[0].sd.map((v) => Number(v.toFixed(12)))).toEqual([0.1, 0.1]);
    // A fold stopped early (shorter curve): nothing pooled rather than a curve of mixed folds.
    expect(poolDiagnostics([{ curve: curve([0.1, 0.3]) }, { curve: curve([0.3]) }], ['a'], undefined)?.curve).toBeUndefined();
  });
});
