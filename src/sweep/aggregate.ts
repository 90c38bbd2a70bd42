/**
 * Aggregating task outcomes into trial results (scikit-learn's `_format_results`): mean and standard deviation
 * of each metric over folds, mean fit/predict time per task, a rank by the ranking metric, and the best config.
 * A trial with any failed task is failed, with the first failure's message; one whose folds did not all run (the
 * sweep was stopped) and none failed is "interrupted". A metric whose mean over folds is not finite (values near
 * 1e308 overflow the sum) fails the trial, so no trial is ever ranked on a number that was not measured.
 */
import { meanStd, metricDirection, metricNamesOf, type Direction, type MetricValues } from '../eval/metrics.js';
import type { Params } from '../models/params.js';
import type { FoldResult, TrialResult } from './result.js';
import type { TaskOutcome } from '../strategies/tasks.js';
import { poolDiagnostics } from '../eval/diagnostics.js';

/** The data's names that pooled diagnostics label their numbers with. */
export interface DiagnosticLabels {
  features: readonly string[];
  classes?: readonly string[];
}

/**
 * Every config's trial. With `labels`, each ok trial whose folds all carry diagnostics gets them pooled
 * (`diagnostics`); the sweep keeps the best trial's as the result's and drops the others' (api/run.ts).
 */
export function aggregateTrials(configs: readonly Params[], outcomes: readonly TaskOutcome[], foldCount: number, labels?: DiagnosticLabels): TrialResult[] {
  const byConfig: TaskOutcome[][] = configs.map(() => []);
  for (const o of outcomes) byConfig[o.config].push(o);
  return configs.map((params, c) => {
    const list = byConfig[c].sort((a, b) => a.fold - b.fold);
    const trial: TrialResult = { number: c, ...aggregateTrial(params, list, foldCount) };
    if (labels === undefined || trial.status !== 'ok' || !list.every((o) => o.diagnostics !== undefined)) return trial;
    const pooled = poolDiagnostics(list.map((o) => o.diagnostics!), labels.features, labels.classes);
    return pooled ? { ...trial, diagnostics: pooled } : trial;
  });
}

/** One config's trial from its tasks' outcomes (in fold order). */
export function aggregateTrial(params: Params, outcomes: TaskOutcome[], foldCount: number): TrialResult {
  const failed = outcomes.find((o) => o.status === 'failed');
  const ok = outcomes.filter((o) => o.status === 'ok' && o.metrics);
  const folds: FoldResult[] = ok.map((o) => ({ fold: o.fold, metrics: o.metrics!, fitMs: o.fitMs, predictMs: o.predictMs }));
  const fitMs = mean(ok.map((o) => o.fitMs));
  const predictMs = mean(ok.map((o) => o.predictMs));
  if (failed) return { params, status: 'failed', error: describeFailure(failed), metrics: null, metricsStd: null, fitMs, predictMs, folds };
  if (ok.length < foldCount) {
    return { params, status: 'interrupted', error: `interrupted: ${ok.length} of ${foldCount} folds finished`, metrics: null, metricsStd: null, fitMs, predictMs, folds };
  }
  const metrics: MetricValues = {};
  const metricsStd: MetricValues = {};
  // Average every metric that every fold reported (built-in models: the four; a user UDF: its own).
  const names = metricNamesOf(ok.map((o) => o.metrics)).filter((n) => ok.every((o) => Number.isFinite(o.metrics![n])));
  for (const name of names) {
    const { mean: m, std } = meanStd(ok.map((o) => o.metrics![name]));
    if (!Number.isFinite(m) || !Number.isFinite(std)) {
      const error = `metric ${name}: the mean or spread over folds is not finite (fold values ${ok.map((o) => o.metrics![name]).join(', ')})`;
      return { params, status: 'failed', error, metrics: null, metricsStd: null, fitMs, predictMs, folds };
    }
    metrics[name] = m;
    metricsStd[name] = std;
  }
  return { params, status: 'ok', metrics, metricsStd, fitMs, predictMs, folds };
}

function describeFailure(o: TaskOutcome): string {
  const msg = o.error?.message ?? 'failed';
  return o.error?.frame ? `fold ${o.fold}: ${msg} (${o.error.frame})` : `fold ${o.fold}: ${msg}`;
}

function mean(v: number[]): number {
  return v.length === 0 ? 0 : v.reduce((a, b) => a + b, 0) / v.length;
}

/**
 * Trials in rank order (best first; ties keep grid order), then ok trials without a finite ranking metric (a UDF
 * that did not return it), then failed and interrupted ones; `rank` is set only on trials with a finite ranking
 * metric, so nothing unmeasured is ever ranked or chosen as best. `tier`, when given, ranks first: a trial of a
 * higher tier above any of a lower one (halving: the resource a trial ran with).
 */
export function rankTrials(trials: readonly TrialResult[], metric: string, direction: Direction = metricDirection(metric), tier?: (t: TrialResult) => number): TrialResult[] {
  const sign = direction === 'max' ? -1 : 1;
  const indexed = trials.map((t, i) => ({ t, i }));
  const rankable = (t: TrialResult) => t.status === 'ok' && t.metrics !== null && Object.hasOwn(t.metrics, metric) && Number.isFinite(t.metrics[metric]);
  const ok = indexed.filter((x) => rankable(x.t));
  const bad = [...indexed.filter((x) => x.t.status === 'ok' && !rankable(x.t)), ...indexed.filter((x) => x.t.status !== 'ok')];
  ok.sort((a, b) => {
    const byTier = tier ? tier(b.t) - tier(a.t) : 0;
    if (byTier !== 0) return byTier;
    const d = sign * (a.t.metrics![metric] - b.t.metrics![metric]);
    return d !== 0 && !Number.isNaN(d) ? d : a.i - b.i;
  });
  return [...ok.map((x, r) => ({ ...x.t, rank: r + 1 })), ...bad.map((x) => x.t)];
}

/** The best trial's pooled diagnostics as the result's; every trial's dropped (a result keeps one model's). */
export function liftDiagnostics<R extends { trials: TrialResult[] }>(result: R): R & { diagnostics?: TrialResult['diagnostics'] } {
  const best = result.trials.find((t) => t.rank === 1)?.diagnostics;
  const trials = result.trials.map(({ diagnostics: _, ...t }) => t);
  return { ...result, trials, ...(best !== undefined ? { diagnostics: best } : {}) };
}

/** The best trial of ranked trials (rank 1), as a result's `best`; null when none is ranked. */
export function bestOf(ranked: readonly TrialResult[]): { params: TrialResult['params']; metrics: NonNullable<TrialResult['metrics']> } | null {
  return ranked[0]?.rank === 1 ? { params: ranked[0].params, metrics: ranked[0].metrics! } : null;
}
