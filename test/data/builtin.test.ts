import { describe, expect, it } from 'vitest';
import { loadData } from '../../dist/data/load.js';
import { builtinPath, isBuiltin } from '../../dist/data/builtin.js';
import type { Dataset } from '../../dist/data/dataset.js';

const NAMES = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

function row(d: Dataset, i: number): number[] {
  return [...d.featureNames.map((_, j) => d.x[j * d.rows + i]), d.y[i]];
}

/** Left-to-right sums, as Python's loop computed them for the literals below. */
function columnSums(d: Dataset): number[] {
  const sums = d.featureNames.map((_, j) => {
    let s = 0;
    for (let i = 0; i < d.rows; i++) s += d.x[j * d.rows + i];
    return s;
  });
  let t = 0;
  for (let i = 0; i < d.rows; i++) t += d.y[i];
  return [...sums, t];
}

describe('built-in datasets (values from scikit-learn 1.2.1, computed with Python)', () => {
  it('"diabetes" is the default: 442 × 10, scaled', async () => {
    const { data } = await loadData();
    expect(data.name).toBe('diabetes');
    expect([data.rows, data.featureNames, data.targetName]).toEqual([442, NAMES, 'target']);
    expect(row(data, 0)).toEqual([
      0.038075906433423026, 0.05068011873981862, 0.061696206518683294, 0.0218723855140367, -0.04422349842444599,
      -0.03482076283769895, -0.04340084565202491, -0.002592261998183278, 0.019907486170462722, -0.01764612515980379, 151,
    ]);
    expect(row(data, 441)).toEqual([
      -0.045472477940023646, -0.044641636506989144, -0.07303030271641665, -0.08141314376144114, 0.08374011738825825,
      0.027808929520208008, 0.17381578478910462, -0.03949338287409329, -0.00422151393810765, 0.0030644094143684884, 57,
    ]);
    expect(columnSums(data)).toEqual([
      -6.38378239159465e-16, 1.124100812432971e-15, -9.971190539914687e-14, -2.145505995088115e-14, -6.314393452555578e-15,
      1.7232743010353602e-14, -2.6645352591003757e-15, -7.903400156550333e-15, 4.085620730620576e-14, 5.974821332133118e-15,
      67243,
    ]);
  });

  it('"diabetes-raw" holds the original measurements', async () => {
    const { data } = await loadData('diabetes-raw');
    expect(data.rows).toBe(442);
    expect(row(data, 0)).toEqual([59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87, 151]);
    expect(row(data, 441)).toEqual([36, 1, 19.6, 71, 250, 133.2, 97, 3, 4.5951, 92, 57]);
    expect(columnSums(data)).toEqual([
      21445, 649, 11658.10000000001, 41833.98, 83600, 51024.09999999999, 22006.5, 1799.0500000000002, 2051.5035999999996, 40337,
      67243,
    ]);
  });

  it('resolves next to the package, and selection works on it', async () => {
    expect(builtinPath('diabetes')).toMatch(/datasets[/\\]diabetes\.csv$/);
    expect(isBuiltin('diabetes') && isBuiltin('diabetes-raw') && !isBuiltin('toString')).toBe(true);
    const { data } = await loadData('diabetes', { features: ['bmi', 's5'] });
    expect(data.featureNames).toEqual(['bmi', 's5']);
    expect(data.x[0]).toBe(0.061696206518683294);
  });
});
