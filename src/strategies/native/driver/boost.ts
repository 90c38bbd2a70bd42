/**
 * Gradient boosting, natively (Spark's GBTRegressor: the driver grows each tree, the partitions' statistics are
 * summed where they live). The boosting algorithm runs on the driver (tree/boost.ts boostSteps); every call it makes
 * on the rows goes to all workers as one boost job, each answering for the rows it holds (worker/boost.ts):
 *   gradients → each worker's largest |g| and |h| (the driver takes the max: the quantisation scale of all rows);
 *   root, split → each worker's histogram of its rows of the node, summed (exact integers, so in any order);
 *   leaves → deferred, carried by the fit's next gradients call (one message fewer per tree).
 * Those are the answers one thread holding every row gives, so the trees are the same bits as thread-pool's.
 * Configs that differ only in iterations share one fit per fold (a fit of 200 iterations holds the one of 100),
 * and a few fits run at once so the workers scan one fit's rows while the driver chooses another's splits.
 * Early stopping's held-out rows stay on the driver: their codes are binned here and scored after each iteration.
 */
import { performance } from 'node:perf_hooks';
import type { BinnedData } from '../../../tree/binning.js';
import { binColumn, cachedBins } from '../../../tree/binning.js';
import { boostedModel, boostOptions } from '../../../models/gbt.js';
import { boostBaseline, boostLoss, boostSteps, splitValidation, startingScores, type BoostCall, type BoostRule, type GradientMax, type ValidationRows } from '../../../tree/boost.js';
import { withCodes } from '../../../tree/binning.js';
import { addHistogram } from '../../../tree/histogram.js';
import type { Params } from '../../../models/params.js';
import type { TreeArrays } from '../../../tree/tree.js';
import { foldRows } from '../../evaluate.js';
import type { BoostCallMessage, BoostLeaves, BoostStart } from '../protocol.js';
import { failedOutcome, scoreFold, type NativeContext } from './context.js';

/** Sweep-unique fit ids (the workers' keys for a fit's rows). */
let nextFitId = 0;

/** One fit per fold and per config group (the configs equal but for iterations), grown to the group's most. */
interface BoostFit {
  fold: number;
  params: Params;
  rule: BoostRule;
  maxBins: number;
  /** The group's configs and the iterations each asks for. */
  configs: { config: number; iterations: number }[];
}

export async function runBoost(ctx: NativeContext, foldsOf: Map<number, number[]>): Promise<void> {
  const fits = planFits(ctx, foldsOf);
  // A few fits in flight: while the driver decides one fit's split, the workers scan another's rows.
  const inFlight = Math.max(ctx.settings.parallelism, 2 * ctx.workers.count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, fits.length) }, async () => {
      while (next < fits.length && !ctx.hooks.signal?.aborted) await runFit(ctx, fits[next++]);
    }),
  );
}

/** The fits to make: configs whose parameters (filled in) differ only in iterations share one per fold. */
function planFits(ctx: NativeContext, foldsOf: Map<number, number[]>): BoostFit[] {
  const { plan, hooks, evaluation } = ctx;
  const F = plan.data.featureNames.length;
  const classes = plan.data.classes?.length ?? 0;
  const byKey = new Map<string, BoostFit>();
  for (const [config, folds] of foldsOf) {
    for (const fold of folds) {
      try {
        const { params, rule, maxBins } = boostOptions(plan.configs[config], F, classes, foldRows(evaluation, fold).train.length);
        const { iterations, ...rest } = params;
        const key = `${fold}|${JSON.stringify(rest)}`;
        let fit = byKey.get(key);
        if (!fit) byKey.set(key, (fit = { fold, params: rest, rule, maxBins, configs: [] }));
        fit.configs.push({ config, iterations: rule.iterations });
        if (rule.iterations > fit.rule.iterations) fit.rule = rule;
      } catch (err) {
        hooks.onOutcome(failedOutcome(config, fold, err));
      }
    }
  }
  return [...byKey.values()];
}

