/**
 * Gradient boosting, natively (Spark's GBTRegressor: the driver grows each tree, the partitions' statistics are
 * summed where they live). The boosting algorithm runs on the driver (tree/boost.ts boostSteps); every call it makes
 * on the rows goes to all workers as one boost job, each answering for the rows it holds (worker/boost.ts):
 *   gradients → each worker's largest |g| and |h| (the driver takes the max: the quantisation scale of all rows);
 *   root, split → each worker's histogram of its rows of the node, summed (exact integers, so in any order);
 *   leaves → deferred, carried by the fit's next gradients call (one message fewer per tree).
 * Those are the answers one thread holding every row gives, so the trees are the same bits as thread-pool's.
 * Configs that differ only in iterations share one fit per fold (a fit of 200 iterations holds the one of 100).
 * Many fits run at once, their calls batched (one message per worker carries every fit's call made in the same
 * turn), and in-process workers write histograms into a shared slot per fit instead of sending them.
 * Early stopping's held-out rows stay on the driver: their codes are binned here and scored after each iteration.
 */
import { performance } from 'node:perf_hooks';
import { binRowsAt, cachedBins, withCodes, type BinnedData } from '../../../tree/binning.js';
import { boostedModel, boostFamily, boostOptions } from '../../../models/gbt.js';
import { boostBaseline, boostLoss, boostSteps, splitValidation, startingScores, type BoostCall, type BoostRule, type GradientMax, type ValidationRows } from '../../../tree/boost.js';
import { addHistogram, histogramLength } from '../../../tree/histogram.js';
import type { Params } from '../../../models/params.js';
import type { TreeArrays } from '../../../tree/tree.js';
import { foldRows } from '../../evaluate.js';
import type { BoostAnswer, BoostCallMessage, BoostFitCall, BoostLeaves, BoostStart } from '../protocol.js';
import { failedOutcome, scoreFold, type NativeContext } from './context.js';

/**
 * A worker's bytes per held row of a fit in progress (tree/boost-rows.ts: gradient, Hessian, quantised pair, raw
 * score, index arrays), and the most fits in flight.
 */
const FIT_ROW_BYTES = 64;
const MAX_FITS_IN_FLIGHT = 16;

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
  const dispatcher = new BoostDispatcher(ctx);
  const share = new TimeShare();
  // Many fits in flight: while the driver decides one fit's split, the workers scan another's rows, and the calls of
  // the fits ready together share one message per worker (a message, with the thread it wakes, costs 100–200 µs
  // here, more than most calls' work). Bounded by the rows' memory on the busiest worker (FIT_ROW_BYTES per row).
  const rowsPerWorker = Math.max(1, ...ctx.blocks.map((b) => b.rowEnd - b.rowStart));
  const byMemory = Math.floor(ctx.settings.maxHistogramBytes / (FIT_ROW_BYTES * rowsPerWorker));
  const inFlight = Math.max(ctx.settings.parallelism, Math.min(MAX_FITS_IN_FLIGHT, Math.max(2, byMemory)));
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, fits.length) }, async () => {
      while (next < fits.length && !ctx.hooks.signal?.aborted) await runFit(ctx, dispatcher, share, fits[next++]);
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
        const key = `${fold}|${boostFamily(params)}`;
        let fit = byKey.get(key);
        if (!fit) byKey.set(key, (fit = { fold, params, rule, maxBins, configs: [] }));
        fit.configs.push({ config, iterations: rule.iterations });
        if (rule.iterations > fit.rule.iterations) fit.rule = rule;
      } catch (err) {
        hooks.onOutcome(failedOutcome(config, fold, err));
      }
    }
  }
  return [...byKey.values()];
}

/**
 * Wall time shared out among the fits in flight: every interval is split evenly between the fits running in it, so
 * a fit's time is its share of the workers and driver, and the fits' times add up to the phase's wall time (as the
 * forest divides a batch's time among its tasks), however many run at once.
 */
class TimeShare {
  private readonly spent = new Map<number, number>();
  private last = performance.now();

  enter(id: number): void {
    this.tick();
    this.spent.set(id, 0);
  }

