/**
 * A pool thread: rebuilds the Dataset view over the shared buffer once, then evaluates tasks. A model error is
 * returned as a failed outcome (data, not a crash); a thread that dies is replaced by piscina and only its
 * task fails.
 */
import { Piscina } from 'piscina';
import { fromBuffer, type SharedDatasetHandle } from '../data/dataset.js';
import type { Evaluation } from '../data/folds.js';
import { toErrorRecord } from '../errors.js';
import type { ModelKind } from '../models/model.js';
import type { Params } from '../models/params.js';
import { getModel } from '../models/registry.js';
import { evaluateTask, type EvaluationContext } from '../sweep/evaluate.js';
import type { TaskOutcome } from '../sweep/tasks.js';

export interface PoolWorkerData {
  data: SharedDatasetHandle;
  foldOf: Uint8Array;
  evaluation: Evaluation;
  foldCount: number;
  seed: number;
  partitions: number;
  model: ModelKind;
}

export interface PoolTask {
  config: number;
  fold: number;
  params: Params;
}

const init = Piscina.workerData as PoolWorkerData;
const ctx: EvaluationContext = {
  data: fromBuffer(init.data),
  folds: { evaluation: init.evaluation, count: init.foldCount, foldOf: init.foldOf },
  seed: init.seed,
  partitions: init.partitions,
  cache: new Map(),
};
const model = getModel(init.model);

export default function runPoolTask(task: PoolTask): TaskOutcome {
  try {
    return evaluateTask(ctx, model, task.params, task.config, task.fold);
  } catch (err) {
    return { config: task.config, fold: task.fold, status: 'failed', error: toErrorRecord(err), fitMs: 0, predictMs: 0 };
  }
}