/** Grow one fit on the workers, then score each of its configs' models (its first iterations·K trees). */
async function runFit(ctx: NativeContext, fit: BoostFit): Promise<void> {
  const { plan, hooks, evaluation } = ctx;
  const { fold, rule } = fit;
  const t0 = performance.now();
  const id = nextFitId++;
  // When each iteration began (ms since t0): a config of I iterations took until iteration I began.
  const began: number[] = [];
  let trees: TreeArrays[];
  let baseline: Float64Array;
  let binned: BinnedData;
  try {
    const { train: foldTrain } = foldRows(evaluation, fold);
    binned = cachedBins(plan.data, fit.maxBins, evaluation.cache);
    const { train, held } = splitValidation(foldTrain, plan.seed, rule.earlyStopping);
    baseline = boostBaseline(plan.data.y, train, rule);
    const validation = rule.earlyStopping ? heldOut(ctx, binned, held, baseline, rule) : undefined;
    const rows = new WorkerRows(ctx, id, fit.maxBins, {
      fold, loss: rule.loss, subsample: rule.subsample, baseline,
      ...(rule.classes !== undefined ? { classes: rule.classes } : {}),
      ...(rule.earlyStopping ? { validationFraction: rule.earlyStopping.fraction } : {}),
    });
    const steps = boostSteps(binned, plan.data.y, plan.seed, rule, [], validation);
    let step = steps.next();
    while (!step.done) {
      if (hooks.signal?.aborted) return;
      const call = step.value;
      if (call.call === 'gradients' && call.args[2] === 0) began[call.args[1]] = performance.now() - t0;
      step = steps.next(await rows.answer(call));
    }
    trees = step.value.trees;
  } catch (err) {
    for (const c of fit.configs) hooks.onOutcome(failedOutcome(c.config, fold, err, performance.now() - t0));
    return;
  } finally {
    ctx.workers.broadcast({ type: 'release', trees: [], fits: [id] });
  }
  const total = performance.now() - t0;
  const K = baseline.length;
  const { test } = foldRows(evaluation, fold);
  for (const { config, iterations } of fit.configs) {
    try {
      const model = boostedModel({ ...fit.params, iterations }, plan.data, rule, baseline, trees.slice(0, iterations * K), binned.thresholds);
      hooks.onOutcome(scoreFold(ctx, model, config, fold, test, began[iterations] ?? total));
    } catch (err) {
      hooks.onOutcome(failedOutcome(config, fold, err));
    }
  }
}

/** Early stopping's held-out rows, on the driver: their codes binned here, their scores at the baseline. */
function heldOut(ctx: NativeContext, binned: BinnedData, held: Uint32Array, baseline: Float64Array, rule: BoostRule): ValidationRows {
  const { data } = ctx.plan;
  const n = held.length;
  const codes = new Uint8Array(n * binned.features);
  const col = new Float64Array(n);
  for (let j = 0; j < binned.features; j++) {
    for (let k = 0; k < n; k++) col[k] = data.x[j * data.rows + held[k]];
    binColumn(binned.thresholds[j], col, codes.subarray(j * n, (j + 1) * n));
  }
  const raw = startingScores(baseline, n);
  return { binned: withCodes(binned, n, codes), at: Uint32Array.from({ length: n }, (_, k) => k), rows: held, raw, losses: [boostLoss(data.y, held, raw, rule)] };
}

/** The fit's rows as the workers hold them: each call one boost job to every worker, the answers merged. */
class WorkerRows {
  private started = false;
  private leaves: BoostLeaves | undefined;

  constructor(
    private readonly ctx: NativeContext,
    private readonly fit: number,
    private readonly maxBins: number,
    private readonly start: BoostStart,
  ) {}

  async answer(c: BoostCall): Promise<GradientMax | undefined> {
    switch (c.call) {
      case 'gradients': {
        const [t, iteration, cls] = c.args;
        const replies = await this.send({ call: 'gradients', t, iteration, cls, ...(this.started ? {} : { start: this.start }), ...(this.leaves ? { leaves: this.leaves } : {}) });
        this.started = true;
        this.leaves = undefined;
        let g = 0;
        let h = 0;
        for (const r of replies) {
          if (!r.max) throw new Error('a boost worker answered a gradients call without its maxima');
          g = Math.max(g, r.max.g);
          h = Math.max(h, r.max.h);
        }
        return { g, h };
      }
      case 'root': {
        const [gScale, hScale, hist] = c.args;
        sumInto(hist, await this.send({ call: 'root', gScale, hScale }));
        return undefined;
      }
      case 'split': {
        const [node, left, right, split, scanLeft, hist] = c.args;
        const replies = await this.send({ call: 'split', node, left, right, feature: split.feature, bin: split.bin, ...(split.isSet ? { set: Int32Array.from(split.set) } : {}), scanLeft, hist: hist !== null });
        if (hist) sumInto(hist, replies);
        return undefined;
      }
      case 'leaves': {
        const [leafValues, tree, cls] = c.args;
        // Routing is needed only for the rows a subsample leaves out.
        const { feature, binThreshold, left, right, value, set, sets } = tree;
        this.leaves = { cls, leafValues, ...(this.start.subsample < 1 ? { tree: { feature, binThreshold, left, right, value, set, sets } } : {}) };
        return undefined;
      }
    }
  }

  private send(call: BoostCallMessage) {
    const { workers, blocks } = this.ctx;
    const job = workers.newJobId();
    return Promise.all(blocks.map((_, w) => workers.run(w, { type: 'boost', job, fit: this.fit, maxBins: this.maxBins, call })));
  }
}

/** hist = the sum of the workers' histograms (exact integer sums: the order cannot matter). */
function sumInto(hist: Float64Array, replies: readonly { hist?: Float64Array }[]): void {
  hist.fill(0);
  for (const r of replies) {
    if (!r.hist || r.hist.length !== hist.length) throw new Error(`a boost worker answered with a histogram of ${r.hist?.length ?? 0} entries, expected ${hist.length}`);
    addHistogram(hist, r.hist);
  }
}
