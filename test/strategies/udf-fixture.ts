// Shared helpers for the udf strategy tests: a plan over a dataset, and running a strategy to its outcomes.
import { allocateDataset, type Dataset } from '../../dist/data/dataset.js';
import { makeFolds, type RowEvaluation as Evaluation } from '../../dist/data/folds.js';
import type { Params } from '../../dist/models/params.js';
import type { SweepPlan } from '../../dist/strategies/strategy.js';
import { createUdfStrategy, type UdfOptions, type UdfStats } from '../../dist/strategies/udf/udf.js';
import { makeTasks, type TaskOutcome } from '../../dist/strategies/tasks.js';

export function makePlan(data: Dataset, configs: Params[], over: Partial<SweepPlan> & { evaluation?: Evaluation } = {}): SweepPlan {
  const { evaluation, ...rest } = over;
  const folds = makeFolds(data.rows, evaluation ?? { kind: 'kfold', folds: 2 }, 42);
  return { data, folds, model: 'rf', configs, tasks: makeTasks(configs.length, folds.count), seed: 42, partitions: 16, workers: 2, retries: 0, ...rest };
}

/** Outcomes sorted by (config, fold), and the strategy's stats. */
export async function runUdf(plan: SweepPlan, options: UdfOptions = {}): Promise<{ outcomes: TaskOutcome[]; stats: UdfStats }> {
  const outcomes: TaskOutcome[] = [];
  const stats = await createUdfStrategy(options).run(plan, { onOutcome: (o) => outcomes.push(o) });
  outcomes.sort((a, b) => a.config - b.config || a.fold - b.fold);
  return { outcomes, stats };
}

/** y = 2 x0 - x1 on n rows with x0 = i, x1 = i % 7: tiny and exact. */
export function lineData(n: number): Dataset {
  const data = allocateDataset('line', ['x0', 'x1'], 'y', n);
  for (let i = 0; i < n; i++) {
    data.x[i] = i;
    data.x[n + i] = i % 7;
    data.y[i] = 2 * i - (i % 7);
  }
  return data;
}

export const FIXTURES = new URL('../fixtures/udf/', import.meta.url);
export const fixture = (name: string): string => new URL(name, FIXTURES).pathname;
