/**
 * Classification accuracy against scikit-learn 1.2.1 (Debian python3-sklearn), on the same rows and the same folds:
 * test/reference/export-folds.mjs wrote our stratified 5-fold assignments (planFolds, seeds 0..9; 0..29 for iris,
 * whose log loss hangs on whether a row or two get probability 0 for their class) of the built-in
 * iris, breast-cancer and wine, and test/reference/classification.py fitted scikit-learn on each split
 *   RandomForestClassifier(n_estimators=100, random_state=seed)                      (gini, max_features="sqrt")
 *   RandomForestClassifier(n_estimators=100, criterion="entropy", random_state=seed)
 *   StandardScaler + LogisticRegression(C=1.0)                                        (L2, lbfgs)
 * The numbers below are its printed means over the seeds (never computed at test time). Ours: the same folds,
 * 100 trees with the classifier defaults (√features, gini), and logistic regression with regParam = 1/(C·n_train),
 * Spark's form of C = 1 ((1/n)·Σ loss + λ/2·‖w‖² is (C·Σ loss + ½‖w‖²)/(C·n)).
 */
import { describe, expect, it } from 'vitest';
import { loadData } from '../../dist/data/load.js';
import { resolveTask } from '../../dist/data/task.js';
import { planFolds, testRows, trainRows } from '../../dist/data/folds.js';
import { classificationMetrics } from '../../dist/eval/classification.js';
import { getModel } from '../../dist/models/registry.js';
import type { Dataset } from '../../dist/data/dataset.js';
import type { Params } from '../../dist/models/params.js';

type Ref = { accuracy: number; log_loss: number };
const SKLEARN: Record<string, Record<'rf' | 'rf-entropy' | 'logistic', Ref>> = {
  // On the measurements × 10 (see classification.py: scikit-learn's float32 midpoints send some rows the other way;
  // on the raw values its forests score log loss 0.1645 and 0.1721, with one row given probability 0 in 5 of 30 seeds).
  iris: { rf: { accuracy: 0.9504, log_loss: 0.1129 }, 'rf-entropy': { accuracy: 0.9504, log_loss: 0.1142 }, logistic: { accuracy: 0.9562, log_loss: 0.1528 } },
  'breast-cancer': { rf: { accuracy: 0.9592, log_loss: 0.1798 }, 'rf-entropy': { accuracy: 0.9613, log_loss: 0.152 }, logistic: { accuracy: 0.9773, log_loss: 0.0769 } },
  wine: { rf: { accuracy: 0.9792, log_loss: 0.1375 }, 'rf-entropy': { accuracy: 0.9781, log_loss: 0.1364 }, logistic: { accuracy: 0.9781, log_loss: 0.0688 } },
};

const seedsOf = (name: string) => Array.from({ length: name === 'iris' ? 30 : 10 }, (_, s) => s);

function cvMeans(data: Dataset, model: string, params: (trainRows: number) => Params): Ref {
  const SEEDS = seedsOf(data.name);
  const def = getModel(model);
  const K = data.classes!.length;
  let acc = 0;
  let ll = 0;
  for (const seed of SEEDS) {
    const plan = planFolds(data, { kind: 'kfold', folds: 5 }, seed);
    const cache = new Map<string, unknown>();
    for (let f = 0; f < plan.count; f++) {
      const train = trainRows(plan, f);
      const test = testRows(plan, f);
      const fitted = def.fit({ data, train, seed, partitions: 16, cache }, params(train.length));
      const m = classificationMetrics(Array.from(test, (i) => data.y[i]), fitted.predictProba!(data, test), K);
      acc += m.accuracy!;
      ll += m.log_loss!;
    }
  }
  const n = SEEDS.length * 5;
  return { accuracy: acc / n, log_loss: ll / n };
}

describe('classifiers against scikit-learn (accuracy within 0.01, log loss within 0.03 of its mean over the seeds)', () => {
  for (const name of Object.keys(SKLEARN)) {
    it(name, async () => {
      const data = resolveTask((await loadData(name)).data).data;
      const ours = {
        rf: cvMeans(data, 'rf', () => ({ numTrees: 100 })),
        'rf-entropy': cvMeans(data, 'rf', () => ({ numTrees: 100, criterion: 'entropy' })),
        logistic: cvMeans(data, 'logistic', (n) => ({ regParam: 1 / n })),
      };
      for (const [model, ref] of Object.entries(SKLEARN[name])) {
        const got = ours[model as keyof typeof ours];
        expect(Math.abs(got.accuracy - ref.accuracy), `${name} ${model} accuracy ${got.accuracy} vs ${ref.accuracy}`).toBeLessThan(0.01);
        expect(Math.abs(got.log_loss - ref.log_loss), `${name} ${model} log loss ${got.log_loss} vs ${ref.log_loss}`).toBeLessThan(0.03);
      }
    }, 120_000);
  }
});
