/**
 * Random forests, natively: a batch of K configs (--parallelism) is grown as one level-wise state — every fold ×
 * every tree of each config, tree t of fold f bootstrapped from fold f's training rows only (counts are zero for
 * its test rows) — so each level is ONE pass over the partitions for the whole batch (split into memory-bounded
 * passes when the frontier is large); small nodes leave the levels and are grown whole by subtree jobs on the
 * workers (local.ts). Then the driver, which holds the full table, assembles each fold's forest
 * with `assembleForest` and scores its test rows exactly as evaluateTask does: the trees equal the depth-first
 * grower's (levelwise.ts), so the metrics equal thread-pool's bit for bit.
 */
import { performance } from 'node:perf_hooks';
import { assembleForest, forestOptions, forestProbabilities, prepareGrowInput, range } from '../../../models/forest.js';
import type { Params } from '../../../models/params.js';
import { foldRows } from '../../evaluate.js';
import { histogramLength } from '../../../tree/histogram.js';
import { featureImportancesOf } from '../../../tree/predict.js';
import { startLevelGrowth } from '../../../tree/levelwise.js';
import { failedOutcome, scoreFold, scoreFoldPredictions, type NativeContext } from './context.js';
import { autoLocalRows, detachSmallNodes, grownTrees, keepSubtrees, subtreeJob, takeLocalRows, type LocalRows } from './local.js';
import { mergePass, packPasses, passJob, planForests, sampleRequests, type GrowingForest, type Pass } from './levels.js';
import type { PredictJob, SubtreeJob } from '../protocol.js';
import { packSets, type TreeArrays } from '../../../tree/tree.js';

/** Sweep-unique tree ids (the workers' cache keys). */
let nextTreeId = 0;

/**
 * Independent level loops per batch. With one loop, the workers wait while the driver merges and chooses a level's
 * splits, and the driver waits while they scan; with two, one stream's scan overlaps the other's decisions.
 */
export const STREAMS = 2;

