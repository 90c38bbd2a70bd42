/**
 * `sweep compare --format csv`: one row per (strategy, workers) with full-precision numbers (times in ms, memory
 * in bytes, efficiency as a fraction), relative speed and its σ included; a value that does not exist is empty.
 */
import type { CompareResult } from '../compare/result.js';
import { csvLine } from './csv.js';

export const COMPARE_CSV_HEADER = [
  'strategy', 'workers', 'runs', 'wall_mean_ms', 'wall_sd_ms', 'wall_min_ms', 'wall_max_ms', 'relative', 'relative_sd',
  'task_ms', 'efficiency', 'efficiency_sd', 'startup_ms', 'peak_rss_bytes', 'bytes_shipped', 'failed_tasks', 'metrics_identical',
];

export function renderCompareCsv(r: CompareResult): string {
  const rows = r.entries.map((e) => [
    e.strategy, e.workers, e.wall.n, e.wall.mean, e.wall.sd, e.wall.min, e.wall.max, e.relative.ratio, e.relative.sd,
    e.taskMs, e.efficiency.mean, e.efficiency.sd, e.startupMs, e.peakRssBytes, e.bytesShipped, e.failedTasks, r.identity.identical,
  ]);
  return [COMPARE_CSV_HEADER, ...rows].map(csvLine).join('\n') + '\n';
}
