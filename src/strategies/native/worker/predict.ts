/**
 * Predict jobs: the forest's predictions of the held test rows, on bin codes.
 */
import { predictForestBinned } from '../../../tree/predict.js';
import type { PredictJob } from '../protocol.js';
import { testRowsOf, type PartitionStore } from './store.js';

/** Predictions of the held test rows of job.fold (ascending rows) by the job's forest, on bin codes. */
export function handlePredictJob(store: PartitionStore, job: PredictJob): Float64Array {
  const binned = store.bins.get(job.maxBins);
  if (!binned) throw new Error(`no binned data for maxBins ${job.maxBins} here`);
  const rows = testRowsOf(store, job.fold);
  const trees = [];
  const total = job.feature.length;
  const W = total > 0 ? job.value.length / total : 1; // values per node (tree.ts)
  let at = 0;
  for (const size of job.nodes) {
    const pick = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => a.subarray(at, at + size) as T;
    // Set indices count over the whole pack (protocol.ts PackedTrees): every tree reads the one sets array.
    trees.push({ feature: pick(job.feature), binThreshold: pick(job.binThreshold), left: pick(job.left), right: pick(job.right), value: job.value.subarray(at * W, (at + size) * W), set: pick(job.set), sets: job.sets });
    at += size;
  }
  return predictForestBinned(trees, binned.codes, binned.rows, rows);
}
