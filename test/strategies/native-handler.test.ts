import { describe, expect, it } from 'vitest';
import { makeFolds, trainRows } from '../../dist/data/folds.js';
import { binDataset } from '../../dist/tree/binning.js';
import { bootstrapCounts } from '../../dist/tree/bootstrap.js';
import { histogramLength } from '../../dist/tree/histogram.js';
import { quantizeLabels } from '../../dist/tree/labels.js';
import { buildLevelHistograms, initRowNodes, planLevel, startLevelGrowth } from '../../dist/tree/levelwise.js';
import { assignPartitions, initPayload } from '../../dist/strategies/native/assign.js';
import { createStore, handleLevelJob, localRanges, treeCounts } from '../../dist/strategies/native/worker/handler.js';
import { addNodeHistograms } from '../../dist/strategies/native/worker/kernel.js';
import { finishForestLevel, partialTree, passJob, packPasses, type GrowingForest } from '../../dist/strategies/native/driver/levels.js';
import { categoricalTable, randomTable } from '../tree/fixture.js';

const rows = 900;
const data = randomTable(rows, 4, 5);
const binned = binDataset(data, 64);
const labels = quantizeLabels(data.y);
const folds = makeFolds(rows, { kind: 'kfold', folds: 3 }, 7);
/** The table's data and bins (the default: numbers only), or another's: categories and missing values. */
const numeric = { data, binned, labels };
const messyData = categoricalTable(rows, 5);
const messy = { data: messyData, binned: binDataset(messyData, 64), labels: quantizeLabels(messyData.y) };
type Fixture = typeof numeric;
const rule = { maxDepth: 5, maxFeatures: 3, minSamplesLeaf: 1, bootstrap: true };

function store(workers: number, w: number, fx: Fixture = numeric) {
  const blocks = assignPartitions(rows, 6, workers);
  const { message } = initPayload({ data: fx.data, roles: folds.roles, seed: 11, partitions: 6, bins: [{ maxBins: 64, binned: fx.binned }], yq: fx.labels.yq }, blocks[w]);
  return { store: createStore(message), block: blocks[w] };
}

function forest(fold: number, trees: number[], fx: Fixture = numeric): GrowingForest {
  const input = { binned: fx.binned, labels: fx.labels, train: trainRows(folds, fold), seed: 11, rule };
  return {
    config: 0, fold, maxBins: 64, bootstrap: true, state: startLevelGrowth(input, trees), ids: trees.map((t) => 100 * fold + t),
    histLength: histogramLength(binned), level: 0, splits: trees.map(() => new Int32Array(0)), splitSets: trees.map(() => new Int32Array(0)), scanFrom: new Int32Array(trees.length),
    prevNodes: new Int32Array(trees.length), merged: null, waiting: 0, localRows: 0, local: trees.map(() => []), subtrees: trees.map(() => new Map()),
  };
}

