// Writes the tables and our fold assignments the gradient-boosting references are fitted on, for gbt.py:
//   diabetes (5-fold CV, seeds 0..4), breast-cancer and wine (stratified 5-fold CV, seeds 0..4), Friedman #1 (10 000
//   rows, noise 1, seed 1; a 20% holdout, seed 1). Run once to refresh the numbers in
//   test/models/gbt-accuracy.test.ts:  node test/reference/export-gbt.mjs /tmp/gbt.json
import { writeFileSync } from 'node:fs';
import { loadData } from '../../dist/data/load.js';
import { resolveTask } from '../../dist/data/task.js';
import { planFolds, testFoldOf } from '../../dist/data/folds.js';
import { makeFriedman1 } from '../../dist/data/friedman.js';
import { binDataset } from '../../dist/tree/binning.js';

const out = {};
// codes: every row's bin codes (our bins, of all rows): HistGradientBoosting fitted on them splits as we can.
const table = (d) => {
  const b = binDataset(d, 255);
  const rowsOf = (a) => Array.from({ length: d.rows }, (_, i) => d.featureNames.map((_, j) => a[j * d.rows + i]));
  return { x: rowsOf(d.x), codes: rowsOf(b.codes), y: Array.from(d.y) };
};
for (const name of ['diabetes', 'breast-cancer', 'wine']) {
  const data = resolveTask((await loadData(name)).data).data;
  out[name] = { ...table(data), folds: [0, 1, 2, 3, 4].map((seed) => Array.from(testFoldOf(planFolds(data, { kind: 'kfold', folds: 5 }, seed)))) };
}
const f = makeFriedman1({ rows: 10_000, noise: 1, features: 10, seed: 1 }, 'friedman1');
out.friedman = { ...table(f), folds: [Array.from(testFoldOf(planFolds(f, { kind: 'holdout', testFraction: 0.2 }, 1)))] };
writeFileSync(process.argv[2] ?? '/tmp/gbt.json', JSON.stringify(out));
