/**
 * Every strategy must produce the same metrics for every (config, fold) of one seed: randomness is derived from
 * (seed, tree, row) and order-dependent sums are merged in partition order, so neither the strategy nor the number
 * of workers may change a single bit. This check compares every run's per-fold metrics with the first run's,
 * exactly (=== , with NaN equal to NaN), and reports the largest absolute difference it saw.
 */
import type { Params } from '../models/params.js';
import type { SweepResult, TrialResult } from '../sweep/result.js';
import { configKey } from '../strategies/tasks.js';

export interface LabelledResult {
  /** "thread-pool × 2 workers, run 1": how a mismatch names the run. */
  label: string;
  result: SweepResult;
}

export interface Mismatch {
  params: Params;
  fold: number;
  /** A metric name, or "status" when a task failed in one run and not in the other, or "missing". */
  metric: string;
  reference: string;
  run: string;
  expected: number | string | null;
  actual: number | string | null;
}

export interface IdentityReport {
  identical: boolean;
  /** Runs compared (the first is the reference). */
  runs: number;
  configs: number;
  /** Metric values compared with the reference. */
  compared: number;
  /** Largest |a − b| over every compared value (0 when identical; Infinity when a value is missing or NaN on one side). */
  maxAbsDiff: number;
  mismatchCount: number;
  /** The first `limit` mismatches. */
  mismatches: Mismatch[];
}

export function checkMetricsIdentity(runs: readonly LabelledResult[], limit = 50): IdentityReport {
  const report: IdentityReport = { identical: true, runs: runs.length, configs: 0, compared: 0, maxAbsDiff: 0, mismatchCount: 0, mismatches: [] };
  if (runs.length === 0) return report;
  const ref = runs[0];
  const refTrials = byConfig(ref.result.trials);
  report.configs = refTrials.size;
  const add = (m: Mismatch, diff: number) => {
    report.identical = false;
    report.mismatchCount++;
    report.maxAbsDiff = Math.max(report.maxAbsDiff, diff);
    if (report.mismatches.length < limit) report.mismatches.push(m);
  };
  for (const run of runs.slice(1)) {
    const trials = byConfig(run.result.trials);
    const keys = new Set([...refTrials.keys(), ...trials.keys()]);
    for (const key of keys) {
      const a = refTrials.get(key);
      const b = trials.get(key);
      const params = (a ?? b)!.params;
      const where = { params, reference: ref.label, run: run.label };
      if (!a || !b) {
        add({ ...where, fold: -1, metric: 'missing', expected: a ? 'present' : null, actual: b ? 'present' : null }, Infinity);
        continue;
      }
      compareTrials(a, b, where, add, () => report.compared++);
    }
  }
  return report;
}

function compareTrials(
  a: TrialResult,
  b: TrialResult,
  where: Pick<Mismatch, 'params' | 'reference' | 'run'>,
  add: (m: Mismatch, diff: number) => void,
  counted: () => void,
): void {
  const foldsA = new Map(a.folds.map((f) => [f.fold, f]));
  const foldsB = new Map(b.folds.map((f) => [f.fold, f]));
  // A trial that failed has no folds for the failed task: the status differs, or both failed (not a metrics question).
  if (a.status !== b.status) {
    add({ ...where, fold: -1, metric: 'status', expected: a.status, actual: b.status }, Infinity);
    return;
  }
  for (const fold of new Set([...foldsA.keys(), ...foldsB.keys()])) {
    const fa = foldsA.get(fold);
    const fb = foldsB.get(fold);
    if (!fa || !fb) {
      add({ ...where, fold, metric: 'missing', expected: fa ? 'present' : null, actual: fb ? 'present' : null }, Infinity);
      continue;
    }
    for (const metric of new Set([...Object.keys(fa.metrics), ...Object.keys(fb.metrics)])) {
      const x = fa.metrics[metric];
      const y = fb.metrics[metric];
      counted();
      if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
      const diff = typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) : Infinity;
      add({ ...where, fold, metric, expected: x ?? null, actual: y ?? null }, Number.isNaN(diff) ? Infinity : diff);
    }
  }
}

function byConfig(trials: readonly TrialResult[]): Map<string, TrialResult> {
  return new Map(trials.map((t) => [configKey(t.params), t]));
}
