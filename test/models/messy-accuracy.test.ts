/**
 * Accuracy on data with text columns and missing cells (examples/autos.csv) against scikit-learn 1.2 pipelines on
 * exactly our folds (test/reference/export-autos-folds.mjs, seeds 0..4; messy.py printed the numbers below):
 *   linear  SimpleImputer(mean) + OneHotEncoder + LinearRegression: least squares on the same design, so the CV r2
 *           must agree to rounding (our design drops the last category instead of the first: the same fit)
 *   forest  SimpleImputer(mean) + OrdinalEncoder + RandomForestRegressor(100): ours keeps the missing values in a
 *           bin of their own instead (each split learns their direction) and splits the text columns on sets of
 *           categories; the mean CV r2 over the seeds must be within the fold noise of theirs (measured: 0.9455
 *           against their 0.9448, noise 0.0074; ordinal codes with missing values always right gave 0.9438).
 */
import { describe, expect, it } from 'vitest';
import { executeSweep, prepareSweepInput } from '../../dist/api/run.js';

const SKLEARN = {
  linear: [0.9715072975838683, 0.9716620542027936, 0.9713874143377191, 0.970967260042603, 0.9711845500559055],
  forest: [0.9453320361136885, 0.9472313055888064, 0.9427450274424668, 0.9447458495287886, 0.9439892611564582],
};
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

async function cvR2(model: 'linear' | 'rf', seed: number): Promise<{ r2: number; std: number }> {
  const grid = model === 'rf' ? { numTrees: [100] } : {};
  const prep = await prepareSweepInput({ data: 'examples/autos.csv', target: 'mpg', model, grid, seed, evaluation: { kind: 'kfold', folds: 5 } });
  const r = await executeSweep(prep, { strategy: 'thread-pool', workers: 2 });
  const t = r.trials[0];
  return { r2: t.metrics!.r2, std: t.metricsStd!.r2 };
}

describe('accuracy on text columns and missing cells, against scikit-learn pipelines', () => {
  it('linear regression: the CV r2 of each seed equals the OneHotEncoder + SimpleImputer pipeline\'s', async () => {
    for (let seed = 0; seed < 5; seed++) expect((await cvR2('linear', seed)).r2).toBeCloseTo(SKLEARN.linear[seed], 9);
  });

  it('random forest: the mean CV r2 over seeds is within the fold noise of the OrdinalEncoder + SimpleImputer pipeline\'s', async () => {
    const ours = await Promise.all([0, 1, 2, 3, 4].map((s) => cvR2('rf', s)));
    const noise = mean(ours.map((o) => o.std));
    expect(Math.abs(mean(ours.map((o) => o.r2)) - mean(SKLEARN.forest))).toBeLessThan(noise);
  }, 60_000);
});
