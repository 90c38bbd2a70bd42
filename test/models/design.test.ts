/**
 * The linear models' design on data with categories and missing values: fitted on a fold's training rows only
 * (a category seen only in test rows gets no column, the imputed mean is the training rows'), one-hot with the
 * last seen category dropped, unseen and missing categories all zeros; linear and logistic regression give the
 * same bits under thread-pool, native and udf; a saved model predicts raw text, unseen categories included.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeSweep, prepareSweepInput } from '../../dist/api/run.js';
import { designNames, encodeSubset, fitDesign } from '../../dist/models/linear/design.js';
import type { Dataset } from '../../dist/data/dataset.js';
import { runCli, tempDir } from '../cli/helpers.js';

const metricsOf = (r: { trials: { params: unknown; metrics: unknown; status: string }[] }) => r.trials.map((t) => [t.params, t.status, t.metrics]);

function table(): Dataset {
  // color: red, green, blue (codes 0, 1, 2 into the sorted [blue, green, red]); size with a missing value.
  const color = [2, 1, 0, 2, 1, 0];
  const size = [1, 2, NaN, 4, 5, 100];
  return {
    name: 't', featureNames: ['color', 'size'], targetName: 'y', rows: 6, x: Float64Array.from([...color, ...size]), y: new Float64Array(6),
    featureInfo: [{ kind: 'categorical', categories: ['blue', 'green', 'red'] }, { kind: 'numeric' }],
  };
}

describe('linear design', () => {
  it('is fitted on the training rows only', () => {
    const data = table();
    const train = Uint32Array.from([0, 1, 2, 3]); // blue (code 0) only in row 2, red and green too; size 100 is a test row
    const d = fitDesign(data, train, 'mean');
    expect(d.levels).toEqual([[0, 1], null]); // blue, green; red (the last seen) dropped
    expect(d.fill[1]).toBeCloseTo((1 + 2 + 4) / 3, 12);
    expect(designNames(d, data.featureNames)).toEqual(['color=blue', 'color=green', 'size']);
    const onlyTrainRed = fitDesign(data, Uint32Array.from([0, 3]), 'median');
    expect(onlyTrainRed.levels[0]).toEqual([]); // one category seen: no column
    expect(fitDesign(data, train, 'median').fill[1]).toBe(2);
    expect(fitDesign(data, Uint32Array.from([0, 1, 3, 4]), 'most_frequent').fill[1]).toBe(1);
  });

  it('encodes unseen and missing categories as zeros and reads another table\'s codes by name', () => {
    const data = table();
    const d = fitDesign(data, Uint32Array.from([0, 1, 2, 3]), 'mean');
    const other: Dataset = { ...data, rows: 3, x: Float64Array.from([0, 1, NaN, 7, NaN, 9]), featureInfo: [{ kind: 'categorical', categories: ['green', 'purple'] }, { kind: 'numeric' }] };
    const enc = encodeSubset(d, other, Uint32Array.from([0, 1, 2]));
    // green → its column; purple (never seen) and a missing value → zeros; a missing size → the mean.
    expect(Array.from(enc.x)).toEqual([0, 0, 0, 1, 0, 0, 7, (1 + 2 + 4) / 3, 9]);
  });
});

describe('linear models on categories and missing values under every strategy', () => {
  const dir = tempDir();
  const file = join(dir, 'autos.csv');
  const lines = ['origin,cyl,hp,weight,label,mpg'];
  for (let i = 0; i < 160; i++) {
    const origin = ['USA', 'Japan', 'Europe'][Math.floor(i * 0.37) % 3];
    const cyl = [4, 6, 8][(i * 5) % 3];
    const hp = (i * 13) % 17 === 0 ? '' : String(60 + cyl * 15 + ((i * 31) % 40));
    const w = (i * 11) % 19 === 0 ? 'NA' : String(1800 + cyl * 300 + ((i * 37) % 600));
    const mpg = 50 - cyl * 2 - (1800 + cyl * 300 + ((i * 37) % 600)) / 400 + (origin === 'Japan' ? 4 : 0) + ((i * 17) % 10) / 5;
    lines.push([origin, cyl, hp, w, mpg > 30 ? 'good' : 'poor', mpg.toFixed(2)].join(','));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);

  for (const [model, target, ignore, grid] of [
    ['linear', 'mpg', ['label'], { regParam: [0, 0.1], impute: ['mean', 'median'] }],
    ['logistic', 'label', ['mpg'], { regParam: [0.01], impute: ['mean', 'most_frequent'] }],
  ] as const) {
    it(`${model}: thread-pool, native and udf agree with 1 and 2 workers`, async () => {
      const prep = await prepareSweepInput({ data: file, target, ignore: [...ignore], model, grid: grid as Record<string, unknown>, evaluation: { kind: 'kfold', folds: 3 } });
      expect(prep.configs[0].impute).toBeDefined();
      const reference = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
      expect(reference.tasks.failed).toBe(0);
      for (const strategy of ['thread-pool', 'native', 'udf'] as const) {
        for (const workers of [1, 2]) expect(metricsOf(await executeSweep(prep, { strategy, workers })), `${strategy} × ${workers}`).toEqual(metricsOf(reference));
      }
    }, 120_000);
  }

  it('beats dropping the text column and the rows with missing cells, and predicts raw text with an unseen category', async () => {
    const work = tempDir();
    const kept = await runCli(['run', '--data', file, '--target', 'mpg', '--ignore', 'label', '--model', 'linear', '--format', 'json', '--no-checkpoint', '--workers', '1', '--save-best', 'm.json'], work);
    expect(kept.code, kept.stderr).toBe(0);
    const dropped = await runCli(['run', '--data', file, '--target', 'mpg', '--ignore', 'label,origin', '--missing', 'drop', '--model', 'linear', '--format', 'json', '--no-checkpoint', '--workers', '1'], work);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(JSON.parse(kept.stdout).best.metrics.r2).toBeGreaterThan(JSON.parse(dropped.stdout).best.metrics.r2 + 0.05);
    writeFileSync(join(work, 'new.csv'), 'origin,cyl,hp,weight\nJapan,4,120,2800\nMars,4,,2800\n');
    const p = await runCli(['predict', '--model', 'm.json', '--data', 'new.csv'], work);
    expect(p.code, p.stderr).toBe(0);
    const [, a, b] = p.stdout.trim().split('\n').map(Number);
    expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
    expect(a).not.toBe(b); // Japan's column vs an unseen origin (zeros) and an imputed hp
  });
});
