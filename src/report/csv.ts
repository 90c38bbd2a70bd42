/**
 * `--format csv`: one row per config for spreadsheets and pandas. Every parameter gets a column (not only the
 * varying ones: a machine reader wants the full config), then each metric's mean and std, mean fit and predict
 * time per task in ms, status and error. Numbers keep full precision; a missing value is an empty field.
 * Quoting follows RFC 4180 (fields with a comma, quote or line break are quoted, quotes doubled); lines end
 * with "\n", which every CSV reader accepts.
 */
import { metricNamesOf } from '../eval/metrics.js';
import { paramNames } from '../sweep/trial-params.js';
import type { SweepResult, TrialResult } from '../sweep/result.js';

type Field = string | number | boolean | undefined | null;

export interface CsvOptions {
  /** --folds-columns: each split's score as its own column, as scikit-learn's cv_results_ (split0_test_r2, …). */
  foldsColumns?: boolean;
}

export function renderCsv(result: SweepResult, opts: CsvOptions = {}): string {
  const params = paramNames(result.trials);
  const names = metricNamesOf(result.trials.map((t) => t.metrics));
  // A search's trials carry their number; halving's also their rung and resource.
  const numbered = result.search !== undefined;
  const rungs = result.trials.some((t) => t.rung !== undefined);
  const splits = opts.foldsColumns ? splitNumbers(result.trials) : [];
  const header = [
    ...(numbered ? ['number'] : []),
    ...(rungs ? ['rung', 'resource'] : []),
    'rank',
    ...params,
    ...names.flatMap((m) => [m, `${m}_std`]),
    ...splits.flatMap((k) => names.map((m) => `split${k}_test_${m}`)),
    'fitMs',
    'predictMs',
    'status',
    'error',
  ];
  const rows = result.trials.map((t) => [
    ...(numbered ? [t.number] : []),
    ...(rungs ? [t.rung, t.resource] : []),
    t.rank,
    ...params.map((p) => t.params[p]),
    ...metricFields(t, names),
    ...splits.flatMap((k) => splitFields(t, k, names)),
    t.fitMs,
    t.predictMs,
    t.status,
    t.error,
  ]);
  return [header, ...rows].map(csvLine).join('\n') + '\n';
}

function metricFields(t: TrialResult, names: readonly string[]): Field[] {
  return names.flatMap((m) => [t.metrics?.[m], t.metricsStd?.[m]]);
}

/** The splits any trial has, in order (a trial interrupted before a split has an empty field there). */
function splitNumbers(trials: readonly TrialResult[]): number[] {
  const seen = new Set<number>();
  for (const t of trials) for (const f of t.folds) seen.add(f.fold);
  return [...seen].sort((a, b) => a - b);
}

function splitFields(t: TrialResult, split: number, names: readonly string[]): Field[] {
  const fold = t.folds.find((f) => f.fold === split);
  return names.map((m) => fold?.metrics[m]);
}

export function csvLine(fields: readonly Field[]): string {
  return fields.map(csvField).join(',');
}

/** One RFC 4180 field. */
export function csvField(v: Field): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' && !Number.isFinite(v)) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
