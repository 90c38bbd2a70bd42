/**
 * Searching beyond the grid, measured in one run beside Optuna (Debian's python3-optuna, with scikit-learn's
 * RandomForestRegressor as the model, the same rows and folds):
 *   - TPE: 30 trials, 3-fold CV, ranges numTrees 10..200, maxDepth 2..24, minSamplesLeaf 1..64 (log), maxFeatures
 *     0.1..1, on diabetes and on Friedman #1 (20 000 rows): the best CV r2 each finds and the whole-process wall
 *     time of `sweep run --search tpe` vs Optuna's study.optimize (its interpreter start-up not counted);
 *   - successive halving over the trees vs the full grid of the same 27 candidates at 81 trees (Friedman #1): the
 *     best r2 each finds and the compute spent (summed task time).
 * Our side runs 2 threads; Optuna's forest n_jobs=2 (Optuna's own n_jobs would change its trials). Ours runs at
 * the default --batch 8 and at --batch 1 (sequential, as Optuna's study). Optuna on Friedman #1 takes long: set
 * BENCH_PY_TIMEOUT (seconds, default 600) to let it finish.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { csvFor, log, ms, pyCell, python, ratio, table } from './common.js';

export const title = 'Search: TPE beside Optuna, successive halving beside the full grid';

const BIN = fileURLToPath(new URL('../../bin/sweep.js', import.meta.url));
const RANGES = ['--trees', '10..200', '--max-depth', '2..24', '--min-samples-leaf', '1..64:log', '--max-features', '0.1..1'];
const OPTUNA_SPACE = { numTrees: [10, 200, false], maxDepth: [2, 24, false], minSamplesLeaf: [1, 64, true], maxFeatures: [0.1, 1.0, false] };
const EVALUATION = { kind: 'kfold', folds: 3 };

/** `sweep run …` in its own process: wall time and the JSON result. */
function sweep(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'run', ...args, '--folds', '3', '--workers', '2', '--format', 'json', '--no-checkpoint', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, CI: 'true' } });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`sweep ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
  return { wallMs, result: JSON.parse(r.stdout) };
}

const bestOf = (result) => result.best?.metrics.r2;
const foldStdOf = (result) => result.trials.find((t) => t.rank === 1)?.metricsStd?.r2;

export async function run() {
  const lines = [];
  const targets = [];
  const tpeRows = [];
  for (const data of ['diabetes', 'friedman1:rows=20000']) {
    log(`search: tpe on ${data}`);
    const ours = sweep(['--data', data, '--search', 'tpe', '--trials', '30', ...RANGES]);
    // One trial per round: as much feedback as Optuna's sequential study gets.
    const sequential = sweep(['--data', data, '--search', 'tpe', '--trials', '30', '--batch', '1', ...RANGES]);
    const { file, foldsFile } = await csvFor(data, EVALUATION);
    log(`search: Optuna TPE on ${data}`);
    const peer = python(['optuna', file, foldsFile, JSON.stringify(OPTUNA_SPACE), '30', '42', '2']);
    const r2 = bestOf(ours.result);
    const noise = foldStdOf(ours.result);
    tpeRows.push([data, '8 (default)', ms(ours.wallMs), r2.toFixed(4), noise === undefined ? '—' : `± ${noise.toFixed(4)}`, pyCell(peer, (x) => ms(x.ms)), pyCell(peer, (x) => x.bestR2.toFixed(4)), pyCell(peer, (x) => ratio(x.ms, ours.wallMs, 1))]);
    const r2s = bestOf(sequential.result);
    tpeRows.push([data, '1', ms(sequential.wallMs), r2s.toFixed(4), '', '', '', pyCell(peer, (x) => ratio(x.ms, sequential.wallMs, 1))]);
    if (!peer.missing && !peer.error) {
      targets.push({ name: `tpe best CV r2 on ${data} at least Optuna's, within the fold noise (σ over folds of our best)`, value: `${r2.toFixed(4)} vs ${peer.bestR2.toFixed(4)}`, pass: r2 >= peer.bestR2 - (noise ?? 0) });
      targets.push({ name: `tpe search on ${data} ≥ 10× faster than Optuna + scikit-learn (whole process vs study.optimize)`, value: `${(peer.ms / ours.wallMs).toFixed(1)}×`, pass: peer.ms / ours.wallMs >= 10 });
    }
  }
  lines.push(
    '30 trials, 3-fold CV, numTrees 10..200, maxDepth 2..24, minSamplesLeaf 1..64 (log), maxFeatures 0.1..1; ours `sweep run --search tpe --trials 30` (batch 8, 2 threads, whole process); Optuna 3.1 TPESampler(seed=42) over RandomForestRegressor(n_jobs=2), the mean CV r2 on the same folds.',
    '',
    ...table(['data', 'ours --batch', 'ours wall', 'ours best r2', 'fold σ of best', 'Optuna wall', 'Optuna best r2', 'Optuna / ours'], tpeRows),
    '',
  );

  log('search: halving vs the full grid of the same 27 candidates (Friedman #1 20 000 rows, 81 trees)');
  const space = ['--trees', '81', '--max-depth', '2..24', '--min-samples-leaf', '1..64:log', '--max-features', '0.1..1'];
  const grid = sweep(['--data', 'friedman1:rows=20000', '--search', 'random', '--trials', '27', ...space]);
  const halving = sweep(['--data', 'friedman1:rows=20000', '--search', 'halving', '--trials', '27', ...space]);
  const gBest = bestOf(grid.result);
  const hBest = bestOf(halving.result);
  const share = halving.result.taskMs / grid.result.taskMs;
  lines.push(
    'The same 27 candidates (random draws of maxDepth, minSamplesLeaf, maxFeatures): all at 81 trees (`--search random --trials 27 --trees 81`), or successive halving over the trees (`--search halving --trials 27 --trees 81`: rungs of 27 × 3, 9 × 9, 3 × 27, 1 × 81 trees). Task time: the summed fit and predict time of every task.',
    '',
    ...table(
      ['search', 'trials', 'wall', 'task time', 'best r2'],
      [
        ['every candidate at 81 trees', String(grid.result.trials.length), ms(grid.wallMs), ms(grid.result.taskMs), gBest.toFixed(4)],
        ['halving (factor 3)', String(halving.result.trials.length), ms(halving.wallMs), ms(halving.result.taskMs), hBest.toFixed(4)],
      ],
    ),
  );
  targets.push({ name: 'halving finds a best within 0.005 r2 of the full grid of its candidates', value: `${hBest.toFixed(4)} vs ${gBest.toFixed(4)}`, pass: hBest >= gBest - 0.005 });
  targets.push({ name: 'halving spends ≤ 1/3 of the full grid\'s task time', value: `${(share * 100).toFixed(0)}%`, pass: share <= 1 / 3 });
  return { lines, targets };
}
