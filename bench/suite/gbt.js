/**
 * Gradient-boosted trees on Friedman #1 (10 features, noise 1), beside scikit-learn's HistGradientBoosting and
 * XGBoost (hist) measured in the same run, on the same rows and split:
 *   - one fit: 100 iterations, learning rate 0.1, 31 leaves (XGBoost: depth 6), 20% holdout, at 100 000 and
 *     500 000 rows (BENCH_GBT_ROWS). Ours: `sweep run --model gbt` whole process with one worker (one task), its
 *     fit time beside; theirs: fit alone on every core (2 here).
 *   - the same fit under --strategy native with 2 workers (the same model, fit on two threads);
 *   - native scaling: one fit of 20 iterations on 1 000 000 rows (BENCH_GBT_NATIVE_ROWS), 2 workers against 1;
 *   - a sweep: 5-fold CV over learningRate {0.05, 0.1} × iterations {100, 200} at 100 000 rows; ours whole process,
 *     2 workers (iterations nested: each fold's 200-iteration model continues its 100-iteration one); theirs
 *     GridSearchCV.fit (n_jobs 1: HistGradientBoosting already uses both cores).
 * A peer that is not installed is skipped and the table says so.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { csvFor, log, ms, pyCell, python, ratio, table } from './common.js';

export const title = 'Gradient-boosted trees: one fit and a sweep beside HistGradientBoosting and XGBoost';

const BIN = fileURLToPath(new URL('../../bin/sweep.js', import.meta.url));

function sweep(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'run', '--model', 'gbt', ...args, '--format', 'json', '--no-checkpoint', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, CI: 'true' } });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`sweep ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
  return { wallMs, result: JSON.parse(r.stdout) };
}

export async function run() {
  const sizes = (process.env.BENCH_GBT_ROWS ?? '100000,500000').split(',').map(Number);
  const holdout = { kind: 'holdout', testFraction: 0.2 };
  const fits = [];
  const targets = [];
  for (const n of sizes) {
    const spec = `friedman1:rows=${n}`;
    const { file, foldsFile } = await csvFor(spec, holdout);
    log(`gbt: ${n} rows, one fit: ours`);
    const ours = sweep(['--data', spec, '--test-fraction', '0.2', '--workers', '1']);
    log(`gbt: ${n} rows, one fit: ours, native with 2 workers`);
    const native = sweep(['--data', spec, '--test-fraction', '0.2', '--strategy', 'native', '--workers', '2']);
    log(`gbt: ${n} rows, one fit: scikit-learn and XGBoost`);
    const peers = python(['boost', file, foldsFile]);
    const trial = ours.result.trials[0];
    const nativeTrial = native.result.trials[0];
    // Ours on up to 2 threads: the faster of one thread (thread-pool) and two (native).
    const bestFit = Math.min(trial.fitMs, nativeTrial.fitMs);
    const how = trial.fitMs <= nativeTrial.fitMs ? '1 thread' : 'native, 2 workers';
    const peer = (k, show) => (peers.missing || peers.error ? pyCell(peers, show) : peers[k].missing ? 'not installed' : show(peers[k]));
    fits.push([
      n.toLocaleString('en'), ms(ours.wallMs), ms(trial.fitMs), ms(nativeTrial.fitMs), trial.metrics.r2.toFixed(4),
      peer('hgb', (x) => ms(x.ms)), peer('hgb', (x) => x.r2.toFixed(4)), peer('hgb', (x) => ratio(x.ms, bestFit)),
      peer('xgb', (x) => ms(x.ms)), peer('xgb', (x) => x.r2.toFixed(4)), peer('xgb', (x) => ratio(x.ms, bestFit)),
    ]);
    if (nativeTrial.metrics.r2 !== trial.metrics.r2) throw new Error(`gbt: native's r2 ${nativeTrial.metrics.r2} is not thread-pool's ${trial.metrics.r2}`);
    for (const [k, name, goal] of [['hgb', 'HistGradientBoosting', 1], ['xgb', 'XGBoost (hist)', 1]]) {
      const x = peers.missing || peers.error ? undefined : peers[k];
      const speed = x && !x.missing ? x.ms / bestFit : undefined;
      targets.push({ name: `gbt one fit at ${n.toLocaleString('en')} rows ${k === 'hgb' ? 'faster than' : 'no slower than'} ${name} (its fit on 2 cores / ours on ≤ 2 threads: ${how})`, value: speed === undefined ? 'not installed' : `${speed.toFixed(2)}×`, pass: speed === undefined ? null : speed >= goal });
    }
  }
  // Native scaling: one fit of 20 iterations on 1 000 000 rows, 2 workers against 1 (fit times; the same model).
  const bigRows = Number(process.env.BENCH_GBT_NATIVE_ROWS ?? 1_000_000);
  const big = [1, 2].map((w) => {
    log(`gbt: ${bigRows} rows, native, ${w} worker${w > 1 ? 's' : ''}`);
    return sweep(['--data', `friedman1:rows=${bigRows}`, '--test-fraction', '0.2', '--iterations', '20', '--strategy', 'native', '--workers', String(w)]).result.trials[0];
  });
  const scaling = big[0].fitMs / big[1].fitMs;
  const grid = { learningRate: [0.05, 0.1], iterations: [100, 200] };
  const cv = { kind: 'kfold', folds: 5 };
  const { file, foldsFile } = await csvFor('friedman1:rows=100000', cv);
  log('gbt: 5-fold sweep, 100 000 rows: ours');
  const ours = sweep(['--data', 'friedman1:rows=100000', '--learning-rate', '0.05,0.1', '--iterations', '100,200', '--workers', '2']);
  log('gbt: 5-fold sweep, 100 000 rows: scikit-learn GridSearchCV');
  const sk = python(['boostgrid', file, foldsFile, JSON.stringify(grid)]);
  const best = Math.max(...ours.result.trials.map((t) => t.metrics.r2));
  const lines = [
    'Friedman #1, 20% holdout, 100 iterations, learning rate 0.1. Ours: `sweep run --model gbt` whole process, one worker, and the fit time it reports, and the fit time under `--strategy native --workers 2` (the same model); HistGradientBoosting (31 leaves, 20 rows per leaf, no early stopping) and XGBoost (hist, depth 6): fit alone on both cores. "peer / ours fit" > 1 means ours is faster, ours being the faster of one thread and native on two.',
    '',
    ...table(['rows', 'ours wall', 'ours fit', 'ours fit, native ×2', 'ours r2', 'HGB fit', 'HGB r2', 'HGB / ours fit', 'XGBoost fit', 'XGBoost r2', 'XGBoost / ours fit'], fits),
    '',
    `5-fold CV over learningRate {0.05, 0.1} × iterations {100, 200}, Friedman #1 100 000 rows: ours ${ms(ours.wallMs)} whole process (2 workers), best r2 ${best.toFixed(4)}; GridSearchCV over HistGradientBoosting ${pyCell(sk, (x) => `${ms(x.ms)} (fit alone), best r2 ${x.bestR2.toFixed(4)}`)}; GridSearchCV / ours: ${pyCell(sk, (x) => ratio(x.ms, ours.wallMs))}.`,
  ];
  lines.push('', `Native scaling, one fit of 20 iterations on Friedman #1 ${bigRows.toLocaleString('en')} rows (20% holdout): 1 worker ${ms(big[0].fitMs)}, 2 workers ${ms(big[1].fitMs)} (fit times), ${scaling.toFixed(2)}× (r2 ${big[0].metrics.r2.toFixed(4)} both: ${big[0].metrics.r2 === big[1].metrics.r2 ? 'identical' : 'DIFFERENT'}).`);
  targets.push({ name: `gbt native speed-up, 2 vs 1 worker (one fit, ${bigRows.toLocaleString('en')} rows, 20 iterations) ≥ 1.8×`, value: `${scaling.toFixed(2)}×`, pass: scaling >= 1.8 });
  const sweepSpeed = sk.missing || sk.error ? undefined : sk.ms / ours.wallMs;
  targets.push({ name: 'gbt 5-fold sweep (4 configs, 100 000 rows) ≥ 5× faster than GridSearchCV over HistGradientBoosting (whole process vs fit)', value: sweepSpeed === undefined ? 'not installed' : `${sweepSpeed.toFixed(2)}×`, pass: sweepSpeed === undefined ? null : sweepSpeed >= 5 });
  return { lines, targets };
}
