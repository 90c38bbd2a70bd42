import { describe, expect, it } from 'vitest';
import { dispatch } from '../../dist/strategies/scheduler.js';
import type { Task, TaskOutcome } from '../../dist/strategies/tasks.js';

const tasks: Task[] = [0, 1, 2, 3, 4, 5].map((c) => ({ config: c, fold: 0 }));
const okOutcome = (t: Task): TaskOutcome => ({ config: t.config, fold: t.fold, status: 'ok', metrics: { r2: 1, corr2: 1, mae: 0, rmse: 0 }, fitMs: 1, predictMs: 1 });
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

describe('dispatch', () => {
  it('runs every task once with at most `window` in flight', async () => {
    let running = 0;
    let peak = 0;
    const out: TaskOutcome[] = [];
    await dispatch(
      tasks,
      async (t) => {
        peak = Math.max(peak, ++running);
        await sleep(5);
        running--;
        return okOutcome(t);
      },
      (o) => out.push(o),
      { window: 2, retries: 0 },
    );
    expect(out.map((o) => o.config).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('retries a rejected task and reports the final failure with its message', async () => {
    const attempts = new Map<number, number>();
    const out: TaskOutcome[] = [];
    await dispatch(
      tasks.slice(0, 2),
      async (t) => {
        attempts.set(t.config, (attempts.get(t.config) ?? 0) + 1);
        if (t.config === 1) throw new Error('worker exploded');
        if (attempts.get(t.config)! < 2) throw new Error('flaky');
        return okOutcome(t);
      },
      (o) => out.push(o),
      { window: 1, retries: 2 },
    );
    expect(attempts.get(0)).toBe(2);
    expect(attempts.get(1)).toBe(3);
    const failed = out.find((o) => o.config === 1)!;
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toBe('worker exploded');
    expect(out.find((o) => o.config === 0)!.status).toBe('ok');
  });

  it('fails a task that outlives the timeout and goes on with the rest', async () => {
    const out: TaskOutcome[] = [];
    await dispatch(
      tasks.slice(0, 3),
      async (t, signal) => {
        await sleep(t.config === 1 ? 10_000 : 1, signal);
        return okOutcome(t);
      },
      (o) => out.push(o),
      { window: 2, retries: 0, taskTimeoutMs: 50 },
    );
    expect(out).toHaveLength(3);
    expect(out.find((o) => o.config === 1)!.error!.message).toBe('task timed out after 0.05 s');
  });

  it('stops dispatching on abort and cancels stragglers after the grace period', async () => {
    const ctl = new AbortController();
    const out: TaskOutcome[] = [];
    const started: number[] = [];
    await dispatch(
      tasks,
      async (t, signal) => {
        started.push(t.config);
        if (t.config === 1) ctl.abort();
        await sleep(t.config === 0 ? 20 : 10_000, signal);
        return okOutcome(t);
      },
      (o) => out.push(o),
      { window: 2, retries: 0, signal: ctl.signal, graceMs: 100 },
    );
    expect(started).toEqual([0, 1]);
    expect(out.map((o) => o.config)).toEqual([0]); // task 0 finished within the grace period; task 1 was cut off, not reported
  });
});