/** Grow, score and report the forests of some configs (one batch). Never throws: failures become outcomes. */
export async function runForestBatch(ctx: NativeContext, configs: readonly number[], foldsOf: Map<number, number[]>): Promise<void> {
  const { plan, hooks, evaluation } = ctx;
  const t0 = performance.now();
  const tasks: { config: number; fold: number; params: Params; units: GrowingForest[] }[] = [];
  const total = configs.reduce((n, c) => n + foldsOf.get(c)!.length, 0);
  // Few forests are cut into tree chunks so that every stream has work; chunks of one forest stay in tree order.
  const chunks = Math.max(1, Math.ceil(STREAMS / total));
  for (const c of configs) {
    try {
      const { params, options } = forestOptions(plan.configs[c], plan.data.featureNames.length, plan.data.classes !== undefined);
      for (const fold of foldsOf.get(c)!) {
        const input = prepareGrowInput({ data: plan.data, train: foldRows(evaluation, fold).train, seed: plan.seed, partitions: plan.partitions, cache: evaluation.cache }, options);
        const all = range(options.numTrees);
        const per = Math.ceil(all.length / chunks);
        const units: GrowingForest[] = [];
        for (let i = 0; i < all.length; i += per) {
          const trees = all.slice(i, i + per);
          units.push({
            config: c, fold, maxBins: options.maxBins, bootstrap: options.rule.bootstrap,
            state: startLevelGrowth(input, trees), ids: trees.map(() => nextTreeId++), histLength: histogramLength(input.binned, input.labels.width),
            level: 0, splits: trees.map(() => new Int32Array(0)), splitSets: trees.map(() => new Int32Array(0)), scanFrom: new Int32Array(trees.length), prevNodes: new Int32Array(trees.length),
            merged: null, waiting: 0,
            localRows: localRowLimit(ctx.settings.localRows, input.binned.features, histogramLength(input.binned, input.labels.width)),
            local: trees.map(() => []), subtrees: trees.map(() => new Map()),
          });
          detachSmallNodes(units[units.length - 1]);
        }
        tasks.push({ config: c, fold, params, units });
      }
    } catch (err) {
      for (const fold of foldsOf.get(c)!) hooks.onOutcome(failedOutcome(c, fold, err));
    }
  }
  const units = tasks.flatMap((t) => t.units);
  if (units.length === 0) return;
  const streams = Array.from({ length: Math.min(STREAMS, units.length) }, (_, s) => units.filter((_, i) => i % STREAMS === s));
  try {
    // Subtree jobs run alongside the level loops; every forest is whole once they are all back.
    const subtrees = new SubtreeQueue(ctx);
    await Promise.all(streams.map((stream) => growStream(ctx, stream, ctx.settings.maxHistogramBytes, subtrees)));
    await subtrees.drained();
    if (hooks.signal?.aborted) return; // interrupted: stopped after a level; nothing of the batch is reported
  } catch (err) {
    for (const t of tasks) hooks.onOutcome(failedOutcome(t.config, t.fold, err));
    return;
  } finally {
    ctx.workers.broadcast({ type: 'release', trees: units.flatMap((f) => f.ids) });
  }
  // The batch grew all its forests together: its growing time is divided equally among its tasks.
  const fitMs = (performance.now() - t0) / tasks.length;
  await Promise.all(
    tasks.map(async (t) => {
      try {
        const trees = t.units.flatMap(grownTrees);
        const test = foldRows(evaluation, t.fold).test;
        if (!ctx.settings.scoreOnWorkers) {
          hooks.onOutcome(scoreFold(ctx, assembleForest(t.params, plan.data.featureNames, trees, plan.data.classes, t.units[0].state.input.binned.thresholds), t.config, t.fold, test, fitMs));
          return;
        }
        const p0 = performance.now();
        const raw = await predictOnWorkers(ctx, t.units[0].maxBins, t.fold, trees, test.length);
        const predicted = plan.data.classes ? forestProbabilities(raw, plan.data.classes.length) : raw;
        hooks.onOutcome(scoreFoldPredictions(ctx, t.config, t.fold, test, predicted, fitMs, performance.now() - p0, featureImportancesOf(trees, plan.data.featureNames.length)));
      } catch (err) {
        hooks.onOutcome(failedOutcome(t.config, t.fold, err));
      }
    }),
  );
}

/**
 * The fold's test predictions, each worker predicting its own test rows from its codes: the replies are ascending
 * rows of contiguous blocks, so in worker order they are the test rows in order (testRows is ascending).
 */
async function predictOnWorkers(ctx: NativeContext, maxBins: number, fold: number, trees: readonly TreeArrays[], testRows: number): Promise<Float64Array> {
  // Values per node (and per test row of the answer): tree.ts width.
  const W = trees.length > 0 && trees[0].nodes > 0 ? trees[0].value.length / trees[0].nodes : 1;
  const cat = <T extends Int32Array | Uint8Array | Float64Array>(pick: (t: TreeArrays) => T, make: new (n: number) => T, per = 1): T => {
    const out = new make(trees.reduce((n, t) => n + t.nodes, 0) * per);
    let at = 0;
    for (const t of trees) {
      out.set(pick(t).subarray(0, t.nodes * per), at);
      at += t.nodes * per;
    }
    return out;
  };
  const job: Omit<PredictJob, 'job'> = {
    type: 'predict', maxBins, fold, nodes: Int32Array.from(trees, (t) => t.nodes),
    feature: cat((t) => t.feature, Int32Array), binThreshold: cat((t) => t.binThreshold, Uint8Array),
    left: cat((t) => t.left, Int32Array), right: cat((t) => t.right, Int32Array), value: cat((t) => t.value, Float64Array, W), ...packSets(trees),
  };
  const replies = await Promise.all(ctx.blocks.map((_, w) => ctx.workers.run(w, { ...job, job: ctx.workers.newJobId() })));
  const out = new Float64Array(testRows * W);
  let at = 0;
  replies.forEach((r) => {
    if (at + r.values.length > out.length) throw new Error(`native workers sent more than the fold's ${testRows} test predictions`);
    out.set(r.values, at);
    at += r.values.length;
  });
  if (at !== out.length) throw new Error(`native workers sent ${at / W} of the fold's ${testRows} test predictions`);
  return out;
}

