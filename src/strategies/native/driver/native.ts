/**
 * The native strategy (`--strategy native`, alias native-distributed): one model fit is itself data-parallel.
 * The rows are split into P fixed partitions (--partitions, independent of --workers); each worker thread holds a
 * copy of ONLY its partitions' data, loaded once per sweep, and answers jobs with partial statistics that the
 * driver merges in partition order and decides on:
 *   forest: per level, the histograms of the frontier nodes of all trees of a batch of configs (forest.ts); a
 *           node small enough comes back as its rows instead and a worker grows its whole subtree (local.ts);
 *   boosting: per split of each tree, the histograms of the node's rows (boost.ts);
 *   linear: per fold, the sufficient statistics of each partition (linear.ts).
 * Results depend on P and the seed, never on the number of workers, and equal thread-pool's bit for bit.
 * Memory per worker shrinks as workers are added, and the jobs are plain data addressed to partitions (protocol.ts)
 * so the cluster issue can carry them over a queue.
 */
import { performance } from 'node:perf_hooks';
import { forestOptions } from '../../../models/forest.js';
import { boostOptions } from '../../../models/gbt.js';
import { classCount, shareDataset, type SharedDatasetHandle } from '../../../data/dataset.js';
import { binningSample, cacheBins, categoricalFeatures, edgesOf, MAX_BINS, withCodes, type BinEdges } from '../../../tree/binning.js';
import { cachedLabels } from '../../../tree/labels.js';
import type { Strategy, StrategyHooks, StrategyStats, SweepPlan } from '../../strategy.js';
import { assignPartitions, type PayloadSource } from '../assign.js';
import { failedOutcome, foldsByConfig, nativeSettings, type NativeContext, type NativeTransport } from './context.js';
import { runBoost } from './boost.js';
import { runForestBatch } from './forest.js';
import { runLogistic } from './logistic.js';
import { runLinear } from './linear.js';
import { NativeWorkers } from './workers.js';
import { ModelError } from '../../../errors.js';

export const DEFAULT_MAX_HISTOGRAM_MB = 256;

export interface NativeOptions {
  /** Configs sharing the level passes (default: the plan's `parallelism`, else 1). */
  parallelism?: number;
  /** Bound on histogram memory in flight per worker, in MB (default 256). */
  maxHistogramMB?: number;
  /** Jobs carry partial trees instead of relying on worker caches (what a cluster transport needs). */
  stateless?: boolean;
  /** Nodes with at most this many distinct rows are grown whole by a worker from their rows (default 'auto'; 0: never). */
  localRows?: number | 'auto';
}

export interface NativeStats extends StrategyStats {
  /** Bytes of partition data each worker holds for the sweep. */
  bytesHeld: number[];
  /** Largest per-tree state + histogram bytes each worker held at once (forest). */
  peakStateBytes: number[];
  workers: number;
  /** Jobs sent, by kind (edges, level, subtree, predict, linear, linear-predict). */
  jobsSent: Record<string, number>;
}

/** The plan as the native strategy reads it: `parallelism` is the one field it adds (see the lead's SweepPlan). */
type NativePlan = SweepPlan & { parallelism?: number };

export interface NativeStrategy extends Strategy {
  run(plan: NativePlan, hooks: StrategyHooks): Promise<NativeStats>;
}

export function nativeStrategy(options: NativeOptions = {}): NativeStrategy {
  return {
    name: 'native',
    async run(plan: NativePlan, hooks: StrategyHooks): Promise<NativeStats> {
      const W = Math.max(1, Math.min(plan.workers, plan.partitions));
      if (foldsByConfig(plan).size === 0 || hooks.signal?.aborted) return { bytesShipped: 0, startupMs: 0, bytesHeld: [], peakStateBytes: [], workers: 0, jobsSent: {} };
      // The threads load while the driver computes what they need.
      return runNativeOver(plan, hooks, NativeWorkers.spawn(W), options);
    },
  };
}

/**
 * The native strategy over any transport (local threads, the cluster): the bins' thresholds found by edges jobs,
 * every block handed its partitions (init), then the forest or linear loops. The transport is closed at the end.
 */
