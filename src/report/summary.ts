/**
 * The lines around a results table, as (label, value) pairs so the text table aligns them and Markdown
 * lists them: how the sweep ran (strategy, workers, data, evaluation, seed), what it cost (wall time, summed
 * task time, speed-up) and what it found (best config). Plain text, no colour: renderers decorate.
 */
import { higherIsBetter } from '../eval/metrics.js';
import { formatBytes, formatDuration, formatSpeedup } from '../util/format.js';
import { formatParams, splitParams } from '../sweep/trial-params.js';
import type { SweepResult, TrialResult } from '../sweep/result.js';

export interface SummaryLine {
  label: string;
  value: string;
}

const MODEL_TITLES: Record<string, string> = { rf: 'random forest', linear: 'linear regression (elastic net)', logistic: 'logistic regression' };

/** "5-fold CV", "5-fold CV × 3 repeats", "20% holdout", "group 5-fold CV by "user"", … */
export function formatEvaluation(e: SweepResult['evaluation']): string {
  const order = e.shuffle === false ? ' in file order' : '';
  if (!('folds' in e)) return `${Number((e.testFraction * 100).toPrecision(3))}% holdout${e.shuffle === false ? ' (the last rows)' : ''}`;
  switch (e.scheme) {
    case 'time-series':
      return `time-series CV, ${e.folds} expanding splits in row order`;
    case 'fold-column':
      return `CV over the ${e.folds} folds of column "${e.column}"`;
    case 'group-kfold':
      return `group ${e.folds}-fold CV by "${e.column}"`;
    default:
      return `${e.folds}-fold CV${e.repeats !== undefined && e.repeats > 1 ? ` × ${e.repeats} repeats` : ''}${order}`;
  }
}

/** Whether the splits were stratified: k-fold and shuffled holdouts of a classification. */
function stratified(r: SweepResult): boolean {
  const e = r.evaluation;
  return r.data.task === 'classification' && e.scheme === undefined && !('testFraction' in e && e.shuffle === false);
}

/** "354/88, 353/89, …": each split's training/test rows; a range when there are many splits. */
export function splitsLine(splits: readonly { train: number; test: number }[]): string {
  if (splits.length <= 10) return `train/test rows ${splits.map((s) => `${s.train}/${s.test}`).join(', ')}`;
  const span = (v: number[]) => (Math.min(...v) === Math.max(...v) ? String(v[0]) : `${Math.min(...v)}–${Math.max(...v)}`);
  return `${splits.length} splits, train ${span(splits.map((s) => s.train))} rows, test ${span(splits.map((s) => s.test))} rows each`;
}

/** "interrupted: 12/45 fits — results are partial", or null when the sweep ran to the end. */
/** The text shown in place of a trial's metrics: "failed: why", or "interrupted: 3 of 5 folds finished". */
export function trialMessage(t: TrialResult): string {
  const why = (t.error ?? 'unknown error').replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return t.status === 'interrupted' || why.startsWith('interrupted:') ? why : t.status === 'ok' ? `no ranking metric: ${why}` : `failed: ${why}`;
}

export function interruptedLine(r: SweepResult): string | null {
  if (!r.interrupted) return null;
  return `interrupted: ${r.tasks.ok + r.tasks.failed}/${r.tasks.total} fits — results are partial`;
}

/** "fixed: maxBins=255 bootstrap=true": the parameters no trial varies, or null when every one varies. */
export function fixedParamsLine(r: SweepResult): string | null {
  const { fixed } = splitParams(r.trials);
  return Object.keys(fixed).length === 0 ? null : `fixed: ${formatParams(fixed)}`;
}