/** One stream's level loop: every level is one or more memory-bounded passes over all partitions. */
async function growStream(ctx: NativeContext, forests: GrowingForest[], maxPassBytes: number, subtrees: SubtreeQueue): Promise<void> {
  for (let active = planForests(forests); active.length > 0; active = planForests(active)) {
    for (const pass of packPasses(active, maxPassBytes)) await runPass(ctx, pass, subtrees);
    if (ctx.hooks.signal?.aborted) return;
  }
}

/** One pass: the same job to every worker (its own partitions), replies merged in worker = partition order. */
async function runPass(ctx: NativeContext, pass: Pass, subtrees: SubtreeQueue): Promise<void> {
  const job = passJob(pass, ctx.workers.newJobId(), ctx.settings.stateless);
  const replies = await Promise.all(ctx.blocks.map((b, w) => ctx.workers.run(w, { ...job, partitions: b.partitions })));
  const hists = replies.map((r, w) => {
    ctx.peakStateBytes[w] = Math.max(ctx.peakStateBytes[w], r.stateBytes);
    return r;
  });
  // Small nodes' rows (taken before merging: finishing a level detaches the next small nodes).
  const samples = hists.map((r) => r.samples);
  const local = takeLocalRows(sampleRequests(pass), samples);
  mergePass(pass, hists.map((r) => r.hist));
  local.forEach((node, i) => subtrees.add(node, subtreeJob(node, samples, i)));
}

/**
 * Subtree jobs (one small node each) wait on the driver and go to the worker with the fewest outstanding, at most
 * SUBTREE_SLOTS each, so the node goes to whoever is free when its turn comes: a worker slowed down (its core
 * shared with the driver, say) simply grows fewer, and no worker idles at the end while the other still has a
 * queue. Two slots keep the next job at hand while one is grown.
 */
class SubtreeQueue {
  static readonly SLOTS = 2;
  private readonly waiting: { node: LocalRows; job: Omit<SubtreeJob, 'job'> }[] = [];
  private readonly outstanding: number[];
  private readonly running = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(private readonly ctx: NativeContext) {
    this.outstanding = ctx.blocks.map(() => 0);
  }

  add(node: LocalRows, job: Omit<SubtreeJob, 'job'>): void {
    this.waiting.push({ node, job });
    this.pump();
  }

  /** Resolves once every job added is back; rejects with the first failure. */
  async drained(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
    if (this.failure !== null) throw this.failure;
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.failure === null && !this.ctx.hooks.signal?.aborted) {
      let w = 0;
      for (let v = 1; v < this.outstanding.length; v++) if (this.outstanding[v] < this.outstanding[w]) w = v;
      if (this.outstanding[w] >= SubtreeQueue.SLOTS) return;
      const { node, job } = this.waiting.shift()!;
      this.outstanding[w]++;
      const p = this.grow(w, node, job)
        .catch((err) => {
          this.failure ??= err;
        })
        .finally(() => {
          this.outstanding[w]--;
          this.running.delete(p);
          this.pump();
        });
      this.running.add(p);
    }
  }

  private async grow(w: number, node: LocalRows, job: Omit<SubtreeJob, 'job'>): Promise<void> {
    const transfer = job.pieces.flatMap((p) => [p.sizes, p.codes, p.counts, p.yq].map((a) => a.buffer as ArrayBuffer));
    const r = await this.ctx.workers.run(w, { ...job, job: this.ctx.workers.newJobId() }, transfer);
    keepSubtrees([node], r);
  }
}

/** Row limit of the nodes grown whole from their rows (subtree jobs): off when the transport cannot carry rows (settings without it). */
function localRowLimit(setting: number | 'auto' | undefined, features: number, histLength: number): number {
  if (setting === undefined) return 0;
  return setting === 'auto' ? autoLocalRows(features, histLength) : Math.max(0, Math.floor(setting));
}
