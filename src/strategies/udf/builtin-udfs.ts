/**
 * The built-in models as UDFs: rebuild the Dataset from the group (all rows, original order), fit on the rows
 * with training = true, predict the others and score — what `evaluateTask` does with the shared dataset, with
 * the same model code, so the udf strategy gives the thread-pool strategy's numbers bit for bit. A fresh cache
 * per group: a group is self-contained, nothing is carried over from another.
 */
import { performance } from 'node:perf_hooks';
import type * as arrow from 'apache-arrow';
import { allMetrics } from '../../eval/metrics.js';
import type { ModelDefinition } from '../../models/model.js';
import { groupDataset } from './group-dataset.js';
import type { UdfContext, UdfResult } from './types.js';

export interface BuiltinContext extends UdfContext {
  partitions: number;
  /** The dataset's name (for messages; models key nothing on it). */
  dataName: string;
}

export interface Evaluated {
  metrics: UdfResult;
  fitMs: number;
  predictMs: number;
}

/** Fit and score one group with a built-in model definition. */
export function evaluateGroup(model: ModelDefinition, group: arrow.Table, ctx: BuiltinContext): Evaluated {
  const { data, train, test } = groupDataset(group, ctx.dataName, ctx.features, ctx.target);
  const t0 = performance.now();
  const fitted = model.fit({ data, train, seed: ctx.seed, partitions: ctx.partitions, cache: new Map() }, ctx.params);
  const t1 = performance.now();
  const predicted = fitted.predict(data, test);
  const t2 = performance.now();
  const truth = new Float64Array(test.length);
  for (let k = 0; k < test.length; k++) truth[k] = data.y[test[k]];
  return { metrics: { ...allMetrics(truth, predicted) }, fitMs: t1 - t0, predictMs: t2 - t1 };
}
