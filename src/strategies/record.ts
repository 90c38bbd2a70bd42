/**
 * What a finished task may look like, wherever it comes from: a strategy's outcome, a checkpoint line read back,
 * or a result record a cluster worker left in Redis. Nothing counts as a measured result unless it passes here:
 *   - an "ok" task has at least one metric, at most MAX_METRIC_KEYS, every value a finite number, and the
 *     built-in metrics inside their mathematical range (r2 ≤ 1, 0 ≤ corr2 ≤ 1, mae ≥ 0, rmse ≥ 0);
 *   - a "failed" task carries an error record {name, message};
 *   - times are finite and ≥ 0.
 * `checkOutcome` turns a strategy's "ok" outcome whose metrics are not finite into a failed task naming the
 * metric (a target near ±1e308 makes every sum overflow); `parseTaskFields` validates untrusted JSON and says
 * what is wrong with it, so the caller can skip it with a warning instead of counting it.
 */
import type { ErrorRecord } from '../errors.js';
import { diagnosticsProblem, type TaskDiagnostics } from '../eval/diagnostics.js';
import { MAX_METRIC_KEYS, type MetricValues } from '../eval/metrics.js';
import { failedOutcome, type TaskOutcome, type TaskResult } from './tasks.js';



/** Bounds of the built-in metrics: a stored value outside them was not produced by sweep. */
const METRIC_RANGE: Record<string, [number, number]> = {
  r2: [-Infinity, 1],
  corr2: [0, 1],
  mae: [0, Infinity],
  rmse: [0, Infinity],
};

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Why `metrics` is not a valid set of measured metrics, or undefined when it is. */
export function metricsProblem(metrics: unknown): string | undefined {
  if (!isRecord(metrics)) return 'metrics is not an object';
  const names = Object.keys(metrics);
  if (names.length === 0) return 'metrics is empty';
  if (names.length > MAX_METRIC_KEYS) return `${names.length} metrics, more than the ${MAX_METRIC_KEYS} allowed`;
  for (const name of names) {
    const v = metrics[name];
    if (typeof v !== 'number') return `metric ${name} is not a number`;
    if (!Number.isFinite(v)) return `metric ${name} is not finite (${v})`;
    const range = Object.hasOwn(METRIC_RANGE, name) ? METRIC_RANGE[name] : undefined;
    if (range && !(v >= range[0] && v <= range[1])) return `metric ${name} = ${v} is outside [${range[0]}, ${range[1]}]`;
  }
  return undefined;
}

/** A strategy's outcome as the sweep records it: an "ok" task with unusable metrics becomes a failed one. */
export function checkOutcome(o: TaskOutcome): TaskOutcome {
  if (o.status !== 'ok') return o;
  const problem = o.metrics === undefined ? 'no metrics' : metricsProblem(o.metrics);
  if (problem === undefined) return o;
  const message = `${problem}: the data's values overflow or the model diverged; this fold has no usable score`;
  return failedOutcome(o.config, o.fold, { name: 'MetricError', code: 'E_METRIC', message }, o.fitMs, o.predictMs);
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Validate the result fields of untrusted JSON: the record, or a one-phrase reason it is unusable. */
export function parseTaskFields(v: unknown): { record: TaskResult } | { problem: string } {
  if (!isRecord(v)) return { problem: `not an object (${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v})` };
  if (v.status !== 'ok' && v.status !== 'failed') return { problem: 'status is not "ok" or "failed"' };
  if (!isTime(v.fitMs)) return { problem: 'fitMs is not a time in ms' };
  if (!isTime(v.predictMs)) return { problem: 'predictMs is not a time in ms' };
  if (v.status === 'ok') {
    const problem = metricsProblem(v.metrics) ?? (v.diagnostics !== undefined ? diagnosticsProblem(v.diagnostics) : undefined);
    if (problem !== undefined) return { problem };
    const diagnostics = v.diagnostics !== undefined ? { diagnostics: structuredClone(v.diagnostics as TaskDiagnostics) } : {};
    return { record: { status: 'ok', metrics: { ...(v.metrics as MetricValues) }, fitMs: v.fitMs, predictMs: v.predictMs, ...diagnostics } };
  }
  const e = v.error;
  if (!isRecord(e) || typeof e.name !== 'string' || typeof e.message !== 'string') return { problem: 'a failed task without an error {name, message}' };
  const error: ErrorRecord = { name: e.name.slice(0, 200), message: e.message.slice(0, 2000) };
  if (typeof e.code === 'string') error.code = e.code.slice(0, 100);
  if (typeof e.frame === 'string') error.frame = e.frame.slice(0, 500);
  return { record: { status: 'failed', error, fitMs: v.fitMs, predictMs: v.predictMs } };
}