  read(id: number): number {
    this.tick();
    return this.spent.get(id) ?? 0;
  }

  leave(id: number): number {
    const t = this.read(id);
    this.spent.delete(id);
    return t;
  }

  private tick(): void {
    const now = performance.now();
    const each = this.spent.size > 0 ? (now - this.last) / this.spent.size : 0;
    for (const [id, t] of this.spent) this.spent.set(id, t + each);
    this.last = now;
  }
}

/**
 * Grow one fit on the workers, then score each of its configs' models (its first iterations·K trees). A config's fit
 * time is the fit's share of time (TimeShare) from where the config with fewer iterations before it ended, as a
 * thread's nested fit reports only the iterations it added.
 */
async function runFit(ctx: NativeContext, dispatcher: BoostDispatcher, share: TimeShare, fit: BoostFit): Promise<void> {
  const { plan, hooks, evaluation } = ctx;
  const { fold, rule } = fit;
  const id = nextFitId++;
  share.enter(id);
  // The fit's share of time when each iteration began.
  const began: number[] = [];
  let trees: TreeArrays[];
  let baseline: Float64Array;
  let binned: BinnedData;
  let total: number;
  try {
    const { train: foldTrain } = foldRows(evaluation, fold);
    binned = cachedBins(plan.data, fit.maxBins, evaluation.cache);
    const { train, held } = splitValidation(foldTrain, plan.seed, rule.earlyStopping);
    baseline = boostBaseline(plan.data.y, train, rule);
    const validation = rule.earlyStopping ? heldOut(ctx, binned, held, baseline, rule) : undefined;
    const rows = new WorkerRows(ctx, dispatcher, id, fit.maxBins, {
      fold, loss: rule.loss, subsample: rule.subsample, baseline,
      ...(rule.classes !== undefined ? { classes: rule.classes } : {}),
      ...(rule.earlyStopping ? { validationFraction: rule.earlyStopping.fraction } : {}),
    }, histogramLength(binned));
    const steps = boostSteps(binned, plan.data.y, plan.seed, rule, [], validation);
    let step = steps.next();
    while (!step.done) {
      if (hooks.signal?.aborted) return;
      const call = step.value;
      if (call.call === 'gradients' && call.args[2] === 0) began[call.args[1]] = share.read(id);
      step = steps.next(await rows.answer(call));
    }
    trees = step.value.trees;
  } catch (err) {
    const spent = share.read(id);
    for (const c of fit.configs) hooks.onOutcome(failedOutcome(c.config, fold, err, spent / fit.configs.length));
    return;
  } finally {
    total = share.leave(id);
    ctx.workers.broadcast({ type: 'release', trees: [], fits: [id] });
  }
  const K = baseline.length;
  const { test } = foldRows(evaluation, fold);
  let before = 0;
  for (const { config, iterations } of [...fit.configs].sort((a, b) => a.iterations - b.iterations)) {
    const upTo = began[iterations] ?? total;
    const fitMs = upTo - before;
    before = upTo;
    try {
      const model = boostedModel({ ...fit.params, iterations }, plan.data, rule, baseline, trees.slice(0, iterations * K), binned.thresholds);
      hooks.onOutcome(scoreFold(ctx, model, config, fold, test, fitMs));
    } catch (err) {
      hooks.onOutcome(failedOutcome(config, fold, err, fitMs));
    }
  }
}

/** Early stopping's held-out rows, on the driver: their codes binned here, their scores at the baseline. */
function heldOut(ctx: NativeContext, binned: BinnedData, held: Uint32Array, baseline: Float64Array, rule: BoostRule): ValidationRows {
  const { data } = ctx.plan;
  const n = held.length;
  const raw = startingScores(baseline, n);
  return { binned: withCodes(binned, n, binRowsAt(binned.thresholds, data.x, data.rows, held)), at: Uint32Array.from({ length: n }, (_, k) => k), rows: held, raw, losses: [boostLoss(data.y, held, raw, rule)] };
}

