// The UDF examples shipped in examples/ do what examples/README.md says, on diabetes.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../dist/data/dataset.js';
import { loadData } from '../../dist/data/load.js';
import type { TaskOutcome } from '../../dist/strategies/tasks.js';
import { makePlan, runUdf } from './udf-fixture.js';

const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;
const meanR2 = (outcomes: TaskOutcome[], config: number) => {
  const mine = outcomes.filter((o) => o.config === config);
  return mine.reduce((s, o) => s + o.metrics!.r2, 0) / mine.length;
};

let diabetes: Dataset;
beforeAll(async () => {
  diabetes = (await loadData('diabetes', {})).data;
});

describe('examples', () => {
  it('knn.mjs: k-NN regression, r2 > 0.3 for k = 9 (5 folds)', async () => {
    const plan = makePlan(diabetes, [{ k: 3 }, { k: 9 }], { evaluation: { kind: 'kfold', folds: 5 } });
    const { outcomes } = await runUdf(plan, { module: example('knn.mjs') });
    expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
    expect(Object.keys(outcomes[0].metrics!)).toEqual(['r2', 'mae', 'rmse']);
    expect(meanR2(outcomes, 1)).toBeGreaterThan(0.3);
    expect(meanR2(outcomes, 1)).toBeGreaterThan(meanR2(outcomes, 0)); // k = 3 overfits the noise
  });

  it('ml-forest.mjs: a third-party model as a UDF, r2 > 0.3', async () => {
    const plan = makePlan(diabetes, [{ nEstimators: 8, maxDepth: 5 }], { evaluation: { kind: 'kfold', folds: 3 } });
    const { outcomes } = await runUdf(plan, { module: example('ml-forest.mjs') });
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok']);
    expect(meanR2(outcomes, 0)).toBeGreaterThan(0.3);
  });

  it('knn.mjs rejects a bad k with its own message and frame', async () => {
    const plan = makePlan(diabetes, [{ k: 0 }]);
    const { outcomes } = await runUdf(plan, { module: example('knn.mjs') });
    expect(outcomes[0].error).toMatchObject({ name: 'RangeError', message: 'k must be a positive integer, got 0' });
    expect(outcomes[0].error!.frame).toMatch(/^examples\/knn\.mjs:\d+:\d+$/);
  });
});
