/** What the native driver's forest and linear loops share for one sweep. */
import { performance } from 'node:perf_hooks';
import { foldRows, predictionsFor, scoreModel, scoreTruth } from '../../evaluate.js';
import type { FittedModel } from '../../../models/model.js';
import type { EvaluationContext } from '../../evaluate.js';
import type { TaskOutcome } from '../../tasks.js';
import type { StrategyHooks, SweepPlan } from '../../strategy.js';
import type { PayloadSource, WorkerBlock } from '../assign.js';
import type { AnsweredJob, DriverMessage, ReplyOfJob } from '../protocol.js';

export interface NativeSettings {
  /** Configs whose forests share the level passes (CrossValidator's parallelism). */
  parallelism: number;
  /** Bound on the histogram bytes of one pass (Spark's maxMemoryInMB); each stream has one pass in flight. */
  maxHistogramBytes: number;
  /** Send partial trees with every job instead of caching row → node arrays on the workers (cluster mode). */
  stateless: boolean;
  /**
   * Frontier nodes with at most this many distinct rows are grown whole by a worker from their rows (subtree
   * jobs, local.ts); 'auto': local.ts autoLocalRows (256 rows per bin of a feature, or more while the rows are no
   * bigger than the node's histogram). Absent (a transport that does not carry rows back): never.
   */
  localRows?: number | 'auto';
  /** Forests predict their test rows on the workers (predict jobs); absent: on the driver. */
  scoreOnWorkers?: boolean;
}

/** What a transport's workers can do beyond answering stateless level and linear jobs. */
export interface TransportCapabilities {
  /** A worker keeps per-tree state between jobs (row → node arrays), so jobs need not carry partial trees. */
  keepsState: boolean;
  /** Replies may carry rows back (small nodes' rows, for subtree jobs grown on a worker). */
  returnsRows: boolean;
  /** Workers predict their own test rows (predict and linear-predict jobs). */
  predicts: boolean;
  /** Workers share the driver's memory (threads): the table is handed over as a SharedArrayBuffer, not copied. */
  sharedMemory: boolean;
}

/** The settings a sweep runs with over a transport: what it can do, narrowed by the options. */
export function nativeSettings(
  capabilities: TransportCapabilities,
  options: { parallelism: number; maxHistogramBytes: number; stateless?: boolean; localRows?: number | 'auto' },
): NativeSettings {
  return {
    parallelism: Math.max(1, Math.floor(options.parallelism)),
    maxHistogramBytes: options.maxHistogramBytes,
    stateless: options.stateless === true || !capabilities.keepsState,
    ...(capabilities.returnsRows ? { localRows: options.localRows ?? 'auto' } : {}),
    ...(capabilities.predicts ? { scoreOnWorkers: true } : {}),
  };
}

/**
 * What carries the driver's jobs to the partitions and their replies back: local worker threads (workers.ts) or
 * the cluster (cluster/native-driver.ts). The forest and linear drivers use nothing else, so they run unchanged
 * over either.
 */
export interface NativeTransport {
  /** What the workers on the other side can do; the driver's settings follow from it (nativeSettings). */
  readonly capabilities: TransportCapabilities;
  /** Workers (blocks of partitions) the transport addresses, 0 … count − 1. */
  readonly count: number;
  /**
   * Hand every block its partitions' data as `src` describes it (the forest's bin thresholds, labels, folds; the
   * shared table): local threads receive one init message each (assign.ts initPayload); the cluster stores the
   * bins once for its workers, which rebuild the rest from the dataset they cached.
   */
  init(src: PayloadSource, blocks: readonly WorkerBlock[]): Promise<void>;
  newJobId(): number;
  /** Send job `message` to the worker (block) w and resolve with the reply that answers it (protocol.ts replyTo). */
  run<J extends AnsweredJob>(w: number, message: J, transfer?: ArrayBuffer[]): Promise<ReplyOfJob[J['type']]>;
  /** A message without a reply, to every worker (a transport without worker state may ignore it). */
  broadcast(message: DriverMessage): void;
  readonly bytesShipped: number;
  /** Jobs sent so far, by kind (edges, level, subtree, predict, linear, linear-predict). */
  readonly jobsSent: Readonly<Record<string, number>>;
  /** Bytes of partition data each worker reported holding (empty when the transport cannot tell). */
  bytesHeld(): number[];
  close(): Promise<void>;
}

export interface NativeContext {
  plan: SweepPlan;
  hooks: StrategyHooks;
  settings: NativeSettings;
  workers: NativeTransport;
  blocks: WorkerBlock[];
  /** Driver-side evaluation context: the full dataset, fold rows, bins and labels (cached). */
  evaluation: EvaluationContext;
  /** Largest per-tree state + histogram bytes each worker reported. */
  peakStateBytes: number[];
}

/** Predict the fold's test rows and score them exactly as evaluateTask does. */
export function scoreFold(ctx: NativeContext, model: FittedModel, config: number, fold: number, test: Uint32Array, fitMs: number): TaskOutcome {
  const t0 = performance.now();
  const predicted = predictionsFor(model, ctx.evaluation.data, test);
  const predictMs = performance.now() - t0;
  return { config, fold, status: 'ok', ...scoreModel(ctx.evaluation.data, test, truthOf(ctx, fold, test), predicted, model, foldRows(ctx.evaluation, fold).train), fitMs, predictMs };
}

/**
 * Score predictions of the fold's test rows (in test order; a classification's class probabilities, rows ×
 * classes) exactly as evaluateTask does.
 */
export function scoreFoldPredictions(ctx: NativeContext, config: number, fold: number, test: Uint32Array, predicted: Float64Array, fitMs: number, predictMs: number, importances?: Float64Array): TaskOutcome {
  return { config, fold, status: 'ok', ...scoreTruth(ctx.evaluation.data, truthOf(ctx, fold, test), predicted, importances), fitMs, predictMs };
}

/** The labels of the fold's test rows, gathered once per fold (every config of the fold is scored against them). */
function truthOf(ctx: NativeContext, fold: number, test: Uint32Array): Float64Array {
  const key = `truth:${fold}`;
  const hit = ctx.evaluation.cache.get(key) as { test: Uint32Array; truth: Float64Array } | undefined;
  if (hit && hit.test === test) return hit.truth;
  const y = ctx.evaluation.data.y;
  const truth = Float64Array.from(test, (r) => y[r]);
  ctx.evaluation.cache.set(key, { test, truth });
  return truth;
}


/** Folds to run per config, configs in the order their first task appears. */
export { failedOutcome } from '../../tasks.js';

export function foldsByConfig(plan: SweepPlan): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const t of plan.tasks) {
    let folds = out.get(t.config);
    if (!folds) out.set(t.config, (folds = []));
    if (!folds.includes(t.fold)) folds.push(t.fold);
  }
  for (const folds of out.values()) folds.sort((a, b) => a - b);
  return out;
}

/**
 * The per-partition arrays of the workers' replies (each names the partitions it answers for, in its own order),
 * in partition order 0…P−1, the order every merge takes them in; a partition no reply covers is an error.
 */
export function inPartitionOrder<R extends { partitions: readonly number[] }>(replies: readonly R[], arrays: (r: R) => readonly Float64Array[], partitions: number, what: string): Float64Array[] {
  const byPartition = new Map<number, Float64Array>();
  for (const r of replies) r.partitions.forEach((p, k) => byPartition.set(p, arrays(r)[k]));
  return Array.from({ length: partitions }, (_, p) => {
    const part = byPartition.get(p);
    if (!part) throw new Error(`no ${what} for partition ${p}`);
    return part;
  });
}
