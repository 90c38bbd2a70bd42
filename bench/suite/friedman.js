/**
 * Friedman #1 (10 features, noise 1) at 10 000, 100 000 and 1 000 000 rows, 20% holdout, ours vs scikit-learn's
 * GridSearchCV on the same rows, split and grid, both with 2 workers / n_jobs=2:
 *   forest: numTrees 10, maxDepth 8 (one config: fit time is the figure);
 *   linear: regParam {0, 0.01, 0.1, 1} × elasticNetParam {0, 0.5, 1} (12 configs; ours uses Spark's
 *   standardization, sklearn's ElasticNet does not, so their r2 may differ slightly; the time is the figure).
 * Ours: thread-pool and native (when registered). BENCH_ROWS=10000,100000 picks sizes; BENCH_SKLEARN_MAX_ROWS
 * (default 1000000) skips sklearn's forest above it.
 */
import { compare, csvFor, log, meanSd, mb, ms, pyCell, python, ratio, table } from './common.js';

export const title = 'Friedman #1: forest and linear, 10 000 to 1 000 000 rows';

const MODELS = {
  rf: { grid: { numTrees: [10], maxDepth: [8] } },
  linear: { grid: { regParam: [0, 0.01, 0.1, 1], elasticNetParam: [0, 0.5, 1] } },
};
const EVALUATION = { kind: 'holdout', testFraction: 0.2 };

export async function run() {
  const sizes = (process.env.BENCH_ROWS ?? '10000,100000,1000000').split(',').map(Number);
  const skMax = Number(process.env.BENCH_SKLEARN_MAX_ROWS ?? 1_000_000);
  const { availableStrategies } = await import(new URL('../../dist/strategies/index.js', import.meta.url).href);
  const strategies = ['native', 'thread-pool'].filter((s) => availableStrategies().includes(s));
  const rows = [];
  for (const n of sizes) {
    const spec = `friedman1:rows=${n}`;
    const { file, foldsFile } = await csvFor(spec, EVALUATION);
    for (const [model, { grid }] of Object.entries(MODELS)) {
      log(`friedman: ${n} rows, ${model}: ours (${strategies.join(', ')})`);
      const r = await compare({ data: spec, model, grid, evaluation: EVALUATION, strategies, workerCounts: [2], repeat: 1, warmup: 0 });
      const skipped = model === 'rf' && n > skMax;
      log(`friedman: ${n} rows, ${model}: scikit-learn`);
      const sk = skipped ? { skipped: true } : python(['grid', file, foldsFile, model, JSON.stringify(grid), '2']);
      const skCell = (show) => (skipped ? 'skipped' : pyCell(sk, show));
      for (const e of r.entries) {
        rows.push([n.toLocaleString('en'), model, String(r.configs), e.strategy, meanSd(e.wall), mb(e.peakRssBytes), skCell((x) => ms(x.ms)), skCell((x) => ratio(x.ms, e.wall.mean, 1)), r.ranking[0]?.mean?.toFixed(4) ?? '—', skCell((x) => x.bestR2.toFixed(4))]);
      }
    }
  }
  const lines = [
    'Holdout 20%, 2 workers (ours) vs n_jobs=2 (sklearn). Ours: wall time of the sweep in its own process (data generated in memory, not timed); sklearn: GridSearchCV.fit, joblib worker start-up included (data read from the same rows written as CSV, not timed). "sklearn / ours" > 1 means ours is faster.',
    '',
    ...table(['rows', 'model', 'configs', 'strategy', 'ours wall', 'ours peak RSS', 'sklearn', 'sklearn / ours', 'best r2 ours', 'best r2 sklearn'], rows),
  ];
  return { lines, targets: [] };
}
