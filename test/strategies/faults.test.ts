/**
 * Worker faults fail only their own task: a UDF that throws, calls process.exit(1), dies of an uncaught error,
 * runs out of its thread's heap (--worker-memory) or spins past --task-timeout. The pool replaces dead threads
 * and the other configs complete with their exact metrics; --retries re-runs a failed task; the CLI reports
 * each failure with its message and exits 1. The thread-pool strategy shares the pool and dispatcher but runs
 * no user code, so its faults are exercised here through the udf strategy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolds, testRows, trainRows, type RowEvaluation as Evaluation } from '../../dist/data/folds.js';
import type { Params } from '../../dist/models/params.js';
import type { TaskOutcome } from '../../dist/strategies/tasks.js';
import { linesOf, runCli, tempDir } from '../cli/helpers.js';
import { lineData, makePlan, runUdf } from './udf-fixture.js';

const FAULTS = new URL('../fixtures/faults/faults.mjs', import.meta.url).pathname;
const DATA = lineData(40);

/** What the fixture's "ok" mode must return for a fold, computed here from the folds themselves. */
function expectedOk(evaluation: Evaluation, fold: number): Record<string, number> {
  const folds = makeFolds(DATA.rows, evaluation, 42);
  const test = testRows(folds, fold);
  let sum = 0;
  for (const i of test) sum += DATA.y[i];
  return { r2: 0.5, trainRows: trainRows(folds, fold).length, testMean: sum / test.length };
}

const modeOf = (configs: Params[], o: TaskOutcome) => configs[o.config].mode;

describe('worker faults fail only their task (udf strategy)', () => {
  it('throw, process.exit, uncaught crash and out of memory each fail alone; the rest complete', async () => {
    const kfold: Evaluation = { kind: 'kfold', folds: 2 };
    const modes = ['ok', 'throw', 'exit', 'crash', 'oom', 'ok'];
    const configs = modes.map((mode) => ({ mode }));
    // No task here should time out: the limit only has to outlast the out-of-memory death, which takes ~0.4 s on a
    // quiet machine but once took over 8 s in a loaded CI run (fresh pages are slow on this VM near the limit).
    const plan = makePlan(DATA, configs, { workers: 2, workerMemoryMb: 32, taskTimeoutMs: 60_000, evaluation: kfold });
    const { outcomes } = await runUdf(plan, { module: FAULTS });

    expect(outcomes).toHaveLength(modes.length * 2);
    // The first and the last config succeed: threads that died before the last one were replaced.
    for (const o of outcomes.filter((o) => modeOf(configs, o) === 'ok')) {
      expect(o.status).toBe('ok');
      expect(o.metrics).toEqual(expectedOk(kfold, o.fold));
    }
    const errors = (mode: string) => outcomes.filter((o) => modeOf(configs, o) === mode).map((o) => [o.status, o.error?.message]);
    expect(errors('throw')).toEqual(Array(2).fill(['failed', 'config throw is broken']));
    expect(errors('exit')).toEqual(Array(2).fill(['failed', 'UDF called process.exit(1)']));
    expect(errors('crash')).toEqual(Array(2).fill(['failed', 'uncaught in a timer']));
    expect(errors('oom')).toEqual(Array(2).fill(['failed', 'worker thread died: Worker terminated due to reaching memory limit: JS heap out of memory']));
    expect(outcomes.find((o) => modeOf(configs, o) === 'oom')!.error!.code).toBe('ERR_WORKER_OUT_OF_MEMORY');
  });

  it('a busy loop fails alone at the task timeout; the rest complete', async () => {
    const kfold: Evaluation = { kind: 'kfold', folds: 2 };
    const modes = ['ok', 'spin', 'ok'];
    const configs = modes.map((mode) => ({ mode }));
    const plan = makePlan(DATA, configs, { workers: 2, taskTimeoutMs: 2000, evaluation: kfold });
    const { outcomes } = await runUdf(plan, { module: FAULTS });
    expect(outcomes).toHaveLength(modes.length * 2);
    for (const o of outcomes.filter((o) => modeOf(configs, o) === 'ok')) expect(o.metrics).toEqual(expectedOk(kfold, o.fold));
    expect(outcomes.filter((o) => modeOf(configs, o) === 'spin').map((o) => [o.status, o.error?.message])).toEqual(Array(2).fill(['failed', 'task timed out after 2 s']));
  });

  it('a task queued behind a spinning one gets its own timeout clock, from when a thread takes it', async () => {
    // One thread, a dispatch window of two: the ok tasks wait in the pool's queue while "spin" holds the thread.
    // Their clocks start only when the thread is freed (by the timeout), so they complete.
    const holdout: Evaluation = { kind: 'holdout', testFraction: 0.5 };
    const configs = ['spin', 'ok', 'ok'].map((mode) => ({ mode }));
    const plan = makePlan(DATA, configs, { workers: 1, taskTimeoutMs: 1500, evaluation: holdout });
    const { outcomes } = await runUdf(plan, { module: FAULTS });
    expect(outcomes.map((o) => [o.config, o.status, o.error?.message])).toEqual([
      [0, 'failed', 'task timed out after 1.5 s'],
      [1, 'ok', undefined],
      [2, 'ok', undefined],
    ]);
    expect(outcomes[1].metrics).toEqual(expectedOk(holdout, 0));
  });

  it('--retries 1 re-runs a task that failed once; without retries it fails with its message', async () => {
    const configsIn = (dir: string) => [{ mode: 'flaky', dir }];
    const once = tempDir('sweep-flaky-');
    const retried = await runUdf(makePlan(DATA, configsIn(once), { retries: 1 }), { module: FAULTS });
    expect(retried.outcomes.map((o) => [o.fold, o.status])).toEqual([
      [0, 'ok'],
      [1, 'ok'],
    ]);
    expect(retried.outcomes[1].metrics).toEqual(expectedOk({ kind: 'kfold', folds: 2 }, 1));

    const never = tempDir('sweep-flaky-');
    const plain = await runUdf(makePlan(DATA, configsIn(never), { retries: 0 }), { module: FAULTS });
    expect(plain.outcomes.map((o) => [o.fold, o.status, o.error?.message])).toEqual([
      [0, 'failed', 'first attempt at fold 0 fails'],
      [1, 'failed', 'first attempt at fold 1 fails'],
    ]);
  });
});

