/**
 * Dispatch with a bounded window, retries, timeouts and cancellation, shared by the strategies that submit
 * one job per task. Keeping at most `window` tasks in flight means an abort stops dispatching at once and a
 * lazy producer (the UDF strategy's groups) never materialises more than the window.
 */
import type { Task, TaskOutcome } from '../sweep/tasks.js';

export interface DispatchOptions {
  window: number;
  retries: number;
  taskTimeoutMs?: number;
  signal?: AbortSignal;
  /** Grace period for running tasks after an abort before they are cancelled. */
  graceMs?: number;
}

/** Runs one task; must reject (not resolve a failure) only for failures that a retry may cure. */
export type RunTask = (task: Task, signal: AbortSignal) => Promise<TaskOutcome>;

export class TaskTimeoutError extends Error {
  readonly code = 'E_TIMEOUT';
  constructor(seconds: number) {
    super(`task timed out after ${seconds} s`);
    this.name = 'TaskTimeoutError';
  }
}

export async function dispatch(
  tasks: readonly Task[],
  runTask: RunTask,
  onOutcome: (o: TaskOutcome) => void,
  opts: DispatchOptions,
): Promise<void> {
  let next = 0;
  const inFlight = new Set<AbortController>();
  const stopAll = () => {
    for (const c of inFlight) c.abort(new Error('sweep interrupted'));
  };
  let graceTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    graceTimer = setTimeout(stopAll, opts.graceMs ?? 2000);
    graceTimer.unref();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const runOne = async (task: Task): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const ctl = new AbortController();
      inFlight.add(ctl);
      let timer: NodeJS.Timeout | undefined;
      if (opts.taskTimeoutMs !== undefined) {
        const seconds = opts.taskTimeoutMs / 1000;
        timer = setTimeout(() => ctl.abort(new TaskTimeoutError(seconds)), opts.taskTimeoutMs);
      }
      try {
        const outcome = await runTask(task, ctl.signal);
        if (outcome.status === 'failed' && attempt < opts.retries && !opts.signal?.aborted) continue;
        onOutcome(outcome);
        return;
      } catch (err) {
        if (opts.signal?.aborted && !(ctl.signal.reason instanceof TaskTimeoutError)) return; // interrupted: not a result
        if (attempt < opts.retries && !opts.signal?.aborted) continue;
        const reason = ctl.signal.aborted ? ctl.signal.reason : err;
        onOutcome({
          config: task.config,
          fold: task.fold,
          status: 'failed',
          error: errorRecordOf(reason),
          fitMs: 0,
          predictMs: 0,
        });
        return;
      } finally {
        if (timer) clearTimeout(timer);
        inFlight.delete(ctl);
      }
    }
  };

  const lanes: Promise<void>[] = [];
  const lane = async () => {
    while (next < tasks.length && !opts.signal?.aborted) {
      const task = tasks[next++];
      await runOne(task);
    }
  };
  for (let k = 0; k < Math.max(1, opts.window); k++) lanes.push(lane());
  try {
    await Promise.all(lanes);
  } finally {
    if (graceTimer) clearTimeout(graceTimer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function errorRecordOf(err: unknown): { name: string; message: string; code?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    let message = err.message;
    // piscina reports a thread that exited mid-task with this text; say what it means for the user.
    if (/terminated|exited|worker.*exit/i.test(message) && !/timed out/.test(message)) message = `worker thread died: ${message}`;
    return { name: err.name, message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(err) };
}
