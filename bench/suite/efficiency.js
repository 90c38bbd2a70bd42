/**
 * Thread-pool parallel efficiency: a 12-config forest sweep (numTrees {10, 20} × maxDepth {6, 8, 10} × minSamplesLeaf
 * {1, 5}) on Friedman #1 with 100 000 rows, 20% holdout, at 1 and 2 workers, 3 runs each after 1 warm-up.
 * Target: efficiency (summed task time / (wall × workers)) ≥ 90% at 2 workers.
 */
import { compare, log, meanSd, table } from './common.js';

export const title = 'Thread-pool parallel efficiency: 12-config forest sweep, 100 000 rows';

export async function run() {
  log('efficiency: thread-pool, 12 configs, 100 000 rows, workers 1,2');
  const r = await compare({
    data: 'friedman1:rows=100000',
    grid: { numTrees: [10, 20], maxDepth: [6, 8, 10], minSamplesLeaf: [1, 5] },
    evaluation: { kind: 'holdout', testFraction: 0.2 },
    strategies: ['thread-pool'],
    workerCounts: [1, 2],
    repeat: 3,
    warmup: 1,
  });
  const two = r.entries.find((e) => e.workers === 2);
  const one = r.entries.find((e) => e.workers === 1);
  const pct = (s) => `${Math.round(s.mean * 100)} ± ${Math.round((Number.isFinite(s.sd) ? s.sd : 0) * 100)}%`;
  // Summed task time grows when threads compete for cores (or with other processes), which flatters the issue's
  // definition; the 1-worker task time over (wall × workers) is the stricter figure, shown beside it.
  const strict = (e) => `${Math.round((one.taskMs / (e.wall.mean * e.workers)) * 100)}%`;
  const lines = [
    ...table(
      ['workers', 'wall (mean ± σ)', 'summed task time', 'efficiency', 'efficiency vs 1-worker task time', 'speed-up vs 1 worker'],
      r.entries.map((e) => [String(e.workers), meanSd(e.wall), `${(e.taskMs / 1000).toFixed(2)} s`, pct(e.efficiency), strict(e), `${(one.wall.mean / e.wall.mean).toFixed(2)}×`]),
    ),
    '',
    'efficiency = summed task time / (wall × workers), as the target defines it; when tasks slow each other down (shared caches and memory bandwidth, or other load on the machine) their summed time grows too, so the stricter column divides the 1-worker task time instead.',
  ];
  const targets = [{ name: 'thread-pool parallel efficiency at 2 workers (12-config forest, 100 000 rows)', value: pct(two.efficiency), pass: two.efficiency.mean >= 0.9 }];
  return { lines, targets };
}