export async function runNativeOver(plan: NativePlan, hooks: StrategyHooks, transport: NativeTransport, options: NativeOptions = {}): Promise<NativeStats> {
  const t0 = performance.now();
  const settings = nativeSettings(transport.capabilities, {
    parallelism: options.parallelism ?? plan.parallelism ?? 1,
    maxHistogramBytes: (options.maxHistogramMB ?? DEFAULT_MAX_HISTOGRAM_MB) * 2 ** 20,
    ...(options.stateless !== undefined ? { stateless: options.stateless } : {}),
    ...(options.localRows !== undefined ? { localRows: options.localRows } : {}),
  });
  const foldsOf = foldsByConfig(plan);
  const blocks = assignPartitions(plan.data.rows, plan.partitions, transport.count);
  const stats = (startupMs: number, peakStateBytes: number[]): NativeStats => ({
    bytesShipped: transport.bytesShipped, startupMs, bytesHeld: transport.bytesHeld(), peakStateBytes, workers: transport.count, jobsSent: { ...transport.jobsSent },
  });
  if (foldsOf.size === 0 || hooks.signal?.aborted) {
    await transport.close();
    return stats(0, []);
  }
  const cache = new Map<string, unknown>();
  try {
    const src: PayloadSource = { data: plan.data, roles: plan.folds.roles, seed: plan.seed, partitions: plan.partitions };
    // In-process workers read the table from shared memory; a remote one has its own copy of the dataset.
    if (transport.capabilities.sharedMemory) src.table = shareDataset(plan.data);
    if (plan.model === 'rf') {
      const bins = treeBins(plan, foldsOf, transport, src.table, cache);
      bins.catch(() => {}); // awaited below, unless the labels cannot be quantized
      const labels = cachedLabels(plan.data.y, cache, classCount(plan.data)); // while the workers find the thresholds
      src.yq = labels.yq;
      src.labelWidth = labels.width;
      src.bins = await bins;
    } else if (plan.model === 'gbt') {
      src.bins = await treeBins(plan, foldsOf, transport, src.table, cache);
      src.boost = true;
    } else {
      src.linear = true;
    }
    await transport.init(src, blocks);
  } catch (err) {
    await transport.close();
    if (!(err instanceof ModelError)) throw err;
    // The model cannot be fitted on this data at all (a target spread too small to quantize): every task fails.
    for (const t of plan.tasks) hooks.onOutcome(failedOutcome(t.config, t.fold, err));
    return stats(performance.now() - t0, []);
  }
  const startupMs = performance.now() - t0;
  const ctx: NativeContext = {
    plan, hooks, settings, workers: transport, blocks,
    evaluation: { data: plan.data, folds: plan.folds, seed: plan.seed, partitions: plan.partitions, cache },
    peakStateBytes: blocks.map(() => 0),
  };
  try {
    await runNativeSweep(ctx, foldsOf);
  } finally {
    await transport.close();
  }
  return stats(startupMs, ctx.peakStateBytes);
}

/**
 * The bins of every distinct maxBins of the forest (or boosting) configs: edges only (thresholds from a sample), the features'
 * thresholds computed by the workers (edges jobs, features shared out round-robin) before each bins its own rows
 * (init), so the whole table is never binned in one place. The driver's level state reads only the edges; they
 * are cached where prepareGrowInput looks for a binned table (cachedBins), codes left empty: in this strategy only
 * the workers scan codes. Same thresholds as binDataset (test/strategies/native.test.ts compares the forests).
 */
async function treeBins(
  plan: NativePlan,
  foldsOf: Map<number, number[]>,
  workers: NativeTransport,
  table: SharedDatasetHandle | undefined,
  cache: Map<string, unknown>,
): Promise<{ maxBins: number; binned: BinEdges }[]> {
  const wanted = new Set<number>();
  for (const c of foldsOf.keys()) {
    try {
      const F = plan.data.featureNames.length;
      const m = plan.model === 'gbt' ? boostOptions(plan.configs[c], F, 0).maxBins : forestOptions(plan.configs[c], F).options.maxBins;
      if (Number.isInteger(m) && m >= 2 && m <= MAX_BINS) wanted.add(m);
    } catch {
      /* a config with bad parameters is reported by runForestBatch or runBoost */
    }
  }
  const maxBins = [...wanted];
  const F = plan.data.featureNames.length;
  const sample = binningSample(plan.data.rows);
  const thresholds: Float64Array[][] = Array.from({ length: maxBins.length }, () => new Array<Float64Array>(F));
  const values: Float64Array[][] = Array.from({ length: maxBins.length }, () => new Array<Float64Array>(F));
  await Promise.all(
    Array.from({ length: Math.min(workers.count, F) }, async (_, w) => {
      const features = Array.from({ length: F }, (_, j) => j).filter((j) => j % workers.count === w);
      const r = await workers.run(w, { type: 'edges', job: workers.newJobId(), ...(table ? { table } : {}), sample, maxBins, features });
      features.forEach((j, f) =>
        maxBins.forEach((_, b) => {
          thresholds[b][j] = r.thresholds[f][b];
          values[b][j] = r.values[f][b];
        }),
      );
    }),
  );
  return maxBins.map((m, b) => {
    const edges = edgesOf(thresholds[b], plan.data.rows, values[b], categoricalFeatures(plan.data));
    cacheBins(plan.data, m, withCodes(edges, edges.rows, new Uint8Array(0)), cache);
    return { maxBins: m, binned: edges };
  });
}

export const native = nativeStrategy();

/** The sweep itself, whatever the transport: forests in batches of `parallelism` configs, boosting fits a few at a time, or every linear config. */
export async function runNativeSweep(ctx: NativeContext, foldsOf: Map<number, number[]>): Promise<void> {
  if (ctx.plan.model === 'logistic') return runLogistic(ctx, foldsOf);
  if (ctx.plan.model === 'gbt') return runBoost(ctx, foldsOf);
  if (ctx.plan.model !== 'rf') return runLinear(ctx, foldsOf);
  const configs = [...foldsOf.keys()];
  for (let i = 0; i < configs.length && !ctx.hooks.signal?.aborted; i += ctx.settings.parallelism) {
    await runForestBatch(ctx, configs.slice(i, i + ctx.settings.parallelism), foldsOf);
  }
}