/**
 * The calls of the fits in flight, batched: every call made in one turn of the event loop goes out in one boost job
 * per worker (the fits whose answers arrived together make their next calls together), so the number of messages
 * does not grow with the fits in flight. One dispatcher per sweep.
 */
class BoostDispatcher {
  private queue: { perWorker: BoostFitCall[]; resolve: (a: BoostAnswer[]) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly ctx: NativeContext) {}

  /** Send perWorker[w] to worker w; resolves with every worker's answer, in worker order. */
  send(perWorker: BoostFitCall[]): Promise<BoostAnswer[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ perWorker, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    const { workers, blocks } = this.ctx;
    const job = workers.newJobId();
    Promise.all(blocks.map((_, w) => workers.run(w, { type: 'boost', job, calls: batch.map((e) => e.perWorker[w]) }))).then(
      (replies) => {
        for (const r of replies) if (r.answers.length !== batch.length) throw new Error(`a boost worker answered ${r.answers.length} of ${batch.length} calls`);
        batch.forEach((e, i) => e.resolve(replies.map((r) => r.answers[i])));
      },
      (err) => batch.forEach((e) => e.reject(err)),
    ).catch((err) => batch.forEach((e) => e.reject(err)));
  }
}

/** The fit's rows as the workers hold them: each call sent to every worker, the answers merged. */
class WorkerRows {
  private started = false;
  private leaves: BoostLeaves | undefined;
  /** In-process workers: each one's histogram slot (shared memory); else histograms come in the replies. */
  private readonly slots: Float64Array[] | undefined;

  constructor(
    private readonly ctx: NativeContext,
    private readonly dispatcher: BoostDispatcher,
    private readonly fit: number,
    private readonly maxBins: number,
    private readonly start: BoostStart,
    histLength: number,
  ) {
    if (ctx.workers.capabilities.sharedMemory) this.slots = ctx.blocks.map(() => new Float64Array(new SharedArrayBuffer(8 * histLength)));
  }

  async answer(c: BoostCall): Promise<GradientMax | undefined> {
    switch (c.call) {
      case 'gradients': {
        const [t, iteration, cls] = c.args;
        const leaves = this.leaves ? { leaves: this.leaves } : {};
        const answers = await this.send((w) => ({ call: 'gradients', t, iteration, cls, ...(this.started ? {} : { start: { ...this.start, ...(this.slots ? { slot: this.slots[w] } : {}) } }), ...leaves }));
        this.started = true;
        this.leaves = undefined;
        let g = 0;
        let h = 0;
        for (const a of answers) {
          if (!a.max) throw new Error('a boost worker answered a gradients call without its maxima');
          g = Math.max(g, a.max.g);
          h = Math.max(h, a.max.h);
        }
        return { g, h };
      }
      case 'root': {
        const [gScale, hScale, hist] = c.args;
        this.sumInto(hist, await this.send(() => ({ call: 'root', gScale, hScale })));
        return undefined;
      }
      case 'split': {
        const [node, left, right, split, scanLeft, hist] = c.args;
        const set = split.isSet ? { set: Int32Array.from(split.set) } : {};
        const answers = await this.send(() => ({ call: 'split', node, left, right, feature: split.feature, bin: split.bin, ...set, scanLeft, hist: hist !== null }));
        if (hist) this.sumInto(hist, answers);
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

  private send(call: (w: number) => BoostCallMessage): Promise<BoostAnswer[]> {
    return this.dispatcher.send(this.ctx.blocks.map((_, w) => ({ fit: this.fit, maxBins: this.maxBins, call: call(w) })));
  }

  /** hist = the sum of the workers' histograms (exact integer sums: the order cannot matter). */
  private sumInto(hist: Float64Array, answers: readonly BoostAnswer[]): void {
    answers.forEach((a, w) => {
      const part = a.inSlot && this.slots ? this.slots[w] : a.hist;
      if (!part || part.length !== hist.length) throw new Error(`a boost worker answered with a histogram of ${part?.length ?? 0} entries, expected ${hist.length}`);
      if (w === 0) hist.set(part);
      else addHistogram(hist, part);
    });
  }
}
