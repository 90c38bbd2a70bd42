/**
 * Linear jobs: per-partition sufficient statistics of a fold, and the predictions of the held test rows by a
 * fold's models.
 */
import { linearPredictionsMany } from '../../../models/linear/linear.js';
import { linearStats } from '../../../models/linear/stats.js';
import { logisticPartitionSums } from '../../../models/linear/logistic.js';
import type { DesignRef, LinearJob, LinearPredictJob, LogisticJob } from '../protocol.js';
import type { Dataset } from '../../../data/dataset.js';
import { designNames, encodeRows } from '../../../models/linear/design.js';
import { TRAIN } from '../../../data/folds.js';
import { foldRoles, localRanges, testRowsOf, type PartitionStore } from './store.js';

/** The held training rows of fold f in partition p (local indices, ascending). */
function partitionTrainRows(store: PartitionStore, p: number, fold: number): Uint32Array {
  const [[a, b]] = localRanges(store, [p]);
  const roles = foldRoles(store, fold);
  let m = 0;
  for (let k = a; k < b; k++) if (roles[k] === TRAIN) m++;
  const rows = new Uint32Array(m);
  m = 0;
  for (let k = a; k < b; k++) if (roles[k] === TRAIN) rows[m++] = k;
  return rows;
}

/** The held rows as the linear code reads them: raw, or through the job's design (encoded once per design id). */
function localData(store: PartitionStore, ref: DesignRef | undefined): Dataset {
  const local = store.local;
  if (!local) throw new Error('no raw columns here (the workers were started for a forest)');
  if (ref === undefined) return local;
  if (ref.design.levels.length !== local.featureNames.length) throw new Error(`the job's design has ${ref.design.levels.length} features, the data ${local.featureNames.length}`);
  return store.designs.get(ref.id) ?? store.designs.set(ref.id, { ...local, featureNames: designNames(ref.design, local.featureNames), x: encodeRows(ref.design, local.x, local.rows, null) });
}

/** Per-partition sufficient statistics of fold f's training rows, one array per requested partition (in order). */
export function handleLinearJob(store: PartitionStore, job: LinearJob): Float64Array[] {
  const local = localData(store, job.design);
  // Same values in the same order as the whole-model fit's partition p: the same bits.
  return job.partitions.map((p) => linearStats(local, partitionTrainRows(store, p, job.fold), job.shift).data);
}

/** A logistic solver request's sums over fold f's training rows, one array per requested partition (in order). */
export function handleLogisticJob(store: PartitionStore, job: LogisticJob): Float64Array[] {
  const local = localData(store, job.design);
  // The rows and arithmetic of the whole-model fit's partition p (models/logistic.ts trainingPartitions): the same bits.
  return job.partitions.map((p) => logisticPartitionSums(job.request, { x: local.x, stride: local.rows, rows: partitionTrainRows(store, p, job.fold), y: local.y, classes: job.classes }));
}

/** Predictions of the held test rows of job.fold by each of the job's linear models, concatenated model by model. */
export function handleLinearPredictJob(store: PartitionStore, job: LinearPredictJob): Float64Array {
  const local = localData(store, job.design);
  const rows = testRowsOf(store, job.fold);
  const n = job.intercepts.length * rows.length;
  const out = job.buffer && job.buffer.byteLength >= 8 * n ? new Float64Array(job.buffer, 0, n) : new Float64Array(n);
  linearPredictionsMany(job.coefficients, job.intercepts, local.x, local.rows, rows, out);
  return out;
}