describe('native worker handlers', () => {
  it('assigns contiguous blocks of partitions and slices only their rows', () => {
    expect(assignPartitions(100, 6, 4).map((b) => [b.partitions, b.rowStart, b.rowEnd])).toEqual([
      [[0], 0, 16], [[1, 2], 16, 50], [[3], 50, 66], [[4, 5], 66, 100],
    ]);
    expect(() => assignPartitions(100, 6, 7)).toThrow(/from 1 to the number of partitions \(6\), got 7/);
    const { store: s } = store(2, 1);
    expect([s.rowStart, s.rowEnd, s.bins.get(64)!.codes.length, s.yq!.length]).toEqual([450, 900, 450 * 4, 450]);
    expect(Array.from(s.bins.get(64)!.codes.subarray(450, 900))).toEqual(Array.from(binned.codes.subarray(900 + 450, 1800)));
    expect(localRanges(s, [5, 3])).toEqual([[0, 150], [300, 450]]);
    expect(() => localRanges(s, [0])).toThrow(/partition 0 is not held here \(held: 3, 4, 5\)/);
  });

  it('derives the bootstrap counts of its rows from (seed, tree, global row) and the fold mask', () => {
    const { store: s } = store(2, 1);
    expect(Array.from(treeCounts(s, 2, 4, true))).toEqual(Array.from(bootstrapCounts(11, 4, trainRows(folds, 2), 450, 900, true)));
    expect(Array.from(treeCounts(s, 0, 4, false))).toEqual(Array.from(bootstrapCounts(11, 4, trainRows(folds, 0), 450, 900, false)));
  });

  it('builds the same histograms as buildLevelHistograms, in node order', () => {
    const counts = [0, 1].map((t) => bootstrapCounts(11, t, trainRows(folds, 1), 0, rows, true));
    // A made-up frontier: rows spread over 4 nodes of tree 0 and 2 of tree 1, some nodes not scanned.
    const nodeOf = counts.map((c, g) => initRowNodes(c).map((n, k) => (n < 0 ? n : (k * 7 + g) % (g === 0 ? 5 : 3))));
    const request = { slots: 5, slotOfNode: [Int32Array.from([0, -1, 1, 2, 3]), Int32Array.from([-1, 4, -1])] };
    const expected = buildLevelHistograms(binned, labels.yq, 0, rows, nodeOf, counts, request);
    const out = new Float64Array(expected.length);
    addNodeHistograms(binned, labels.yq, [[0, 300], [300, rows]], nodeOf, counts, request, out);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  for (const [name, fx] of [['numbers', numeric], ['categories and missing values', messy]] as const) {
    it(`answers a stateless job (partial trees) exactly as the cached one, level after level, summed over workers (${name})`, () => {
      const cached = [store(2, 0, fx), store(2, 1, fx)];
      const stateless = [store(1, 0, fx)];
      const f = forest(1, [0, 1, 2], fx);
      for (let level = 0; level < 4; level++) {
        const active = planLevel(f.state) !== null;
        if (!active) break;
        const [pass] = packPasses([f], 1e9);
        const job = passJob(pass, level, false);
        const parts = cached.map(({ store: s, block }) => handleLevelJob(s, { ...job, partitions: block.partitions }));
        const sum = parts[0].map((v, i) => v + parts[1][i]);
        const whole = handleLevelJob(stateless[0].store, { ...passJob(pass, level, true), partitions: stateless[0].block.partitions });
        expect(Array.from(sum)).toEqual(Array.from(whole));
        expect(stateless[0].store.trees.size).toBe(0);
        f.merged = sum;
        finishForestLevel(f);
      }
      expect(f.level).toBe(4);
      expect(partialTree(f.state.routing[0], 3).left.length).toBe(3);
      // The messy table's trees split on sets (categories, missing values sent left): the cached jobs carried them.
      if (fx === messy) expect(f.state.trees.every((t) => t.builder.setCount > 0)).toBe(true);
      // A cached tree refuses a job for a level it has not been routed to.
      const skip = { type: 'level' as const, job: 99, maxBins: 64, partitions: [0], slots: 1, trees: [{ id: 100, fold: 1, t: 0, bootstrap: true, level: 6, slotOfNode: Int32Array.from([0]) }] };
      expect(() => handleLevelJob(cached[0].store, skip)).toThrow(/tree 100 is at level 3, the job asks for level 6/);
    });
  }

  it('splits a large frontier over passes under the byte bound without changing the histograms', () => {
    const f = forest(0, [0, 1]);
    planLevel(f.state);
    const slotBytes = 8 * histogramLength(binned);
    const passes = packPasses([f, forest(2, [3])].filter((g) => g === f || planLevel(g.state)), slotBytes);
    expect(passes.map((p) => p.slots)).toEqual([1, 1, 1]);
    expect(passes.map((p) => p.segments.map((s) => [s.forest.fold, s.a, s.b, s.offset]))).toEqual([[[0, 0, 1, 0]], [[0, 1, 2, 0]], [[2, 0, 1, 0]]]);
  });
});
