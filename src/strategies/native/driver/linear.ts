/**
 * Linear models, natively: ONE pass over the partitions per fold. Each partition returns the sufficient statistics
 * of the fold's training rows (the fold is a mask over the partition's rows, not a copy); the driver merges them
 * in partition order — exactly as the whole-model fit does (linear/stats.ts partitionedStats), so the numbers are
 * the same bits — and solves every regParam/elasticNetParam config of that fold from the one merged value. The
 * workers then predict their own test rows with all of the fold's models (one job each), as FittedLinear.predict
 * would, and the driver scores them: predicting 200 000 test rows per config on the driver was most of its time.
 */
import { performance } from 'node:perf_hooks';
import { FittedLinear, linearParams } from '../../../models/linear/linear.js';
import { solveLinear } from '../../../models/linear/solve.js';
import { emptyLinearStats, linearShift, mergeLinearStats } from '../../../models/linear/stats.js';
import { foldRows } from '../../evaluate.js';
import { failedOutcome, inPartitionOrder, scoreFold, scoreFoldPredictions as scoreOutcome, type NativeContext } from './context.js';
import { designRef, type DesignRef, type LinearPredictJob } from '../protocol.js';
import { designedData, IMPUTE_STRATEGIES, needsDesign } from '../../../models/linear/design.js';
import { imputeOf } from '../../../models/linear/linear.js';

/**
 * One pass of statistics: a fold, and on data with categories or missing values the impute strategy of its
 * configs, whose design (fitted on the fold's training rows, as the whole-model fit does) the workers apply.
 */
interface Pass {
  fold: number;
  configs: number[];
  design?: DesignRef;
  shift: Float64Array;
  names: readonly string[];
}

function linearPasses(ctx: NativeContext, foldsOf: Map<number, number[]>): Pass[] {
  const { plan, evaluation } = ctx;
  const folds = [...new Set([...foldsOf.values()].flat())].sort((a, b) => a - b);
  const designed = needsDesign(plan.data, evaluation.cache);
  const passes: Pass[] = [];
  for (const fold of folds) {
    const configs = [...foldsOf.keys()].filter((c) => foldsOf.get(c)!.includes(fold));
    if (!designed) {
      passes.push({ fold, configs, shift: linearShift(plan.data, evaluation.cache), names: plan.data.featureNames });
      continue;
    }
    for (const impute of IMPUTE_STRATEGIES) {
      const own = configs.filter((c) => imputeOf(plan.configs[c]) === impute);
      if (own.length === 0) continue;
      const d = designedData(plan.data, foldRows(evaluation, fold).train, impute, evaluation.cache)!;
      passes.push({ fold, configs: own, design: designRef(fold, impute, d.design), shift: d.shift, names: d.data.featureNames });
    }
  }
  return passes;
}

export async function runLinear(ctx: NativeContext, foldsOf: Map<number, number[]>): Promise<void> {
  const { plan, hooks, evaluation } = ctx;
  const plans = linearPasses(ctx, foldsOf);
  // Every fold's pass is sent at once: the workers compute fold f + 1's statistics while the driver solves and
  // scores fold f. A pass's time is from the previous pass's answer (or the start) to its own.
  let last = performance.now();
  const passes = plans.map(({ fold, shift, design }) => {
    const job = ctx.workers.newJobId();
    const p = Promise.all(ctx.blocks.map((b, w) => ctx.workers.run(w, { type: 'linear', job, fold, partitions: b.partitions, shift, ...(design ? { design } : {}) }))).then((replies) => {
      const now = performance.now();
      const ms = now - last;
      last = now;
      return { replies, ms };
    });
    p.catch(() => {}); // awaited below, in fold order
    return p;
  });
  let pending: Promise<void> = Promise.resolve();
  // Per worker: predictions buffers already scored, sent back with its next linear-predict job.
  const spare: ArrayBuffer[][] = ctx.blocks.map(() => []);
  for (const [i, { fold, configs, design, shift, names }] of plans.entries()) {
    if (hooks.signal?.aborted) break;
    const features = names.length;
    let total = emptyLinearStats(features);
    let passMs: number;
    try {
      const { replies, ms } = await passes[i];
      passMs = ms / configs.length; // the pass serves every config of the fold; each adds its own solve
      for (const data of inPartitionOrder(replies, (r) => r.stats, plan.partitions, 'statistics')) total = mergeLinearStats(total, { features, data });
    } catch (err) {
      for (const c of configs) hooks.onOutcome(failedOutcome(c, fold, err));
      continue;
    }
    const { test } = foldRows(evaluation, fold);
    const solved: { config: number; model: FittedLinear; fitMs: number }[] = [];
    for (const c of configs) {
      try {
        const t1 = performance.now();
        const params = plan.configs[c];
        const sol = solveLinear(total, shift, linearParams(params), names);
        solved.push({ config: c, model: new FittedLinear(params, plan.data.featureNames, sol.coefficients, sol.intercept, design?.design), fitMs: passMs + performance.now() - t1 });
      } catch (err) {
        hooks.onOutcome(failedOutcome(c, fold, err));
      }
    }
    if (solved.length === 0) continue;
    if (!ctx.settings.scoreOnWorkers) {
      for (const s of solved) hooks.onOutcome(scoreFold(ctx, s.model, s.config, fold, test, s.fitMs));
      continue;
    }
    // The workers predict this fold while the driver scores the previous one.
    const t2 = performance.now();
    const predictions = predictOnWorkers(ctx, fold, solved.map((s) => s.model), test.length, spare, design).then((replies) => ({ replies, ms: performance.now() - t2 }));
    predictions.catch(() => {}); // awaited in scoreFoldPredictions
    await pending;
    pending = scoreFoldPredictions(ctx, fold, test, solved, predictions, spare);
  }
  await pending;
}

