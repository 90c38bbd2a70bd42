/**
 * Gradient boosting on a worker (protocol.ts BoostJob): the worker's rows of each fit in progress are a
 * LocalBoostRows over its own bin codes, kept between the fit's calls and answering them exactly as one thread
 * holding every row would (the keyed draws use global rows; the histograms are exact integer sums).
 */
import { TRAIN } from '../../../data/folds.js';
import type { BinnedData } from '../../../tree/binning.js';
import { isValidationRow, startingScores, type BoostRule, type RoutedTree } from '../../../tree/boost.js';
import { LocalBoostRows } from '../../../tree/boost-rows.js';
import { histogramLength } from '../../../tree/histogram.js';
import { emptySplit } from '../../../tree/splitter.js';
import { SET_WORDS } from '../../../tree/tree.js';
import type { BoostAnswer, BoostFitCall, BoostJob, BoostLeaves, BoostStart } from '../protocol.js';
import { foldRoles, type PartitionStore } from './store.js';

/** Answer a boost job's calls in order. */
export function handleBoostJob(store: PartitionStore, m: BoostJob): BoostAnswer[] {
  return m.calls.map((c) => answerCall(store, c));
}

function answerCall(store: PartitionStore, m: BoostFitCall): BoostAnswer {
  const binned = store.bins.get(m.maxBins);
  if (!binned) throw new Error(`boost fit ${m.fit}: no bins for maxBins ${m.maxBins} here`);
  const c = m.call;
  let fit = store.boosts.get(m.fit);
  if (c.call === 'gradients' && c.start) {
    if (fit) throw new Error(`boost fit ${m.fit} is already started here`);
    const length = histogramLength(binned);
    if (c.start.slot && c.start.slot.length !== length) throw new Error(`boost fit ${m.fit}: a histogram slot of ${c.start.slot.length} entries, expected ${length}`);
    fit = { rows: startRows(store, binned, c.start), slot: c.start.slot };
    store.boosts.set(m.fit, fit);
  }
  if (!fit) throw new Error(`boost fit ${m.fit} is unknown here (its first call carries its start)`);
  const { rows, slot } = fit;
  const histogram = (): Float64Array => slot ?? new Float64Array(histogramLength(binned));
  const answer = (hist: Float64Array): BoostAnswer => (slot ? { inSlot: true } : { hist });
  switch (c.call) {
    case 'gradients':
      if (c.leaves) applyLeaves(rows, c.leaves);
      return { max: rows.gradients(c.t, c.iteration, c.cls) };
    case 'root': {
      const hist = histogram();
      rows.root(c.gScale, c.hScale, hist);
      return answer(hist);
    }
    case 'split': {
      const split = emptySplit(1);
      split.feature = c.feature;
      split.bin = c.bin;
      split.isSet = c.set !== undefined;
      if (c.set) {
        if (c.set.length !== SET_WORDS) throw new Error(`boost fit ${m.fit}: a split's set has ${c.set.length} words, not ${SET_WORDS}`);
        split.set.set(c.set);
      }
      const hist = c.hist ? histogram() : null;
      rows.split(c.node, c.left, c.right, split, c.scanLeft, hist);
      return hist ? answer(hist) : {};
    }
  }
}

/** The held training rows of the fit's fold (less early stopping's held-out ones), at the baseline's scores. */
function startRows(store: PartitionStore, binned: BinnedData, s: BoostStart): LocalBoostRows {
  if (!store.y) throw new Error('boost job: this store holds no labels (init without boost)');
  const roles = foldRoles(store, s.fold);
  const train: number[] = [];
  for (let k = 0; k < roles.length; k++) {
    if (roles[k] !== TRAIN) continue;
    if (s.validationFraction !== undefined && isValidationRow(store.seed, store.rowStart + k, s.validationFraction)) continue;
    train.push(k);
  }
  const rule: Pick<BoostRule, 'loss' | 'classes' | 'subsample'> = { loss: s.loss, subsample: s.subsample, ...(s.classes !== undefined ? { classes: s.classes } : {}) };
  return new LocalBoostRows(binned, store.y, Uint32Array.from(train), store.rowStart, store.seed, rule, startingScores(s.baseline, train.length));
}

function applyLeaves(rows: LocalBoostRows, leaves: BoostLeaves): void {
  // Without a subsample no row is routed, so the tree is not sent.
  rows.leaves(leaves.leafValues, leaves.tree ?? NO_TREE, leaves.cls);
}

const NO_TREE: RoutedTree = { feature: new Int32Array(0), binThreshold: new Uint8Array(0), left: new Int32Array(0), right: new Int32Array(0), value: new Float64Array(0), set: new Int32Array(0), sets: new Int32Array(0) };
