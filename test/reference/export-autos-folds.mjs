// Writes our 5-fold assignments (seeds 0..4) of examples/autos.csv (text columns, missing cells) to a JSON file, for
// messy.py to fit scikit-learn pipelines on exactly the same splits. Run once to refresh the reference numbers in
// test/models/messy-accuracy.test.ts:  node test/reference/export-autos-folds.mjs /tmp/autos-folds.json
import { writeFileSync } from 'node:fs';
import { loadData } from '../../dist/data/load.js';
import { planFolds, testFoldOf } from '../../dist/data/folds.js';

const data = (await loadData('examples/autos.csv', { target: 'mpg' })).data;
const folds = [0, 1, 2, 3, 4].map((seed) => Array.from(testFoldOf(planFolds(data, { kind: 'kfold', folds: 5 }, seed))));
writeFileSync(process.argv[2] ?? '/tmp/autos-folds.json', JSON.stringify({ rows: data.rows, folds }));
