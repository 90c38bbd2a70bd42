/**
 * Classifier sweeps, whole `sweep run` processes beside scikit-learn's GridSearchCV in the same run, on the same
 * rows and stratified folds (PredefinedSplit), ranked by log loss:
 *   - breast-cancer (569 × 30, the diabetes-sized case): a random forest over --trees 10,20,50 and logistic
 *     regression over --reg-param 0.001,0.01,0.1 (scikit-learn: C = 1/(λ·n_train), StandardScaler);
 *   - Friedman #1 as a classification (100 000 × 10, y = Friedman #1 > its median): the forest over 10,20,50 trees.
 * Ours: 3 runs (median wall) with 2 threads; scikit-learn: GridSearchCV.fit alone (no interpreter start-up, no
 * data loading), n_jobs 1 and 2. Goal: ≥ 5× faster, whole process against fit alone.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvFor, load, log, ms, pyCell, python, ratio, table, TMP } from './common.js';

export const title = 'Classification: classifier sweeps beside scikit-learn GridSearchCV';

const BIN = fileURLToPath(new URL('../../bin/sweep.js', import.meta.url));
const EVALUATION = { kind: 'kfold', folds: 5 };

function sweep(data, args) {
  const runs = [];
  let result;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'run', '--data', data, ...args, '--workers', '2', '--format', 'json', '--no-checkpoint', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, CI: 'true' } });
    runs.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`sweep ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
    result = JSON.parse(r.stdout);
  }
  runs.sort((a, b) => a - b);
  return { wallMs: runs[1], result };
}

/** Friedman #1 (100 000 rows, seed 7) with its target cut at the median: 0/1, half each. */
async function friedmanClasses() {
  const file = path.join(TMP, 'friedman-classes-100000.csv');
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(TMP, { recursive: true });
  const { makeFriedman1 } = await load('data/friedman.js');
  const d = makeFriedman1({ rows: 100_000, noise: 1, features: 10, seed: 7 }, 'friedman1');
  const median = Float64Array.from(d.y).sort()[d.rows / 2];
  const lines = [[...d.featureNames, 'target'].join(',')];
  for (let i = 0; i < d.rows; i++) {
    const row = d.featureNames.map((_, j) => String(d.x[j * d.rows + i]));
    lines.push(`${row.join(',')},${d.y[i] > median ? 1 : 0}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

export async function run() {
  const cases = [
    { name: 'breast-cancer, rf', data: 'breast-cancer', args: ['--trees', '10,20,50'], model: 'rf', grid: { numTrees: [10, 20, 50] } },
    { name: 'breast-cancer, logistic', data: 'breast-cancer', args: ['--model', 'logistic', '--reg-param', '0.001,0.01,0.1'], model: 'logistic', grid: { regParam: [0.001, 0.01, 0.1] } },
    { name: 'Friedman #1 > median, 100 000 rows, rf', data: await friedmanClasses(), args: ['--trees', '10,20,50'], model: 'rf', grid: { numTrees: [10, 20, 50] } },
  ];
  const rows = [];
  const targets = [];
  for (const c of cases) {
    log(`classification: ${c.name}`);
    const ours = sweep(c.data, c.args);
    const { file, foldsFile } = await csvFor(c.data, EVALUATION);
    const sk = [1, 2].map((j) => python(['classify', file, foldsFile, c.model, JSON.stringify(c.grid), String(j)]));
    const best = ours.result.best?.metrics.log_loss;
    rows.push([
      c.name, ms(ours.wallMs), best?.toFixed(4) ?? '—',
      pyCell(sk[0], (x) => ms(x.ms)), pyCell(sk[1], (x) => ms(x.ms)), pyCell(sk[1], (x) => x.bestLogLoss.toFixed(4)),
      pyCell(sk[0], (x) => ratio(Math.min(x.ms, sk[1].ms ?? Infinity), ours.wallMs)),
    ]);
    // Against the faster of scikit-learn's two runs (on small data n_jobs=2 loses to its process start-up).
    const peers = sk.filter((x) => !x.missing && !x.error);
    if (peers.length > 0) {
      const fastest = Math.min(...peers.map((x) => x.ms));
      const speed = fastest / ours.wallMs;
      targets.push({ name: `classifier sweep ${c.name} ≥ 5× faster than GridSearchCV (its faster n_jobs; whole process vs fit)`, value: `${speed.toFixed(1)}×`, pass: speed >= 5 });
      const gap = best - Math.min(...peers.map((x) => x.bestLogLoss));
      targets.push({ name: `classifier sweep ${c.name}: best log loss within 0.03 of scikit-learn's`, value: `${best.toFixed(4)} vs ${Math.min(...peers.map((x) => x.bestLogLoss)).toFixed(4)}`, pass: gap <= 0.03 });
    }
  }
  const lines = [
    'Whole `sweep run` process (median of 3, 2 threads, 5-fold stratified CV, ranked by log loss) beside GridSearchCV.fit',
    '(the same rows and folds; RandomForestClassifier(max_features="sqrt"), LogisticRegression with C = 1/(λ·n_train)).',
    '',
    ...table(['sweep', 'ours (wall)', 'best log loss', 'sklearn n_jobs=1', 'sklearn n_jobs=2', 'sklearn best log loss', 'sklearn (faster) / ours'], rows),
  ];
  return { lines, targets };
}
