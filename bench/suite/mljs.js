/**
 * The JS peer: ml.js's ml-random-forest (devDependency) against our forest, single thread, same rows, same
 * holdout (20%), same number of trees and depth, on diabetes and Friedman #1 (10 000 rows). Each fit runs in
 * its own child process with a time cap, since ml.js's O(n²) split search can take minutes (the issue measured
 * 45 s for ONE tree on 20 000 rows). Our figure is `randomForest.fit` alone (no sweep machinery), like theirs.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load, log, table } from './common.js';

export const title = 'JS peer: ml-random-forest (ml.js) vs sweep, one thread';
const CAP_S = Number(process.env.BENCH_MLJS_TIMEOUT ?? 300);
const CASES = [
  { data: 'diabetes', trees: 50, maxDepth: 8 },
  { data: 'friedman1:rows=10000,seed=1', trees: 10, maxDepth: 8 },
];

async function child(which, spec, trees, maxDepth) {
  const { loadData } = await load('data/load.js');
  const { makeFolds, trainRows, testRows } = await load('data/folds.js');
  const { r2 } = await load('eval/metrics.js');
  const { data } = await loadData(spec, { seed: 42 });
  const folds = makeFolds(data.rows, { kind: 'holdout', testFraction: 0.2 }, 42);
  const train = trainRows(folds, 0);
  const test = testRows(folds, 0);
  const f = data.featureNames.length;
  const truth = Array.from(test, (i) => data.y[i]);
  let fitMs;
  let predicted;
  if (which === 'ours') {
    const { randomForest } = await load('models/forest.js');
    const t0 = performance.now();
    const model = randomForest.fit({ data, train, seed: 42, partitions: 16, cache: new Map() }, { numTrees: trees, maxDepth, maxFeatures: 'all', minSamplesLeaf: 1, maxBins: 255, bootstrap: true });
    fitMs = performance.now() - t0;
    predicted = model.predict(data, test);
  } else {
    const { RandomForestRegression } = await import('ml-random-forest');
    const rowOf = (i) => Array.from({ length: f }, (_, j) => data.x[j * data.rows + i]);
    const X = Array.from(train, rowOf);
    const y = Array.from(train, (i) => data.y[i]);
    const forest = new RandomForestRegression({ nEstimators: trees, maxFeatures: 1, treeOptions: { maxDepth }, seed: 42, noOOB: true });
    const t0 = performance.now();
    forest.train(X, y);
    fitMs = performance.now() - t0;
    predicted = forest.predict(Array.from(test, rowOf));
  }
  console.log(JSON.stringify({ fitMs, r2: r2(truth, predicted), maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
}

function measure(which, c) {
  const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', which, c.data, String(c.trees), String(c.maxDepth)], { encoding: 'utf8', timeout: CAP_S * 1000 });
  if (res.error?.code === 'ETIMEDOUT' || res.signal) return { timeout: true };
  if (res.status !== 0) return { error: res.stderr.trim().split('\n').pop() };
  return JSON.parse(res.stdout.trim().split('\n').pop());
}

export async function run() {
  const rows = [];
  for (const c of CASES) {
    log(`mljs: ${c.data}, ${c.trees} trees, maxDepth ${c.maxDepth}`);
    const ours = measure('ours', c);
    const theirs = measure('mljs', c);
    const cell = (r) => (r.timeout ? `> ${CAP_S} s (stopped)` : r.error ? `error: ${r.error}` : `${(r.fitMs / 1000).toFixed(2)} s`);
    const ratio = ours.fitMs && theirs.fitMs ? `${(theirs.fitMs / ours.fitMs).toFixed(0)}×` : theirs.timeout && ours.fitMs ? `> ${(CAP_S * 1000 / ours.fitMs).toFixed(0)}×` : '—';
    rows.push([c.data, String(c.trees), String(c.maxDepth), cell(ours), ours.r2?.toFixed(4) ?? '—', cell(theirs), theirs.r2?.toFixed(4) ?? '—', ratio]);
  }
  const lines = [
    'Fit time of one forest in one thread (20% holdout, bootstrap, all features per split), each in its own process. ml.js has no histogram binning: it sorts candidate thresholds per node.',
    '',
    ...table(['data', 'trees', 'maxDepth', 'sweep fit', 'sweep r2', 'ml.js fit', 'ml.js r2', 'ml.js / sweep'], rows),
  ];
  return { lines, targets: [] };
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], Number(process.argv[5]), Number(process.argv[6]));
