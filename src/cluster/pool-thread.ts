/**
 * A pool thread of a cluster worker process: runs one validated job with the SAME code as the local strategies —
 * evaluateTask (thread-pool), the udf strategy's group encoding and built-in/user UDF evaluation, the native
 * strategy's pure partition handlers — over the dataset the process downloaded once and shares with its threads
 * (SharedArrayBuffer, zero copies). Per dataset, a thread keeps what the local threads keep per sweep: fold plans,
 * the model cache (bins, labels), the udf group cache and native partition stores (data of a job's partitions).
 * Heavy work happens here so the process's main thread stays free to renew BullMQ locks.
 */
import '../strategies/udf/user-output.js';
import * as arrow from 'apache-arrow';
import { Piscina } from 'piscina';
import { fromBuffer, type Dataset, type SharedDatasetHandle } from '../data/dataset.js';
import { makeFolds, type Evaluation, type FoldPlan } from '../data/folds.js';
import { partitionBounds } from '../data/partitions.js';
import { getModel } from '../models/registry.js';
import { initPayload, sliceColumns } from '../strategies/native/assign.js';
import { createStore, handleLevelJob, handleLinearJob, type PartitionStore } from '../strategies/native/worker/handler.js';
import type { LevelJob } from '../strategies/native/protocol.js';
import { GroupDataCache } from '../strategies/udf/builtin-udfs.js';
import { encodeGroup } from '../strategies/udf/groups.js';
import { evaluateTask, type EvaluationContext } from '../strategies/evaluate.js';
import { binnedTable, cachedBins } from '../tree/binning.js';
import { histogramLength } from '../tree/histogram.js';
import { cachedLabels } from '../tree/labels.js';
import type { ClusterJob, LevelJobData, LinearJobData, TaskJob, UdfJob } from './jobs.js';
import { failure, type TaskResult } from '../strategies/tasks.js';
import { evaluateUdfGroup, udfErrorRecord } from '../strategies/udf/evaluate-group.js';

export interface PoolMessage {
  job: ClusterJob;
  data: SharedDatasetHandle;
  /** file: URL of the UDF module, resolved by the main thread inside --udf-dir. */
  udfUrl?: string;
}

/** What a task or udf job yields (the driver turns it into a TaskOutcome). */
export type PoolOutcome = TaskResult;

/** Histograms may not exceed this many bytes per job (a forged job must not exhaust memory). */
export const MAX_HISTOGRAM_BYTES = 1 << 30;

interface ThreadData {
  data: Dataset;
  contexts: Map<string, EvaluationContext>;
  stores: Map<string, PartitionStore>;
  groups: GroupDataCache;
}

const datasets = new Map<string, ThreadData>();

function threadData(hash: string, handle: SharedDatasetHandle): ThreadData {
  let d = datasets.get(hash);
  if (!d) {
    d = { data: fromBuffer(handle), contexts: new Map(), stores: new Map(), groups: new GroupDataCache() };
    datasets.set(hash, d);
    // Keep the few most recent datasets (the process keeps the same few).
    while (datasets.size > 4) datasets.delete(datasets.keys().next().value!);
  }
  return d;
}

function evalKey(e: Evaluation): string {
  return e.kind === 'kfold' ? `k${e.folds}` : `h${e.testFraction}`;
}

/** The evaluation context of (data, evaluation, seed, partitions): folds recomputed, deterministic. */
function contextOf(d: ThreadData, job: ClusterJob): EvaluationContext {
  const key = `${evalKey(job.evaluation)}|${job.seed}|${job.partitions}`;
  let ctx = d.contexts.get(key);
  if (!ctx) {
    const folds: FoldPlan = makeFolds(d.data.rows, job.evaluation, job.seed);
    ctx = { data: d.data, folds, seed: job.seed, partitions: job.partitions, cache: new Map() };
    d.contexts.set(key, ctx);
  }
  return ctx;
}

function runTask(d: ThreadData, job: TaskJob): PoolOutcome {
  const o = evaluateTask(contextOf(d, job), getModel(job.model), job.params, job.config, job.fold);
  return { status: 'ok', metrics: { ...o.metrics! }, fitMs: o.fitMs, predictMs: o.predictMs };
}

