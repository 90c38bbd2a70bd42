// Writes our stratified 5-fold assignments (seeds 0..9; 0..29 for iris, whose log loss hangs on single rows) of
// the classification built-ins to a JSON file, for
// classification.py to fit scikit-learn on exactly the same splits. Run once to refresh the reference numbers in
// test/models/classifier-accuracy.test.ts:  node test/reference/export-folds.mjs /tmp/folds.json
import { writeFileSync } from 'node:fs';
import { loadData } from '../../dist/data/load.js';
import { resolveTask } from '../../dist/data/task.js';
import { planFolds, testFoldOf } from '../../dist/data/folds.js';

const out = {};
for (const name of ['iris', 'breast-cancer', 'wine']) {
  const data = resolveTask((await loadData(name)).data).data;
  const seeds = Array.from({ length: name === 'iris' ? 30 : 10 }, (_, s) => s);
  out[name] = { classes: data.classes, folds: seeds.map((seed) => Array.from(testFoldOf(planFolds(data, { kind: 'kfold', folds: 5 }, seed)))) };
}
writeFileSync(process.argv[2] ?? '/tmp/folds.json', JSON.stringify(out));
