import { describe, expect, it } from 'vitest';
import { binDataset } from '../../dist/tree/binning.js';
import { bootstrapCounts } from '../../dist/tree/bootstrap.js';
import { GrowWorkspace, growTree, type GrowInput } from '../../dist/tree/grower.js';
import { buildHistogram, gatherSamples, histogramLength } from '../../dist/tree/histogram.js';
import { quantizeLabels } from '../../dist/tree/labels.js';
import {
  applyLevelSplits, buildLevelHistograms, finishLevel, initRowNodes, levelTrees, mergeHistograms, planLevel, routeRows, startLevelGrowth,
} from '../../dist/tree/levelwise.js';
import { partitionBounds } from '../../dist/data/partitions.js';
import { fitTreesLevelWise } from './levelwise-reference.js';
import { randomTable, seq } from './fixture.js';

function input(rows: number, rule: Partial<GrowInput['rule']>, maxBins = 255, seed = 9): GrowInput {
  const d = randomTable(rows, 5, 21);
  // Train on 4 rows in 5, so partitions also hold rows outside the fold.
  return {
    binned: binDataset(d, maxBins),
    labels: quantizeLabels(d.y),
    train: seq(rows).filter((i) => i % 5 !== 2),
    seed,
    rule: { maxDepth: Infinity, maxFeatures: 5, minSamplesLeaf: 1, bootstrap: true, ...rule },
  };
}

describe('level-wise growing (the native strategy building blocks)', () => {
  const cases: [string, GrowInput][] = [
    ['defaults', input(1500, {})],
    ['maxDepth 4, sqrt features, 32 bins', input(1500, { maxDepth: 4, maxFeatures: 2 }, 32)],
    ['minSamplesLeaf 3, no bootstrap', input(1500, { minSamplesLeaf: 3, bootstrap: false, maxFeatures: 3 })],
  ];
  for (const [name, inp] of cases) {
    it(`grows exactly the depth-first trees for any number of partitions (${name})`, () => {
      const trees = [0, 1, 2];
      const ws = new GrowWorkspace(inp);
      const depthFirst = trees.map((t) => growTree(inp, t, ws));
      for (const P of [1, 3, 16]) expect(fitTreesLevelWise(inp, trees, P)).toEqual(depthFirst);
    });
  }

  it('builds the root histogram of a partition set equal to a direct scan', () => {
    const inp = input(600, {});
    const counts = bootstrapCounts(inp.seed, 0, inp.train, 0, 600, true);
    const request = { slots: 1, slotOfNode: [new Int32Array([0])] };
    const merged = new Float64Array(histogramLength(inp.binned));
    const b = partitionBounds(600, 4);
    for (let p = 0; p < 4; p++) {
      const c = counts.slice(b[p], b[p + 1]);
      mergeHistograms(merged, buildLevelHistograms(inp.binned, inp.labels.yq, b[p], b[p + 1], [initRowNodes(c)], [c], request));
    }
    const idx = Uint32Array.from(seq(600).filter((i) => counts[i] > 0));
    const gw = new Float64Array(idx.length);
    const gs = new Float64Array(idx.length);
    gatherSamples(idx, 0, idx.length, counts, inp.labels.yq, gw, gs);
    const direct = new Float64Array(merged.length);
    buildHistogram(direct, inp.binned, idx, 0, idx.length, gw, gs);
    expect(Array.from(merged)).toEqual(Array.from(direct));
  });

  it('routes rows statelessly (from the partial tree) to the same nodes as level-by-level updates', () => {
    const inp = input(800, { maxDepth: 6 });
    const counts = bootstrapCounts(inp.seed, 4, inp.train, 0, 800, true);
    const nodeOf = [initRowNodes(counts)];
    const state = startLevelGrowth(inp, [4]);
    for (let level = 0; level < 3; level++) {
      const req = planLevel(state)!;
      finishLevel(state, buildLevelHistograms(inp.binned, inp.labels.yq, 0, 800, nodeOf, [counts], req));
      applyLevelSplits(inp.binned, 0, 800, nodeOf, state.routing);
      expect(Array.from(routeRows(inp.binned, 0, counts, state.routing[0]))).toEqual(Array.from(nodeOf[0]));
    }
    expect(levelTrees(state)[0].nodes).toBeGreaterThan(7);
  });
});