describe('worker faults through the CLI', () => {
  /** The line data as a CSV (x0, x1, target) in a fresh directory. */
  function csvDir(): string {
    const dir = tempDir('sweep-faults-');
    const lines = ['x0,x1,target'];
    for (let i = 0; i < DATA.rows; i++) lines.push(`${DATA.x[i]},${DATA.x[DATA.rows + i]},${DATA.y[i]}`);
    writeFileSync(join(dir, 'data.csv'), lines.join('\n') + '\n');
    return dir;
  }
  const base = ['run', '--data', 'data.csv', '--udf', FAULTS, '--folds', '2', '--workers', '2', '--format', 'json', '--quiet', '--no-checkpoint'];

  interface Trial {
    params: Params;
    status: string;
    error?: string;
    metrics: Record<string, number> | null;
  }

  it('reports every failure with its message, the ok config with its metrics, and exits 1', async () => {
    const dir = csvDir();
    const r = await runCli([...base, '--param', 'mode=ok,throw,exit,oom,spin', '--worker-memory', '32', '--task-timeout', '15'], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout) as { strategy: string; tasks: unknown; trials: Trial[] };
    expect(result.strategy).toBe('udf');
    expect(result.tasks).toEqual({ total: 10, ok: 2, failed: 8 });
    const byMode = new Map(result.trials.map((t) => [t.params.mode, t]));
    expect(byMode.get('ok')).toMatchObject({ status: 'ok' });
    const e0 = expectedOk({ kind: 'kfold', folds: 2 }, 0);
    const e1 = expectedOk({ kind: 'kfold', folds: 2 }, 1);
    expect(byMode.get('ok')!.metrics).toMatchObject({ r2: 0.5, trainRows: 20, testMean: (e0.testMean + e1.testMean) / 2 });
    expect(byMode.get('throw')).toMatchObject({ status: 'failed', error: expect.stringContaining('config throw is broken') });
    expect(byMode.get('exit')).toMatchObject({ status: 'failed', error: expect.stringContaining('UDF called process.exit(1)') });
    expect(byMode.get('oom')).toMatchObject({ status: 'failed', error: expect.stringContaining('reaching memory limit') });
    expect(byMode.get('spin')).toMatchObject({ status: 'failed', error: expect.stringContaining('task timed out after 15 s') });
  });

  it('--worker-memory reaches the thread-pool strategy too: a sweep under a 64 MB heap limit runs as usual (passed on, not exercised: its worker runs no user code)', async () => {
    const r = await runCli(['run', '--trees', '2', '--folds', '2', '--workers', '1', '--worker-memory', '64', '--format', 'json', '--quiet', '--no-checkpoint'], tempDir('sweep-faults-'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ strategy: 'thread-pool', tasks: { total: 2, ok: 2, failed: 0 } });
  });

  it('--retries 1 turns a task that fails once into a success (exit 0); without it, exit 1', async () => {
    const dir = csvDir();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    const retried = await runCli([...base, '--param', 'mode=flaky', '--param', `dir=${join(dir, 'a')}`, '--retries', '1'], dir);
    expect(retried.code, retried.stderr).toBe(0);
    expect((JSON.parse(retried.stdout) as { tasks: unknown }).tasks).toEqual({ total: 2, ok: 2, failed: 0 });

    const plain = await runCli([...base, '--param', 'mode=flaky', '--param', `dir=${join(dir, 'b')}`], dir);
    expect(plain.code, plain.stderr).toBe(1);
    const trial = (JSON.parse(plain.stdout) as { trials: Trial[] }).trials[0];
    expect(trial).toMatchObject({ status: 'failed', error: expect.stringContaining('first attempt at fold 0 fails') });
    expect(linesOf(plain.stderr)).toEqual([]);
  });
});
