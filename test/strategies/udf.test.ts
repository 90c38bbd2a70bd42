// The udf strategy with the built-in models: same numbers as the shared-dataset evaluation that the
// thread-pool strategy runs, and never more than 2 × workers groups alive.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../dist/data/dataset.js';
import { loadData } from '../../dist/data/load.js';
import { getModel } from '../../dist/models/registry.js';
import { evaluateTask } from '../../dist/strategies/evaluate.js';
import type { GroupEvent } from '../../dist/strategies/udf/udf.js';
import type { TaskOutcome } from '../../dist/strategies/tasks.js';
import { fixture, lineData, makePlan, runUdf } from './udf-fixture.js';

let diabetes: Dataset;
beforeAll(async () => {
  diabetes = (await loadData('diabetes', {})).data;
});

function expectParity(outcomes: TaskOutcome[], reference: TaskOutcome[]): void {
  expect(outcomes.map((o) => [o.config, o.fold, o.status])).toEqual(reference.map((o) => [o.config, o.fold, 'ok']));
  outcomes.forEach((o, k) => {
    for (const m of ['r2', 'corr2', 'mae', 'rmse'] as const) expect(Math.abs(o.metrics![m] - reference[k].metrics![m])).toBeLessThanOrEqual(1e-9);
  });
}

describe('udf strategy, built-in models', () => {
  it('gives the thread-pool numbers for rf on diabetes (3 folds, trees 5 and 10)', async () => {
    const plan = makePlan(diabetes, [{ numTrees: 5 }, { numTrees: 10, maxDepth: 4 }], { evaluation: { kind: 'kfold', folds: 3 } });
    const { outcomes, stats } = await runUdf(plan);
    const ctx = { data: diabetes, folds: plan.folds, seed: plan.seed, partitions: plan.partitions, cache: new Map() };
    const reference = plan.tasks.map((t) => evaluateTask(ctx, getModel('rf'), plan.configs[t.config], t.config, t.fold));
    expectParity(outcomes, reference);
    // Every group carries all 442 rows × (10 features + target) as Float64, plus the bitmap and framing.
    expect(stats.groups).toBe(6);
    expect(stats.groupBytes).toBeGreaterThan(442 * 11 * 8);
    expect(stats.bytesShipped).toBeGreaterThan(6 * 442 * 11 * 8);
    expect(stats.bytesShipped).toBeLessThanOrEqual(6 * stats.groupBytes); // groups differ only in their params metadata
    expect(stats.results.numRows).toBe(6);
    expect(stats.results.schema.fields.map((f) => f.name)).toEqual(['config', 'fold', 'fitMs', 'predictMs', 'r2', 'corr2', 'mae', 'rmse', 'diagnostics']);
  });

  it('gives the thread-pool numbers for linear on diabetes', async () => {
    const configs = [
      { regParam: 0, elasticNetParam: 0 },
      { regParam: 0.1, elasticNetParam: 0.5 },
    ];
    const plan = makePlan(diabetes, configs, { model: 'linear', evaluation: { kind: 'kfold', folds: 3 } });
    const { outcomes } = await runUdf(plan);
    const ctx = { data: diabetes, folds: plan.folds, seed: plan.seed, partitions: plan.partitions, cache: new Map() };
    const reference = plan.tasks.map((t) => evaluateTask(ctx, getModel('linear'), plan.configs[t.config], t.config, t.fold));
    expectParity(outcomes, reference);
  });

  it('materialises groups lazily: never more than 2 × workers alive on a 40-config grid', async () => {
    const configs = Array.from({ length: 40 }, (_, k) => ({ k }));
    const plan = makePlan(lineData(200), configs, { workers: 2 });
    const events: GroupEvent[] = [];
    const { outcomes, stats } = await runUdf(plan, { module: fixture('mean.mjs'), onGroup: (e) => events.push(e) });
    expect(outcomes.filter((o) => o.status === 'ok')).toHaveLength(80);
    const alive = events.map((e) => e.alive);
    expect(Math.max(...alive)).toBe(4); // the window fills at once, and never more
    expect(stats.peakGroupsAlive).toBe(4);
    expect(events.filter((e) => e.kind === 'create')).toHaveLength(80);
    expect(events.filter((e) => e.kind === 'release')).toHaveLength(80);
    expect(events.at(-1)!.alive).toBe(0);
    // The group a UDF sees: all rows, its fold's training rows flagged, its params in ctx.
    const row = outcomes.find((o) => o.config === 7 && o.fold === 1)!;
    expect(row.metrics).toMatchObject({ rows: 200, trainRows: 100, k: 7 });
  });
});
