/**
 * The diabetes sweep of the README (`sweep compare --trees 10,20,50`, 5-fold CV) under every strategy at 1 and 2
 * workers, 3 runs after 1 warm-up each, beside scikit-learn's GridSearchCV(RandomForestRegressor) on the same
 * rows, folds and grid (n_jobs 1 and 2).
 */
import { compare, csvFor, log, meanSd, mb, ms, pyCell, python, ratio, table } from './common.js';

export const title = 'Diabetes: the default sweep per strategy';

const GRID = { numTrees: [10, 20, 50] };
const EVALUATION = { kind: 'kfold', folds: 5 };

export async function run() {
  log('diabetes: sweep compare (3 strategies × workers 1,2 × 3 runs)');
  const r = await compare({ data: 'diabetes', grid: GRID, evaluation: EVALUATION, workerCounts: [1, 2], repeat: 3, warmup: 1 });
  const { file, foldsFile } = await csvFor('diabetes', EVALUATION);
  log('diabetes: scikit-learn GridSearchCV');
  const sk = [1, 2].map((j) => python(['grid', file, foldsFile, 'rf', JSON.stringify(GRID), String(j)]));
  const lines = [
    `\`sweep compare --trees 10,20,50\` (rf, 5-fold CV, 3 configs, 442 rows), ${r.repeat} runs after ${r.warmup} warm-up, each run its own process.`,
    `scikit-learn: GridSearchCV(RandomForestRegressor(max_features=1.0), the same grid, the same folds via PredefinedSplit).`,
    '',
    ...table(
      ['strategy', 'workers', 'wall (mean ± σ)', 'relative', 'efficiency', 'start-up', 'peak RSS', 'sklearn, same n_jobs', 'sklearn / ours'],
      r.entries.map((e) => {
        const s = sk[e.workers - 1];
        return [e.strategy, String(e.workers), meanSd(e.wall), e.relative.ratio.toFixed(2) + (Number.isFinite(e.relative.sd) ? ` ± ${e.relative.sd.toFixed(2)}` : ''), `${Math.round(e.efficiency.mean * 100)}%`, ms(e.startupMs), mb(e.peakRssBytes), pyCell(s, (x) => ms(x.ms)), pyCell(s, (x) => ratio(x.ms, e.wall.mean))];
      }),
    ),
    '',
    `metrics identical across strategies: ${r.identity.identical ? 'yes' : `NO (max abs difference ${r.identity.maxAbsDiff})`}; best r2 ours ${r.ranking[0]?.mean?.toFixed(4) ?? '—'}, sklearn ${pyCell(sk[0], (x) => x.bestR2.toFixed(4))}.`,
    ...r.verdicts.map((v) => `- ${v}`),
  ];
  return { lines, targets: [] };
}
