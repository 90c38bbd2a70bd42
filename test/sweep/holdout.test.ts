/**
 * --holdout: rows kept out of the search (stratified on a classification), the best config refitted on the rest
 * and scored on them; the same numbers whatever the strategy; the held-out rows never reach the folds.
 */
import { describe, expect, it } from 'vitest';
import { executeSweep, prepareSweepInput } from '../../dist/api/run.js';
import { allRows } from '../../dist/data/folds.js';
import { getModel } from '../../dist/models/registry.js';
import { predictionsFor, scoreRows } from '../../dist/strategies/evaluate.js';

describe('--holdout', () => {
  it('cross-validates on the rest and scores the refitted best config on the held-out rows, in every strategy', async () => {
    const prep = await prepareSweepInput({ data: 'breast-cancer', grid: { numTrees: [5, 10] }, holdout: 0.2, evaluation: { kind: 'kfold', folds: 3 } });
    const held = prep.holdout!.data;
    expect(held.rows + prep.data.rows).toBe(569);
    expect(held.rows).toBe(114);
    // Stratified: each class's share of the held-out rows is within one row of its share of all rows (212 malignant of 569).
    const malignant = Array.from(held.y).filter((c) => c === 1).length;
    expect(Math.abs(malignant - (212 * 114) / 569)).toBeLessThanOrEqual(1);
    const results = await Promise.all((['thread-pool', 'native', 'udf'] as const).map((strategy) => executeSweep(prep, { strategy, workers: 2 })));
    const r = results[0];
    expect(r.holdout).toMatchObject({ fraction: 0.2, rows: 114, trainRows: 455 });
    for (const other of results.slice(1)) expect(other.holdout).toEqual(r.holdout);
    // The same score as refitting the best config by hand on the searched rows.
    const fitted = getModel('rf').fit({ data: prep.data, train: allRows(prep.data.rows), seed: prep.seed, partitions: prep.partitions, cache: new Map() }, r.best!.params);
    const rows = allRows(held.rows);
    expect(r.holdout!.metrics).toEqual(scoreRows(held, rows, predictionsFor(fitted, held, rows)));
  }, 60_000);

  it('draws other rows with another seed, and refuses a fraction outside (0, 1)', async () => {
    const a = await prepareSweepInput({ model: 'linear', holdout: 0.3, seed: 1 });
    const b = await prepareSweepInput({ model: 'linear', holdout: 0.3, seed: 2 });
    expect(Array.from(a.holdout!.data.y)).not.toEqual(Array.from(b.holdout!.data.y));
    const result = await executeSweep(a, { workers: 1 });
    expect(Object.keys(result.holdout!.metrics)).toEqual(['r2', 'corr2', 'mae', 'rmse']);
    await expect(prepareSweepInput({ holdout: 1 })).rejects.toThrow(/--holdout must be a fraction between 0 and 1/);
  });
});
