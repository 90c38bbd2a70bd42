/**
 * Classification under every strategy: the same metrics, bit for bit, from thread-pool, native and udf with 1 or 3
 * workers (the best model's diagnostics included) — a random forest (Gini on two classes, entropy on three) and logistic regression (binomial and
 * multinomial, its gradient and Hessian summed per partition on the native workers) — and a search over a
 * classification metric proposes the same trials whatever the workers.
 */
import { describe, expect, it } from 'vitest';
import { executeSweep, prepareSweepInput } from '../../dist/api/run.js';

const metricsOf = (r: { trials: { params: unknown; metrics: unknown; status: string }[] }) => r.trials.map((t) => [t.params, t.status, t.metrics]);

describe('classification under every strategy', () => {
  const cases = [
    { data: 'breast-cancer', model: 'rf', grid: { numTrees: [5, 12], maxDepth: [3, 'none'] } },
    { data: 'iris', model: 'rf', grid: { numTrees: [4, 9], criterion: ['entropy'] } },
    { data: 'wine', model: 'logistic', grid: { regParam: [0.01, 0.1], elasticNetParam: [0, 0.5] } },
    { data: 'breast-cancer', model: 'logistic', grid: { regParam: [0.003, 0.03] } },
  ] as const;
  for (const c of cases) {
    it(`${c.data}, ${c.model}: thread-pool, native and udf agree with 1 and 3 workers`, async () => {
      const prep = await prepareSweepInput({ data: c.data, model: c.model, grid: c.grid as Record<string, unknown>, evaluation: { kind: 'kfold', folds: 3 } });
      expect(prep.task).toBe('classification');
      const reference = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
      expect(reference.tasks.failed).toBe(0);
      expect(reference.metric).toBe('log_loss');
      expect(Object.keys(reference.trials[0].metrics ?? {})).toEqual(['accuracy', 'balanced_accuracy', 'log_loss', 'roc_auc', 'f1', 'brier']);
      // Every row is predicted once out of fold: the confusion matrix counts the data's rows, by true class.
      const d = reference.diagnostics!;
      expect(d.confusion!.flat().reduce((x, y) => x + y, 0)).toBe(prep.data.rows);
      expect(d.importances).toHaveLength(prep.data.featureNames.length);
      expect(d.roc).toHaveLength(prep.data.classes!.length === 2 ? 1 : prep.data.classes!.length);
      for (const strategy of ['thread-pool', 'native', 'udf'] as const) {
        for (const workers of [1, 3]) {
          const r = await executeSweep(prep, { strategy, workers });
          expect(metricsOf(r), `${strategy} × ${workers}`).toEqual(metricsOf(reference));
          // The best model's pooled diagnostics (importances, out-of-fold confusion and ROC) too.
          expect(r.diagnostics, `${strategy} × ${workers}`).toEqual(reference.diagnostics);
        }
      }
    }, 120_000);
  }

  it('a TPE search ranked by accuracy (max) proposes the same trials with 1 and 3 workers', async () => {
    const prep = await prepareSweepInput({
      data: 'breast-cancer', metric: 'accuracy', grid: { numTrees: { min: 2, max: 12 }, maxDepth: { min: 2, max: 8 } },
      search: { method: 'tpe', trials: 10, batch: 4 }, evaluation: { kind: 'kfold', folds: 3 },
    });
    expect(prep.direction).toBe('max');
    const one = await executeSweep(prep, { workers: 1 });
    const three = await executeSweep(prep, { workers: 3, strategy: 'native' });
    expect(metricsOf(three)).toEqual(metricsOf(one));
    expect(one.best?.metrics.accuracy).toBe(Math.max(...one.trials.map((t) => t.metrics?.accuracy ?? -1)));
  }, 120_000);
});
