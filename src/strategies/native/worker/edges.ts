/**
 * Edges jobs: bin thresholds of some features from the shared table (the features shared out among workers).
 */
import { fromBuffer } from '../../../data/dataset.js';
import { featureThresholds } from '../../../tree/binning.js';
import type { EdgesJob } from '../protocol.js';

/** Thresholds of the job's features (per feature, per maxBins), read from the shared table: needs no store. */
export function handleEdgesJob(job: EdgesJob): Float64Array[][] {
  const data = fromBuffer(job.table);
  return job.features.map((j) => featureThresholds(data, j, job.maxBins, job.sample));
}
