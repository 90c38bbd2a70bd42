// Prediction from bin codes (native workers score their own test rows) against prediction from raw values.
import { describe, expect, it } from 'vitest';
import { binDataset } from '../../dist/tree/binning.js';
import { growTree } from '../../dist/tree/grower.js';
import { quantizeLabels } from '../../dist/tree/labels.js';
import { predictForest, predictForestBinned } from '../../dist/tree/predict.js';
import { randomTable, seq } from './fixture.js';

describe('predictForestBinned', () => {
  it('gives the same bits as predictForest on raw values, NaN rows included', () => {
    const data = randomTable(900, 4, 21);
    for (let i = 0; i < 900; i += 37) data.x[2 * 900 + i] = NaN; // NaN goes its split's way both ways
    const binned = binDataset(data, 40);
    const labels = quantizeLabels(data.y);
    const rule = { maxDepth: 7, maxFeatures: 3, minSamplesLeaf: 2, bootstrap: true };
    const train = Uint32Array.from({ length: 600 }, (_, i) => i);
    const trees = [0, 1, 2, 3, 4].map((t) => growTree({ binned, labels, train, seed: 3, rule }, t));
    const rows = seq(900).subarray(500);
    const raw = predictForest(trees, data.x, 900, rows, binned.thresholds);
    expect(trees.some((t) => t.sets.length > 0)).toBe(true); // learned missing directions
    const fromCodes = predictForestBinned(trees, binned.codes, 900, rows);
    expect(Array.from(fromCodes)).toEqual(Array.from(raw));
    expect(new Set(raw).size).toBeGreaterThan(50);
  });
});
