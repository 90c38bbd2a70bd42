/**
 * Dispatch with a bounded window, retries, timeouts and cancellation, shared by the strategies that submit
 * one job per task. Keeping at most `window` tasks in flight means an abort stops dispatching at once and a
 * lazy producer (the UDF strategy's groups) never materialises more than the window.
 */
import { failedOutcome, type Task, type TaskOutcome } from './tasks.js';
import type { StrategyHooks, SweepPlan } from './strategy.js';

export interface DispatchOptions {
  window: number;
  /**
   * How many dispatched tasks actually run at once (a pool's threads; default: the window). A task's timeout
   * clock starts when it gets one of these slots, in dispatch order as a FIFO pool starts them — not while it
   * waits in the pool's queue behind a slow task.
   */
  slots?: number;
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

/**
 * A plan's tasks on a pool of plan.workers threads (thread-pool, udf): two tasks in flight per thread (one
 * running, one queued, so a thread never waits for the next), the plan's retries and timeout.
 */
export function dispatchOnPool(plan: SweepPlan, runTask: RunTask, hooks: StrategyHooks): Promise<void> {
  return dispatch(plan.tasks, runTask, hooks.onOutcome, {
    window: plan.workers * 2,
    slots: plan.workers,
    retries: plan.retries,
    taskTimeoutMs: plan.taskTimeoutMs,
    signal: hooks.signal,
  });
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
  const slots = new Slots(Math.max(1, opts.slots ?? opts.window));

  const runOne = async (task: Task): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const ctl = new AbortController();
      inFlight.add(ctl);
      let timer: NodeJS.Timeout | undefined;
      const release = slots.take(() => {
        if (opts.taskTimeoutMs === undefined) return;
        const seconds = opts.taskTimeoutMs / 1000;
        timer = setTimeout(() => ctl.abort(new TaskTimeoutError(seconds)), opts.taskTimeoutMs);
      });
      try {
        const outcome = await runTask(task, ctl.signal);
        if (outcome.status === 'failed' && attempt < opts.retries && !opts.signal?.aborted) continue;
        onOutcome(outcome);
        return;
      } catch (err) {
        if (opts.signal?.aborted && !(ctl.signal.reason instanceof TaskTimeoutError)) return; // interrupted: not a result
        if (attempt < opts.retries && !opts.signal?.aborted) continue;
        const reason = ctl.signal.aborted ? ctl.signal.reason : err;
        onOutcome(failedOutcome(task.config, task.fold, errorRecordOf(reason)));
        return;
      } finally {
        release();
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

/** Running slots handed out in FIFO order: `take(start)` calls `start` now or when an earlier holder releases. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(count: number) {
    this.free = count;
  }

  /** Returns the release function: gives the slot to the next waiter, or leaves the queue if never started. */
  take(start: () => void): () => void {
    let held = false;
    let released = false;
    const begin = () => {
      held = true;
      start();
    };
    if (this.free > 0) {
      this.free--;
      begin();
    } else this.waiting.push(begin);
    return () => {
      if (released) return;
      released = true;
      if (!held) {
        this.waiting.splice(this.waiting.indexOf(begin), 1);
        return;
      }
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
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
