/**
 * A pool thread: builds the Dataset view over the shared buffer once per sweep (the first task of a sweep that
 * reaches this thread carries the same handles as every other), then evaluates tasks. A model error is
 * returned as a failed outcome (data, not a crash); a thread that dies is replaced by piscina and only its
 * task fails.
 */
import { fromBuffer, type SharedDatasetHandle } from '../data/dataset.js';
import type { Evaluation } from '../data/folds.js';
import type { ModelKind } from '../models/model.js';
import type { Params } from '../models/params.js';
import { getModel } from '../models/registry.js';
import { evaluateTask, type EvaluationContext } from './evaluate.js';
import { failedOutcome, type TaskOutcome } from './tasks.js';

/** What every task of one sweep shares (SharedArrayBuffers: cloning them into a task shares them). */
export interface PoolSweep {
  /** Unique per sweep in this process: a thread rebuilds its context when it changes. */
  id: string;
  data: SharedDatasetHandle;
  /** The folds' roles (FoldPlan.roles) on a SharedArrayBuffer. */
  roles: Uint8Array;
  evaluation: Evaluation;
  foldCount: number;
  seed: number;
  partitions: number;
  model: ModelKind;
}

export interface PoolTask {
  sweep: PoolSweep;
  config: number;
  fold: number;
  params: Params;
}

let current: { id: string; ctx: EvaluationContext } | null = null;

function contextOf(sweep: PoolSweep): EvaluationContext {
  if (current?.id !== sweep.id) {
    const ctx: EvaluationContext = {
      data: fromBuffer(sweep.data),
      folds: { evaluation: sweep.evaluation, count: sweep.foldCount, rows: sweep.data.rows, roles: sweep.roles },
      seed: sweep.seed,
      partitions: sweep.partitions,
      cache: new Map(),
    };
    current = { id: sweep.id, ctx };
  }
  return current.ctx;
}

/** Answers once this thread has loaded its modules (thread-pool.ts discardPrestarted waits for it). */
export function ping(): true {
  return true;
}

export default function runPoolTask(task: PoolTask): TaskOutcome {
  try {
    return evaluateTask(contextOf(task.sweep), getModel(task.sweep.model), task.params, task.config, task.fold);
  } catch (err) {
    return failedOutcome(task.config, task.fold, err);
  }
}
