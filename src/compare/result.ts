/**
 * The one record of `sweep compare`, documented field by field (hyperfine's way): the table, JSON, CSV,
 * Markdown and HTML renderers all read this, and `--format json` prints exactly this shape.
 */
import type { Params } from '../models/params.js';
import type { SweepResult } from '../sweep/result.js';
import type { IdentityReport } from './identity.js';
import type { Relative, Summary } from './stats.js';

/** How runs were isolated: each in its own child process (peak RSS is the run's own) or all in this one. */
export type Isolation = 'process' | 'in-process';

/** One measured run of one (strategy, workers) combination. */
export interface CompareRun {
  strategy: string;
  workers: number;
  /** 1-based repetition (warm-up runs are not recorded). */
  repeat: number;
  /** Wall time of the sweep, from strategy start-up to the last result (ms): SweepResult.wallMs. */
  wallMs: number;
  /** Summed fit + predict time of every task (ms). */
  taskMs: number;
  /** Strategy start-up: workers started and data handed over (ms); null when the strategy does not say. */
  startupMs: number | null;
  /** Peak resident set of the run's own process (bytes, data loading included); null when runs share a process. */
  peakRssBytes: number | null;
  bytesShipped: number;
  failedTasks: number;
}

/** Everything measured for one (strategy, workers) combination over its repeats. */
export interface CompareEntry {
  strategy: string;
  workers: number;
  /** Wall time (ms) over the repeats: mean, sample σ, min, max. */
  wall: Summary;
  /** Wall-time mean relative to the fastest entry's (1 = fastest), with its propagated σ. */
  relative: Relative;
  /** Mean summed task time (ms). */
  taskMs: number;
  /** taskMs / (wallMs × workers) per run: mean and σ over repeats (1 = every worker busy all the time). */
  efficiency: Summary;
  /** Mean strategy start-up (ms), apart from fit time; null when unknown. */
  startupMs: number | null;
  /** Highest peak RSS over the repeats (bytes); null in-process. */
  peakRssBytes: number | null;
  /** Bytes copied to workers in one run (0 when the data is shared, not copied). */
  bytesShipped: number;
  /** Failed tasks summed over the repeats. */
  failedTasks: number;
  /** Wall time of every repeat (ms), in order. */
  wallTimes: number[];
}

/** The version of the compare record's shape (docs/compare.schema.json). */
export const COMPARE_SCHEMA = 1;

export interface CompareResult {
  /** The shape's version (COMPARE_SCHEMA). */
  schema?: number;
  /** The sweep tool's version that made the comparison. */
  version?: string;
  /** When the comparison started (ISO 8601, UTC). */
  startedAt?: string;
  /** The command line that ran it (argv, a URL's password replaced by ***); absent when run from the library. */
  command?: string[];
  model: string;
  data: SweepResult['data'];
  evaluation: SweepResult['evaluation'];
  seed: number;
  partitions: number;
  metric: string;
  /** Number of configs and folds (tasks per run = configs × folds). */
  configs: number;
  folds: number;
  repeat: number;
  warmup: number;
  isolation: Isolation;
  /** Node version, CPU count and model: what the timings were taken on. */
  machine: { node: string; cpus: number; cpu: string; platform: string };
  /** In the order run: strategies as asked, then workers ascending. */
  entries: CompareEntry[];
  /** Index into entries of the smallest mean wall time; -1 when nothing ran. */
  fastest: number;
  /** One sentence per strategy, relative to the fastest ("thread-pool with 2 workers is 1.80 ± 0.10 × faster than udf with 2 workers"). */
  verdicts: string[];
  /** Whether every run produced the same per-fold metrics for every config. */
  identity: IdentityReport;
  /** The ranking metric per config (mean and population σ over folds, from the first run), best first. */
  ranking: { params: Params; mean: number | null; sd: number | null }[];
  /** The parameters that differ between configs (for labels). */
  varying: string[];
  runs: CompareRun[];
}
