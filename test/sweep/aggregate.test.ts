import { describe, expect, it } from 'vitest';
import { aggregateTrials, rankTrials } from '../../dist/sweep/aggregate.js';
import type { TaskOutcome } from '../../dist/strategies/tasks.js';

const m = (r2: number) => ({ r2, corr2: r2, mae: 10 - r2, rmse: 20 - r2 });
const ok = (config: number, fold: number, r2: number, fitMs = 2): TaskOutcome => ({ config, fold, status: 'ok', metrics: m(r2), fitMs, predictMs: 1 });

describe('aggregateTrials', () => {
  it('averages folds (population std) and times per task, whatever order outcomes arrive in', () => {
    const [t] = aggregateTrials([{ a: 1 }], [ok(0, 1, 0.6, 4), ok(0, 0, 0.4, 2)], 2);
    expect(t.status).toBe('ok');
    expect(t.metrics!.r2).toBeCloseTo(0.5, 15);
    expect(t.metricsStd!.r2).toBeCloseTo(0.1, 15);
    expect(t.fitMs).toBe(3);
    expect(t.folds.map((f) => f.fold)).toEqual([0, 1]);
  });

  it('fails a trial with any failed task, naming the fold and message', () => {
    const failed: TaskOutcome = { config: 0, fold: 1, status: 'failed', error: { name: 'Error', message: 'boom' }, fitMs: 0, predictMs: 0 };
    const [t] = aggregateTrials([{ a: 1 }], [ok(0, 0, 0.5), failed], 2);
    expect(t.status).toBe('failed');
    expect(t.error).toBe('fold 1: boom');
    expect(t.metrics).toBeNull();
  });

  it('marks a trial with missing folds and no failure as interrupted, without metrics', () => {
    const [t] = aggregateTrials([{ a: 1 }], [ok(0, 0, 0.5)], 3);
    expect(t.status).toBe('interrupted');
    expect(t.metrics).toBeNull();
    expect(t.error).toMatch(/interrupted: 1 of 3 folds finished/);
  });
});

describe('rankTrials', () => {
  const trials = aggregateTrials([{ c: 0 }, { c: 1 }, { c: 2 }, { c: 3 }], [ok(0, 0, 0.2), ok(1, 0, 0.9), ok(3, 0, 0.2)], 1);
  it('sorts by the metric (higher r2 first), ties in grid order, failed last', () => {
    const ranked = rankTrials(trials, 'r2');
    expect(ranked.map((t) => t.params.c)).toEqual([1, 0, 3, 2]);
    expect(ranked.map((t) => t.rank)).toEqual([1, 2, 3, undefined]);
  });
  it('sorts lower-is-better metrics ascending', () => {
    expect(rankTrials(trials, 'rmse').map((t) => t.params.c)).toEqual([1, 0, 3, 2]);
    const byMae = rankTrials(aggregateTrials([{ c: 0 }, { c: 1 }], [ok(0, 0, 0.9), ok(1, 0, 0.1)], 1), 'mae');
    expect(byMae[0].params.c).toBe(0);
  });
});