export function summaryLines(r: SweepResult): SummaryLine[] {
  const okTrials = r.trials.filter((t) => t.status === 'ok').length;
  const interruptedTrials = r.trials.filter((t) => t.status === 'interrupted').length;
  const failedTrials = r.trials.length - okTrials - interruptedTrials;
  const model = MODEL_TITLES[r.model] ? `${r.model} (${MODEL_TITLES[r.model]})` : r.model;
  const lines: SummaryLine[] = [
    { label: 'strategy', value: r.strategy },
    { label: 'workers', value: String(r.workers) },
    { label: 'partitions', value: String(r.partitions) },
    { label: 'model', value: model },
    {
      label: 'data',
      value: `${r.data.name}: ${r.data.rows} rows × ${r.data.features.length} features → ${r.data.target}`,
    },
    ...(r.data.task === 'classification' && r.data.classes
      ? [{ label: 'task', value: `classification, ${r.data.classes.length} classes: ${r.data.classes.slice(0, 8).join(', ')}${r.data.classes.length > 8 ? ', …' : ''}` }]
      : r.data.task === 'regression' ? [{ label: 'task', value: 'regression' }] : []),
    { label: 'evaluation', value: `${formatEvaluation(r.evaluation)}${stratified(r) ? ' (stratified)' : ''}` },
    ...(r.evaluation.splits ? [{ label: 'folds', value: splitsLine(r.evaluation.splits) }] : []),
    { label: 'seed', value: String(r.seed) },
    { label: 'metric', value: `${r.metric} (${(r.direction ?? (higherIsBetter(r.metric) ? 'max' : 'min')) === 'max' ? 'higher' : 'lower'} is better)` },
    ...(r.search ? [{ label: 'search', value: searchValue(r.search) }] : []),
    { label: 'trials', value: `${okTrials} ok, ${failedTrials} failed${interruptedTrials > 0 ? `, ${interruptedTrials} interrupted` : ''}` },
    { label: 'tasks', value: `${r.tasks.total} (${r.tasks.ok} ok, ${r.tasks.failed} failed)` },
    { label: 'wall time', value: formatDuration(r.wallMs) },
    {
      label: 'task time',
      value: `${formatDuration(r.taskMs)} summed, ${formatSpeedup(r.speedup)} speed-up over ${r.workers} worker${r.workers === 1 ? '' : 's'}`,
    },
  ];
  if (r.bytesShipped > 0) lines.push({ label: 'shipped', value: `${formatBytes(r.bytesShipped)} to workers` });
  if (r.stoppedBy !== undefined) lines.push({ label: 'stopped', value: r.stoppedBy });
  lines.push({ label: 'best', value: bestValue(r) });
  if (r.holdout) {
    const h = r.holdout;
    const cv = r.best?.metrics[r.metric];
    const test = h.metrics[r.metric];
    lines.push({
      label: 'holdout',
      value: `${Math.round(h.fraction * 100)}% (${h.rows} rows, best refitted on ${h.trainRows}): ${r.metric} ${formatMetricValue(test)}${cv !== undefined ? ` (CV ${formatMetricValue(cv)})` : ''}`,
    });
  }
  return lines;
}

function searchValue(s: NonNullable<SweepResult['search']>): string {
  const rounds =
    s.method === 'tpe'
      ? `, ${s.rounds} round${s.rounds === 1 ? '' : 's'} of ${s.batch}`
      : s.resource !== undefined
        ? `, ${s.rounds} rung${s.rounds === 1 ? '' : 's'} over ${s.resource} up to ${s.maxResource} (factor ${s.factor})`
        : '';
  const repeats = s.repeats > 0 ? `, ${s.repeats} repeated config${s.repeats === 1 ? '' : 's'} shared` : '';
  const budget = s.timeBudgetMs !== undefined ? `; ${s.budgetSpent ? 'ended by' : 'within'} the time budget of ${formatDuration(s.timeBudgetMs)}` : '';
  return `${s.method}: ${s.trialsFinished} of ${s.trialsAsked} trials finished${rounds}${repeats}${budget}`;
}

/** The best config by its swept parameters (all of them if none varies) and its ranking metric. */
/** 4 significant digits, trailing zeros dropped (as the best line shows a score). */
function formatMetricValue(v: number | undefined): string {
  return v !== undefined && Number.isFinite(v) ? String(Number(v.toPrecision(4))) : '—';
}

function bestValue(r: SweepResult): string {
  if (!r.best) return r.trials.some((t) => t.status === 'ok') ? `none (no trial has a finite ${r.metric})` : r.interrupted ? 'none (interrupted before any trial finished)' : 'none (every trial failed)';
  const { varying } = splitParams(r.trials);
  const shown = formatParams(r.best.params, varying.length > 0 ? varying : Object.keys(r.best.params)) || '(defaults)';
  const m = r.metric as keyof typeof r.best.metrics;
  // 4 significant digits tell close configs apart; trailing zeros say nothing.
  const score = Number.isFinite(r.best.metrics[m]) ? ` → ${r.metric} ${Number(r.best.metrics[m].toPrecision(4))}` : '';
  return `${shown}${score}`;
}
