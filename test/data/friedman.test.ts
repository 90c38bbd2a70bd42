import { describe, expect, it } from 'vitest';
import { UsageError, DataError } from '../../dist/errors.js';
import { loadData } from '../../dist/data/load.js';
import { allocateDataset } from '../../dist/data/dataset.js';
import { fillFriedman1, friedmanFeatureNames, gaussian, makeFriedman1, parseFriedmanSpec } from '../../dist/data/friedman.js';
import { uniform01 } from '../../dist/util/random.js';

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('parseFriedmanSpec', () => {
  it('fills defaults, the seed from the sweep', () => {
    expect(parseFriedmanSpec('friedman1', 7)).toEqual({ rows: 10_000, noise: 1, features: 10, seed: 7 });
    expect(parseFriedmanSpec('friedman1:rows=50,noise=0.5,features=6,seed=3', 7)).toEqual({ rows: 50, noise: 0.5, features: 6, seed: 3 });
    expect(parseFriedmanSpec('friedman1:seed=0', 7).seed).toBe(0);
  });

  it.each([
    ['friedman1:colour=red', 'unknown key "colour"'],
    ['friedman1:rows=10,rows=20', 'key "rows" given twice'],
    ['friedman1:rows=1', 'rows must be an integer ≥ 2, got "1"'],
    ['friedman1:rows=1.5', 'rows must be an integer'],
    ['friedman1:rows=', 'rows must be an integer ≥ 2, got ""'],
    ['friedman1:features=4', 'features must be an integer from 5'],
    ['friedman1:noise=-1', 'noise must be a number ≥ 0, got "-1"'],
    ['friedman1:noise=abc', 'noise must be a number'],
    ['friedman1:seed=-2', 'seed must be an integer from 0'],
    ['friedman1:rows=100000000,features=10', 'over 2 GiB'],
    ['friedman2', 'unknown synthetic dataset "friedman2"'],
  ])('%s fails naming the key', (spec, fragment) => {
    expect(() => parseFriedmanSpec(spec)).toThrow(UsageError);
    expect(() => parseFriedmanSpec(spec)).toThrow(fragment);
  });
});

describe('friedman1 data', () => {
  it('has the shape asked for, on one SharedArrayBuffer', async () => {
    const { data } = await loadData('friedman1:rows=100,features=7', { seed: 1 });
    expect(data.rows).toBe(100);
    expect(data.featureNames).toEqual(['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']);
    expect(data.targetName).toBe('target');
    expect(data.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(data.x.length).toBe(700);
  });

  it('x[i, j] = uniform01(seed, i, j) and y follows the formula, noise by Box–Muller', () => {
    const spec = { rows: 20, noise: 0.7, features: 6, seed: 99 };
    const d = makeFriedman1(spec, 'f');
    for (const i of [0, 1, 13, 19]) {
      const u = (j: number) => uniform01(99, i, j);
      for (let j = 0; j < 6; j++) expect(d.x[j * 20 + i]).toBe(u(j));
      const z = Math.sqrt(-2 * Math.log(1 - uniform01(99, i, 0, 1))) * Math.cos(2 * Math.PI * uniform01(99, i, 0, 2));
      expect(gaussian(99, i)).toBe(z);
      const y = 10 * Math.sin(Math.PI * u(0) * u(1)) + 20 * (u(2) - 0.5) ** 2 + 10 * u(3) + 5 * u(4) + 0.7 * z;
      expect(d.y[i]).toBeCloseTo(y, 12);
    }
  });

  it('is pinned: these bytes change only if the generator does', () => {
    const d = makeFriedman1({ rows: 1000, noise: 1, features: 10, seed: 42 }, 'f');
    expect(d.x[0]).toBe(0.09807904320769012);
    expect(d.y[0]).toBe(7.995072059325022);
  });

  it('noise=0 gives the noiseless function exactly', () => {
    const d = makeFriedman1({ rows: 5, noise: 0, features: 5, seed: 1 }, 'f');
    const u = (i: number, j: number) => uniform01(1, i, j);
    const f = (i: number) => 10 * Math.sin(Math.PI * u(i, 0) * u(i, 1)) + 20 * (u(i, 2) - 0.5) * (u(i, 2) - 0.5) + 10 * u(i, 3) + 5 * u(i, 4);
    expect(Array.from(d.y)).toEqual([0, 1, 2, 3, 4].map(f));
  });

  it('same seed, same bytes; another seed, other bytes; the spec seed beats the sweep seed', async () => {
    const a = (await loadData('friedman1:rows=500', { seed: 5 })).data;
    const b = (await loadData('friedman1:rows=500', { seed: 5 })).data;
    const c = (await loadData('friedman1:rows=500', { seed: 6 })).data;
    const d = (await loadData('friedman1:rows=500,seed=5', { seed: 6 })).data;
    expect(bytes(a.x).equals(bytes(b.x)) && bytes(a.y).equals(bytes(b.y))).toBe(true);
    expect(bytes(a.x).equals(bytes(c.x))).toBe(false);
    expect(bytes(a.y).equals(bytes(c.y))).toBe(false);
    expect(bytes(a.y).equals(bytes(d.y))).toBe(true);
  });

  it('generating in chunks gives the same bytes as in one go', () => {
    const spec = { rows: 1000, noise: 1, features: 8, seed: 3 };
    const whole = makeFriedman1(spec, 'f');
    const parts = allocateDataset('f', friedmanFeatureNames(8), 'target', 1000);
    const cols = [0, 1, 2, 3, 4, 5, 6, 7];
    for (const [s, e] of [[600, 1000], [0, 250], [250, 600]]) fillFriedman1(parts, spec, cols, s, e);
    expect(bytes(parts.x).equals(bytes(whole.x))).toBe(true);
    expect(bytes(parts.y).equals(bytes(whole.y))).toBe(true);
  });

  it('--features / --ignore store only those columns, with the same target', async () => {
    const all = (await loadData('friedman1:rows=50,features=6', { seed: 2 })).data;
    const some = (await loadData('friedman1:rows=50,features=6', { seed: 2, features: ['x6', 'x2'] })).data;
    expect(some.featureNames).toEqual(['x6', 'x2']);
    expect(Array.from(some.x.subarray(0, 50))).toEqual(Array.from(all.x.subarray(250, 300)));
    expect(bytes(some.y).equals(bytes(all.y))).toBe(true);
    const rest = (await loadData('friedman1:rows=50,features=6', { seed: 2, ignore: ['x1', 'x6'] })).data;
    expect(rest.featureNames).toEqual(['x2', 'x3', 'x4', 'x5']);
  });

  it('bad column names are DataErrors listing the columns', async () => {
    await expect(loadData('friedman1:rows=10', { features: ['x11'] })).rejects.toThrow(DataError);
    await expect(loadData('friedman1:rows=10', { features: ['x11'] })).rejects.toThrow('available columns: x1, x2');
    await expect(loadData('friedman1:rows=10', { target: 'y' })).rejects.toThrow('no target column "y"');
    await expect(loadData('friedman1:rows=10', { features: ['target'] })).rejects.toThrow('"target" is the target column');
  });
});
