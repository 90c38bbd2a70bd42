/**
 * Random forests, natively: a batch of K configs (--parallelism) is grown as one level-wise state — every fold ×
 * every tree of each config, tree t of fold f bootstrapped from fold f's training rows only (counts are zero for
 * its test rows) — so each level is ONE pass over the partitions for the whole batch (split into memory-bounded
 * passes when the frontier is large). Then the driver, which holds the full table, assembles each fold's forest
 * with `assembleForest` and scores its test rows exactly as evaluateTask does: the trees equal the depth-first
 * grower's (levelwise.ts), so the metrics equal thread-pool's bit for bit.
 */
import { performance } from 'node:perf_hooks';
import { assembleForest, forestOptions, prepareGrowInput, range } from '../../models/forest.js';
import type { Params } from '../../models/params.js';
import { foldRows } from '../../sweep/evaluate.js';
import { histogramLength } from '../../tree/histogram.js';
import { levelTrees, startLevelGrowth } from '../../tree/levelwise.js';
import { failedOutcome, scoreFold, type NativeContext } from './context.js';
import { mergePass, packPasses, passJob, planForests, type GrowingForest, type Pass } from './levels.js';

/** Sweep-unique tree ids (the workers' cache keys). */
let nextTreeId = 0;

/** Grow, score and report the forests of some configs (one batch). Never throws: failures become outcomes. */
export async function runForestBatch(ctx: NativeContext, configs: readonly number[], foldsOf: Map<number, number[]>): Promise<void> {
  const { plan, hooks, evaluation } = ctx;
  const t0 = performance.now();
  const forests: GrowingForest[] = [];
  const fullParams = new Map<number, Params>();
  for (const c of configs) {
    try {
      const { params, options } = forestOptions(plan.configs[c], plan.data.featureNames.length);
      const made = foldsOf.get(c)!.map((fold): GrowingForest => {
        const input = prepareGrowInput({ data: plan.data, train: foldRows(evaluation, fold).train, seed: plan.seed, partitions: plan.partitions, cache: evaluation.cache }, options);
        const trees = range(options.numTrees);
        return {
          config: c, fold, maxBins: options.maxBins, bootstrap: options.rule.bootstrap,
          state: startLevelGrowth(input, trees), ids: trees.map(() => nextTreeId++), histLength: histogramLength(input.binned),
          level: 0, splits: trees.map(() => new Int32Array(0)), scanFrom: new Int32Array(trees.length), prevNodes: new Int32Array(trees.length),
          merged: null, waiting: 0,
        };
      });
      forests.push(...made);
      fullParams.set(c, params);
    } catch (err) {
      for (const fold of foldsOf.get(c)!) hooks.onOutcome(failedOutcome(c, fold, err));
    }
  }
  if (forests.length === 0) return;
  try {
    for (let active = planForests(forests); active.length > 0; active = planForests(active)) {
      await runPasses(ctx, packPasses(active, ctx.settings.maxHistogramBytes / 2));
      if (hooks.signal?.aborted) return; // interrupted: stop after the current level, report nothing of the batch
    }
  } catch (err) {
    for (const f of forests) hooks.onOutcome(failedOutcome(f.config, f.fold, err));
    return;
  } finally {
    ctx.workers.broadcast({ type: 'release', trees: forests.flatMap((f) => f.ids) });
  }
  // The batch grew all its forests together: its growing time is divided equally among its tasks.
  const fitMs = (performance.now() - t0) / forests.length;
  for (const f of forests) {
    try {
      const model = assembleForest(fullParams.get(f.config)!, plan.data.featureNames, levelTrees(f.state));
      hooks.onOutcome(scoreFold(ctx, model, f.config, f.fold, foldRows(evaluation, f.fold).test, fitMs));
    } catch (err) {
      hooks.onOutcome(failedOutcome(f.config, f.fold, err));
    }
  }
}

/** Run a level's passes, two in flight (a worker computes one while the driver merges the other). */
async function runPasses(ctx: NativeContext, passes: readonly Pass[]): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < passes.length) {
      const pass = passes[next++];
      const job = passJob(pass, ctx.workers.newJobId(), ctx.settings.stateless);
      const replies = await Promise.all(ctx.blocks.map((b, w) => ctx.workers.run(w, { ...job, partitions: b.partitions })));
      const hists = replies.map((r, w) => {
        if (r.type !== 'histograms') throw new Error(`native worker ${w} answered a level job with ${r.type}`);
        ctx.peakStateBytes[w] = Math.max(ctx.peakStateBytes[w], r.stateBytes);
        return r.hist;
      });
      mergePass(pass, hists);
    }
  };
  await Promise.all([lane(), lane()]);
}
