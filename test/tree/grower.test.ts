import { describe, expect, it } from 'vitest';
import { binDataset } from '../../dist/tree/binning.js';
import { GrowWorkspace, growTree, sampleLimit, type GrowInput } from '../../dist/tree/grower.js';
import { quantizeLabels } from '../../dist/tree/labels.js';
import { toPreorder } from '../../dist/tree/tree.js';
import { predictForest } from '../../dist/tree/predict.js';
import { randomTable, seq, table } from './fixture.js';
import type { Dataset } from '../../dist/data/dataset.js';

function input(d: Dataset, rule: Partial<GrowInput['rule']> = {}, maxBins = 255): GrowInput {
  return {
    binned: binDataset(d, maxBins),
    labels: quantizeLabels(d.y),
    train: seq(d.rows),
    seed: 1,
    rule: { maxDepth: Infinity, maxFeatures: d.featureNames.length, minSamplesLeaf: 1, bootstrap: false, ...rule },
  };
}

describe('growTree', () => {
  it('grows a depth-1 tree: one split and two mean leaves, as plain arrays', () => {
    const d = table([[1, 2, 3, 4]], [1, 2, 10, 12]);
    const t = growTree(input(d, { maxDepth: 1 }), 0);
    expect(t.nodes).toBe(3);
    expect(Array.from(t.feature)).toEqual([0, -1, -1]);
    expect(Array.from(t.threshold)).toEqual([2.5, NaN, NaN]);
    expect(Array.from(t.binThreshold)).toEqual([1, 0, 0]);
    expect(Array.from(t.left)).toEqual([1, -1, -1]);
    expect(Array.from(t.right)).toEqual([2, -1, -1]);
    expect(Array.from(t.value)).toEqual([6.25, 1.5, 11]);
    expect(Array.from(t.weight)).toEqual([4, 2, 2]);
    expect(Array.from(t.gain)).toEqual([90.25, 0, 0]);
  });

  it('grows until leaves are pure when depth is unlimited, numbering nodes in pre-order', () => {
    const d = table([[1, 2, 3, 4]], [1, 2, 10, 12]);
    const t = growTree(input(d), 0);
    expect(Array.from(t.left)).toEqual([1, 2, -1, -1, 5, -1, -1]);
    expect(Array.from(t.right)).toEqual([4, 3, -1, -1, 6, -1, -1]);
    expect(Array.from(t.value)).toEqual([6.25, 1.5, 1, 2, 11, 10, 12]);
    expect(toPreorder(t)).toEqual(t);
    // Pure leaves reproduce the training targets.
    expect(Array.from(predictForest([t], d.x, d.rows, seq(4)))).toEqual([1, 2, 10, 12]);
  });

  it('leaves a node with fewer than 2·minSamplesLeaf rows unsplit', () => {
    const d = table([[1, 2, 3]], [0, 5, 10]);
    expect(growTree(input(d, { minSamplesLeaf: 2 }), 0).nodes).toBe(1);
  });

  it('makes the same tree whichever nodes use the sample path (only speed depends on it)', () => {
    const d = randomTable(3000, 4, 11);
    const inp = input(d, { bootstrap: true, maxFeatures: 2 }, 64);
    expect(sampleLimit(inp.binned)).toBeLessThan(3000);
    const a = growTree(inp, 3);
    const dense = growTree(inp, 3, new GrowWorkspace(inp, 0));
    expect(dense).toEqual(a);
    expect(a.nodes).toBeGreaterThan(100);
    // Under half the features per node: every node, the root included, searches from its samples by default.
    const few = input(randomTable(3000, 7, 12), { bootstrap: true, maxFeatures: 3 }, 64);
    expect(growTree(few, 2)).toEqual(growTree(few, 2, new GrowWorkspace(few, 0)));
  });

  it('makes the same tree when every node, the root included, searches sorted sample lists', () => {
    const d = randomTable(1200, 5, 4);
    for (const rule of [{ bootstrap: true }, { bootstrap: true, maxFeatures: 2, minSamplesLeaf: 3 }, { maxDepth: 5 }]) {
      for (const bins of [8, 255]) {
        const inp = input(d, rule, bins);
        const dense = growTree(inp, 1, new GrowWorkspace(inp, 0));
        expect(growTree(inp, 1, new GrowWorkspace(inp, 1e9))).toEqual(dense);
        expect(growTree(inp, 1, new GrowWorkspace(inp, 40))).toEqual(dense);
      }
    }
  });

  it('reuses one workspace across trees without carrying anything over', () => {
    const d = randomTable(800, 3, 5);
    const inp = input(d, { bootstrap: true });
    const ws = new GrowWorkspace(inp);
    const shared = [0, 1, 2].map((t) => growTree(inp, t, ws));
    expect(shared).toEqual([0, 1, 2].map((t) => growTree(inp, t)));
  });
});