async function runUdf(d: ThreadData, job: UdfJob, udfUrl: string | undefined): Promise<PoolOutcome> {
  const ctx = contextOf(d, job);
  if (job.module !== undefined && udfUrl === undefined) throw new Error('no UDF module was resolved for this job');
  // The group is built here from the cached dataset, exactly as the local udf strategy builds and ships it, and
  // runs through the same code as there (evaluate-group.ts).
  const group = arrow.tableFromIPC(encodeGroup(d.data, ctx.folds.foldOf, { config: job.config, fold: job.fold, params: job.params }));
  const run = { ...(job.module !== undefined ? { moduleUrl: udfUrl } : {}), model: job.model, dataName: d.data.name, features: d.data.featureNames, target: d.data.targetName, seed: job.seed, partitions: job.partitions, metric: job.metric };
  const out = await evaluateUdfGroup(group, job, run, d.groups);
  return { status: 'ok', metrics: out.metrics, fitMs: out.fitMs, predictMs: out.predictMs };
}

/** The store of a job's partitions (one contiguous row range), built once per thread from the shared dataset. */
function storeOf(d: ThreadData, job: LevelJobData | LinearJobData, partitions: readonly number[], linear: boolean): PartitionStore {
  const ctx = contextOf(d, job);
  const key = `${evalKey(job.evaluation)}|${job.seed}|${job.partitions}|${partitions[0]}-${partitions[partitions.length - 1]}|${linear ? 'lin' : 'rf'}`;
  let store = d.stores.get(key);
  if (!store) {
    // The init message a local native worker gets for these partitions (assign.ts), built from the shared dataset.
    const { data } = d;
    const bounds = partitionBounds(data.rows, job.partitions);
    const block = { partitions: [...partitions], rowStart: bounds[partitions[0]], rowEnd: bounds[partitions[partitions.length - 1] + 1] };
    const src = { data, foldOf: ctx.folds.foldOf, seed: job.seed, partitions: job.partitions, ...(linear ? { linear: true } : { yq: cachedLabels(data.y, ctx.cache).yq }) };
    store = createStore(initPayload(src, block).message);
    d.stores.set(key, store);
  }
  return store;
}

function runLevel(d: ThreadData, job: LevelJobData): Float64Array {
  const level: LevelJob = job.level;
  if (level.partitions[level.partitions.length - 1] >= job.partitions) throw new Error(`job.level.partitions: partition ${level.partitions[level.partitions.length - 1]} does not exist (the sweep has ${job.partitions})`);
  const features = d.data.featureNames.length;
  for (const t of level.trees) {
    for (let i = 0; i < t.partial!.feature.length; i++) {
      if (t.partial!.left[i] >= 0 && t.partial!.feature[i] >= features) throw new Error(`job.level.trees: feature ${t.partial!.feature[i]} does not exist (the data has ${features})`);
    }
  }
  const store = storeOf(d, job, level.partitions, false);
  if (!store.bins.has(level.maxBins)) {
    const ctx = contextOf(d, job);
    const full = cachedBins(d.data, level.maxBins, ctx.cache);
    const rows = store.rowEnd - store.rowStart;
    store.bins.set(level.maxBins, binnedTable(rows, features, sliceColumns(full.codes, d.data.rows, features, store.rowStart, store.rowEnd), [], full.nBins, full.offsets));
  }
  const bytes = 8 * level.slots * histogramLength(store.bins.get(level.maxBins)!);
  if (bytes > MAX_HISTOGRAM_BYTES) throw new Error(`job.level.slots: ${level.slots} slots need ${bytes} bytes of histograms, more than this worker allows (${MAX_HISTOGRAM_BYTES})`);
  return handleLevelJob(store, level);
}

function runLinear(d: ThreadData, job: LinearJobData): { partitions: number[]; stats: Float64Array[] } {
  const m = job.linear;
  if (m.partitions[m.partitions.length - 1] >= job.partitions) throw new Error(`job.linear.partitions: partition ${m.partitions[m.partitions.length - 1]} does not exist`);
  if (m.shift.length !== d.data.featureNames.length + 1) throw new Error(`job.linear.shift: expected ${d.data.featureNames.length + 1} values, got ${m.shift.length}`);
  return { partitions: m.partitions, stats: handleLinearJob(storeOf(d, job, m.partitions, true), m) };
}

/** Task and udf jobs resolve to a PoolOutcome (a failure is data); native jobs resolve to their reply or throw. */
export default async function runClusterJob(m: PoolMessage): Promise<unknown> {
  const d = threadData(m.job.dataHash, m.data);
  const job = m.job;
  switch (job.kind) {
    case 'task':
      try {
        return runTask(d, job);
      } catch (err) {
        return failure(err) satisfies PoolOutcome;
      }
    case 'udf':
      try {
        return await runUdf(d, job, m.udfUrl);
      } catch (err) {
        return failure(udfErrorRecord(err, m.udfUrl)) satisfies PoolOutcome;
      }
    case 'level':
      return Piscina.move(runLevel(d, job));
    case 'linear':
      return runLinear(d, job);
  }
}
