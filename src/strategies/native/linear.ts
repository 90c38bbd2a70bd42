/**
 * Linear models, natively: ONE pass over the partitions per fold. Each partition returns the sufficient statistics
 * of the fold's training rows (the fold is a mask over the partition's rows, not a copy); the driver merges them
 * in partition order — exactly as the whole-model fit does (linear/stats.ts partitionedStats), so the numbers are
 * the same bits — and solves every regParam/elasticNetParam config of that fold from the one merged value.
 */
import { performance } from 'node:perf_hooks';
import { FittedLinear, linearParams } from '../../models/linear/linear.js';
import { solveLinear } from '../../models/linear/solve.js';
import { emptyLinearStats, linearShift, mergeLinearStats } from '../../models/linear/stats.js';
import { foldRows } from '../../sweep/evaluate.js';
import { failedOutcome, scoreFold, type NativeContext } from './context.js';

export async function runLinear(ctx: NativeContext, foldsOf: Map<number, number[]>): Promise<void> {
  const { plan, hooks, evaluation } = ctx;
  const features = plan.data.featureNames.length;
  const shift = linearShift(plan.data, evaluation.cache);
  const folds = [...new Set([...foldsOf.values()].flat())].sort((a, b) => a - b);
  for (const fold of folds) {
    if (hooks.signal?.aborted) return;
    const configs = [...foldsOf.keys()].filter((c) => foldsOf.get(c)!.includes(fold));
    const t0 = performance.now();
    let total = emptyLinearStats(features);
    try {
      const job = ctx.workers.newJobId();
      const replies = await Promise.all(ctx.blocks.map((b, w) => ctx.workers.run(w, { type: 'linear', job, fold, partitions: b.partitions, shift })));
      const byPartition = new Map<number, Float64Array>();
      for (const r of replies) if (r.type === 'linear') r.partitions.forEach((p, k) => byPartition.set(p, r.stats[k]));
      for (let p = 0; p < plan.partitions; p++) {
        const data = byPartition.get(p);
        if (!data) throw new Error(`no statistics for partition ${p}`);
        total = mergeLinearStats(total, { features, data });
      }
    } catch (err) {
      for (const c of configs) hooks.onOutcome(failedOutcome(c, fold, err));
      continue;
    }
    // The pass serves every config of the fold: its time is divided among them, plus each one's own solve.
    const passMs = (performance.now() - t0) / configs.length;
    const { test } = foldRows(evaluation, fold);
    for (const c of configs) {
      try {
        const t1 = performance.now();
        const params = plan.configs[c];
        const sol = solveLinear(total, shift, linearParams(params), plan.data.featureNames);
        const model = new FittedLinear(params, plan.data.featureNames, sol.coefficients, sol.intercept);
        hooks.onOutcome(scoreFold(ctx, model, c, fold, test, passMs + performance.now() - t1));
      } catch (err) {
        hooks.onOutcome(failedOutcome(c, fold, err));
      }
    }
  }
}
