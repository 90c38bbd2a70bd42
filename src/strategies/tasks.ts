/**
 * Trials and tasks. A trial is one config evaluated on every fold; each (config, fold) fit is a task, the unit a
 * strategy schedules. Task ids are deterministic (config content + fold), so checkpoints, retries and a cluster
 * can recognise the same task again whatever order it runs in.
 */
import type { TaskDiagnostics } from '../eval/diagnostics.js';
import type { MetricValues } from '../eval/metrics.js';
import type { Params } from '../models/params.js';
import { toErrorRecord, type ErrorRecord } from '../errors.js';

export interface Task {
  /** Index into the sweep's configs. */
  config: number;
  fold: number;
}

/**
 * What a task produced, without saying which task: the one result shape that every carrier uses (a pool thread's
 * reply, a cluster worker's record in Redis — plus who made it —, a checkpoint line — plus its task key).
 */
export type TaskResult = Pick<TaskOutcome, 'status' | 'metrics' | 'error' | 'fitMs' | 'predictMs' | 'diagnostics'>;

export interface TaskOutcome {
  config: number;
  fold: number;
  status: 'ok' | 'failed';
  metrics?: MetricValues;
  error?: ErrorRecord;
  fitMs: number;
  predictMs: number;
  /** Extra figures a strategy or UDF reports (e.g. user metrics). */
  extra?: Record<string, number>;
  /** Built-in models: the fitted model's feature importances; a classification's confusion counts and score histograms. */
  diagnostics?: TaskDiagnostics;
}

/** The result fields of a failed task: the one way a failure is recorded (an Error, an ErrorRecord or anything thrown). */
export function failure(err: unknown, fitMs = 0, predictMs = 0): TaskResult & { status: 'failed'; error: ErrorRecord } {
  return { status: 'failed', error: toErrorRecord(err), fitMs, predictMs };
}

/** A failed task's outcome. */
export function failedOutcome(config: number, fold: number, err: unknown, fitMs = 0, predictMs = 0): TaskOutcome {
  return { config, fold, ...failure(err, fitMs, predictMs) };
}

export function makeTasks(configCount: number, foldCount: number): Task[] {
  const tasks: Task[] = [];
  for (let c = 0; c < configCount; c++) for (let f = 0; f < foldCount; f++) tasks.push({ config: c, fold: f });
  return tasks;
}

/** Canonical text of a config: keys sorted, so {a,b} and {b,a} are the same config. */
export function configKey(params: Params): string {
  const keys = Object.keys(params).sort();
  return JSON.stringify(keys.map((k) => [k, params[k]]));
}

export function taskKey(params: Params, fold: number): string {
  return `${configKey(params)}#${fold}`;
}