/** Score a fold's models from the workers' predictions (or fail them all if the predictions failed). */
async function scoreFoldPredictions(
  ctx: NativeContext,
  fold: number,
  test: Uint32Array,
  solved: readonly { config: number; model: FittedLinear; fitMs: number }[],
  predictions: Promise<{ replies: Float64Array[]; ms: number }>,
  spare: ArrayBuffer[][],
): Promise<void> {
  let replies: Float64Array[];
  let ms: number;
  try {
    ({ replies, ms } = await predictions);
  } catch (err) {
    for (const s of solved) ctx.hooks.onOutcome(failedOutcome(s.config, fold, err));
    return;
  }
  const predictMs = ms / solved.length;
  // One buffer for every model's predictions in test order, scored in turn (fresh 1.6 MB arrays per model
  // cost more in page faults than the scoring).
  const predicted = new Float64Array(test.length);
  solved.forEach((s, i) => {
    let at = 0;
    for (const r of replies) {
      const n = r.length / solved.length;
      predicted.set(r.subarray(i * n, (i + 1) * n), at);
      at += n;
    }
    ctx.hooks.onOutcome(scoreOutcome(ctx, s.config, fold, test, predicted, s.fitMs, predictMs, s.model.featureImportances(ctx.evaluation.data, foldRows(ctx.evaluation, fold).train)));
  });
  replies.forEach((r, w) => spare[w].push(r.buffer as ArrayBuffer));
}

/**
 * Every model's predictions of the fold's test rows, each worker predicting its own (one job per worker for all
 * the fold's models): per worker, models × its test rows. In worker order they are the test rows in order (blocks
 * are contiguous, testRows ascending).
 */
async function predictOnWorkers(ctx: NativeContext, fold: number, models: readonly FittedLinear[], testRows: number, spare: ArrayBuffer[][], design: DesignRef | undefined): Promise<Float64Array[]> {
  const F = models[0].coefficients.length;
  const coefficients = new Float64Array(models.length * F);
  models.forEach((m, i) => coefficients.set(m.coefficients, i * F));
  const job: Omit<LinearPredictJob, 'job'> = { type: 'linear-predict', fold, coefficients, intercepts: Float64Array.from(models, (m) => m.intercept), ...(design ? { design } : {}) };
  const replies = await Promise.all(
    ctx.blocks.map((_, w) => {
      const buffer = spare[w].pop();
      return ctx.workers.run(w, { ...job, job: ctx.workers.newJobId(), ...(buffer ? { buffer } : {}) }, buffer ? [buffer] : []);
    }),
  );
  let rows = 0;
  const out = replies.map((r, w) => {
    if (r.values.length % models.length !== 0) throw new Error(`native worker ${w} sent ${r.values.length} predictions for ${models.length} models`);
    rows += r.values.length / models.length;
    return r.values;
  });
  if (rows !== testRows) throw new Error(`native workers sent predictions for ${rows} of the fold's ${testRows} test rows`);
  return out;
}
