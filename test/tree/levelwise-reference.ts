/**
 * Single-process reference of the native strategy, for the tests: grow the given trees level-wise over P
 * contiguous row partitions, merging partition histograms in partition order, with the same steps the native
 * workers and driver run (src/tree/levelwise.ts).
 */
import { partitionBounds } from '../../dist/data/partitions.js';
import { bootstrapCounts } from '../../dist/tree/bootstrap.js';
import type { GrowInput } from '../../dist/tree/grower.js';
import { histogramLength } from '../../dist/tree/histogram.js';
import { applyLevelSplits, buildLevelHistograms, finishLevel, initRowNodes, levelTrees, mergeHistograms, planLevel, startLevelGrowth } from '../../dist/tree/levelwise.js';
import type { TreeArrays } from '../../dist/tree/tree.js';

export function fitTreesLevelWise(input: GrowInput, treeIndices: readonly number[], partitions: number): TreeArrays[] {
  const { binned, labels, train, rule } = input;
  const bounds = partitionBounds(binned.rows, partitions);
  const parts = Array.from({ length: partitions }, (_, p) => {
    const counts = treeIndices.map((t) => bootstrapCounts(input.seed, t, train, bounds[p], bounds[p + 1], rule.bootstrap));
    return { start: bounds[p], end: bounds[p + 1], counts, nodeOf: counts.map(initRowNodes) };
  });
  const state = startLevelGrowth(input, treeIndices);
  for (let request = planLevel(state); request !== null; request = planLevel(state)) {
    const merged = new Float64Array(request.slots * histogramLength(binned, labels.width));
    for (const part of parts) {
      mergeHistograms(merged, buildLevelHistograms(binned, labels.yq, part.start, part.end, part.nodeOf, part.counts, request, labels.width));
    }
    finishLevel(state, merged);
    for (const part of parts) applyLevelSplits(binned, part.start, part.end, part.nodeOf, state.routing);
  }
  return levelTrees(state);
}
