/**
 * Edges jobs: bin thresholds of some features from the shared table (the features shared out among workers).
 */
import { fromBuffer, type Dataset } from '../../../data/dataset.js';
import { featureBins } from '../../../tree/binning.js';
import type { EdgesJob } from '../protocol.js';

/**
 * Thresholds and bin values of the job's features (per feature, per maxBins), read from the shared table or, when
 * the job carries none, the worker's own copy of the dataset: needs no store.
 */
export function handleEdgesJob(job: EdgesJob, own?: Dataset): { thresholds: Float64Array[][]; values: Float64Array[][] } {
  const data = job.table ? fromBuffer(job.table) : own;
  if (!data) throw new Error('edges job: no table to read');
  const bins = job.features.map((j) => featureBins(data, j, job.maxBins, job.sample));
  return { thresholds: bins.map((f) => f.map((b) => b.thresholds)), values: bins.map((f) => f.map((b) => b.values)) };
}
