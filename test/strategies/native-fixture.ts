// Shared helpers for the native strategy tests: a plan, a run to sorted outcomes, and the whole-model reference.
import type { Dataset } from '../../dist/data/dataset.js';
import { makeFolds, type RowEvaluation as Evaluation } from '../../dist/data/folds.js';
import type { ModelDefinition } from '../../dist/models/model.js';
import type { Params } from '../../dist/models/params.js';
import { nativeStrategy, type NativeOptions, type NativeStats } from '../../dist/strategies/native/driver/native.js';
import type { SweepPlan } from '../../dist/strategies/strategy.js';
import { evaluateTask } from '../../dist/strategies/evaluate.js';
import { makeTasks, type TaskOutcome } from '../../dist/strategies/tasks.js';

export function makePlan(data: Dataset, configs: Params[], evaluation: Evaluation, over: Partial<SweepPlan> = {}): SweepPlan {
  const folds = makeFolds(data.rows, evaluation, 42);
  return { data, folds, model: 'rf', configs, tasks: makeTasks(configs.length, folds.count), seed: 42, partitions: 16, workers: 2, retries: 0, ...over };
}

export async function runNative(plan: SweepPlan, options: NativeOptions = {}): Promise<{ outcomes: TaskOutcome[]; stats: NativeStats }> {
  const outcomes: TaskOutcome[] = [];
  const stats = await nativeStrategy(options).run(plan, { onOutcome: (o) => outcomes.push(o) });
  outcomes.sort((a, b) => a.config - b.config || a.fold - b.fold);
  return { outcomes, stats };
}

/** What thread-pool computes for every task: evaluateTask (the whole-model fit) on this thread. */
export function reference(plan: SweepPlan, model: ModelDefinition): TaskOutcome[] {
  const ctx = { data: plan.data, folds: plan.folds, seed: plan.seed, partitions: plan.partitions, cache: new Map<string, unknown>() };
  return plan.tasks.map((t) => evaluateTask(ctx, model, plan.configs[t.config], t.config, t.fold));
}

/** Outcomes without timings, for exact comparison. */
export function results(outcomes: TaskOutcome[]): unknown[] {
  return outcomes.map(({ config, fold, status, metrics, error }) => ({ config, fold, status, metrics, error: error?.message }));
}
