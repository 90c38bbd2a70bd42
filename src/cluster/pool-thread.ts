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
import { classCount, fromBuffer, type Dataset, type SharedDatasetHandle } from '../data/dataset.js';
import { planFolds, type Evaluation, type FoldPlan } from '../data/folds.js';
import { partitionBounds } from '../data/partitions.js';
import { getModel } from '../models/registry.js';
import { initPayload, type PayloadSource } from '../strategies/native/assign.js';
import {
  createStore, handleEdgesJob, handleLevel, handleLinearJob, handleLinearPredictJob, handleLogisticJob, handlePredictJob, handleSubtreeJob, stateBytes, type PartitionStore,
} from '../strategies/native/worker/handler.js';
import type { WorkerReply } from '../strategies/native/protocol.js';
import { array, fail, int, object, typed } from './schema.js';
import { BoundedCache } from '../util/cache.js';
import type { StoredBins } from './native-driver.js';
import { GroupDataCache } from '../strategies/udf/builtin-udfs.js';
import { encodeGroup } from '../strategies/udf/groups.js';
import { evaluateTask, type EvaluationContext } from '../strategies/evaluate.js';
import { categoricalFeatures, edgesOf, hasMissingBin } from '../tree/binning.js';
import { designWidth } from '../models/linear/design.js';
import { histogramLength } from '../tree/histogram.js';
import { cachedLabels } from '../tree/labels.js';
import { needsBins, type ClusterJob, type NativeJobData, type NativeMessage, type TaskJob, type UdfJob } from './jobs.js';
import { failure, type TaskResult } from '../strategies/tasks.js';
import { evaluateUdfGroup, udfErrorRecord } from '../strategies/udf/evaluate-group.js';

export interface PoolMessage {
  job: ClusterJob;
  data: SharedDatasetHandle;
  /** file: URL of the UDF module, resolved by the main thread inside --udf-dir. */
  udfUrl?: string;
  /** A native forest job's stored bins (keys.ts binsKey), as the main thread read them from Redis. */
  bins?: string;
}

/** What a task or udf job yields (the driver turns it into a TaskOutcome). */
export type PoolOutcome = TaskResult;

/** Histograms may not exceed this many bytes per job (a forged job must not exhaust memory). */
export const MAX_HISTOGRAM_BYTES = 1 << 30;

interface ThreadData {
  data: Dataset;
  handle: SharedDatasetHandle;
  contexts: Map<string, EvaluationContext>;
  /** A few stores per thread (a run's blocks, a linear sweep's). */
  stores: BoundedCache<PartitionStore>;
  /** Stored bins, checked, by their text. */
  bins: BoundedCache<StoredBins>;
  groups: GroupDataCache;
}

/** The few most recent datasets (the process keeps the same few). */
const datasets = new BoundedCache<ThreadData>(4);

function threadData(hash: string, handle: SharedDatasetHandle): ThreadData {
  let d = datasets.get(hash);
  if (!d) d = datasets.set(hash, { data: fromBuffer(handle), handle, contexts: new Map(), stores: new BoundedCache(8), bins: new BoundedCache(4), groups: new GroupDataCache() });
  return d;
}

function evalKey(e: Evaluation): string {
  return JSON.stringify(e);
}

/** The evaluation context of (data, evaluation, seed, partitions): folds recomputed, deterministic. */
function contextOf(d: ThreadData, job: ClusterJob): EvaluationContext {
  const key = `${evalKey(job.evaluation)}|${job.seed}|${job.partitions}`;
  let ctx = d.contexts.get(key);
  if (!ctx) {
    const folds: FoldPlan = planFolds(d.data, job.evaluation, job.seed);
    ctx = { data: d.data, folds, seed: job.seed, partitions: job.partitions, cache: new Map() };
    d.contexts.set(key, ctx);
  }
  return ctx;
}

function runTask(d: ThreadData, job: TaskJob): PoolOutcome {
  const o = evaluateTask(contextOf(d, job), getModel(job.model), job.params, job.config, job.fold);
  return { status: 'ok', metrics: { ...o.metrics! }, fitMs: o.fitMs, predictMs: o.predictMs, ...(o.diagnostics ? { diagnostics: o.diagnostics } : {}) };
}

async function runUdf(d: ThreadData, job: UdfJob, udfUrl: string | undefined): Promise<PoolOutcome> {
  const ctx = contextOf(d, job);
  if (job.module !== undefined && udfUrl === undefined) throw new Error('no UDF module was resolved for this job');
  // The group is built here from the cached dataset, exactly as the local udf strategy builds and ships it, and
  // runs through the same code as there (evaluate-group.ts).
  const group = arrow.tableFromIPC(encodeGroup(d.data, ctx.folds, { config: job.config, fold: job.fold, params: job.params }, job.module !== undefined));
  const run = { ...(job.module !== undefined ? { moduleUrl: udfUrl } : {}), model: job.model, dataName: d.data.name, features: d.data.featureNames, target: d.data.targetName, seed: job.seed, partitions: job.partitions, metric: job.metric };
  const out = await evaluateUdfGroup(group, job, run, d.groups);
  return { status: 'ok', metrics: out.metrics, fitMs: out.fitMs, predictMs: out.predictMs, ...(out.diagnostics ? { diagnostics: out.diagnostics } : {}) };
}

/**
 * The store of a job's block (one contiguous row range), built once per thread as a local native worker's is
 * (assign.ts initPayload → createStore): the forest's codes binned HERE from the shared dataset with the run's
 * stored thresholds (only the block's rows), or the block's raw columns for a linear model.
 */
function storeOf(d: ThreadData, job: NativeJobData, bins: StoredBins | undefined): PartitionStore {
  const ctx = contextOf(d, job);
  const linear = bins === undefined;
  const key = `${evalKey(job.evaluation)}|${job.seed}|${job.partitions}|${job.block[0]}-${job.block[job.block.length - 1]}|${linear ? 'lin' : `rf:${job.jobId.slice(0, job.jobId.indexOf('-'))}`}`;
  let store = d.stores.get(key);
  if (!store) {
    const { data } = d;
    const bounds = partitionBounds(data.rows, job.partitions);
    const block = { partitions: [...job.block], rowStart: bounds[job.block[0]], rowEnd: bounds[job.block[job.block.length - 1] + 1] };
    const src: PayloadSource = { data, roles: ctx.folds.roles, seed: job.seed, partitions: job.partitions, table: d.handle };
    if (linear) src.linear = true;
    else {
      const labels = cachedLabels(data.y, ctx.cache, classCount(data));
      src.yq = labels.yq;
      src.labelWidth = labels.width;
      src.bins = bins.bins.map((b) => ({ maxBins: b.maxBins, binned: edgesOf(b.thresholds, data.rows, b.values, categoricalFeatures(data)) }));
    }
    store = d.stores.set(key, createStore(initPayload(src, block).message));
  }
  return store;
}

/**
 * The run's stored bins, checked once per thread with the job schema's checks (schema.ts): per maxBins one
 * threshold array per feature, fewer values than bins, ascending and finite.
 */
function binsOf(d: ThreadData, text: string | undefined): StoredBins {
  if (text === undefined) throw new Error('this run stored no forest bins (its driver is gone, or the job is forged)');
  const hit = d.bins.get(text);
  if (hit) return hit;
  const F = d.data.featureNames.length;
  const stored = object({ bins: array(object({ maxBins: int(2, 255), thresholds: array(typed('Float64Array', 255), F), values: array(typed('Float64Array', 256), F) }), 64) })(JSON.parse(text), 'bins');
  for (const b of stored.bins) {
    if (b.thresholds.length !== F) fail('bins.thresholds', `one array per feature (${F})`, b.thresholds.length);
    if (b.values.length !== F) fail('bins.values', `one array per feature (${F})`, b.values.length);
    b.thresholds.forEach((t, j) => {
      // A feature with missing values has one more threshold, MISSING_EDGE, and its missing bin's value is NaN.
      const missing = hasMissingBin(t) ? 1 : 0;
      if (t.length - missing >= b.maxBins) fail('bins.thresholds', `fewer than ${b.maxBins} values`, t.length);
      for (let k = 0; k < t.length; k++) if (!Number.isFinite(t[k]) || (k > 0 && t[k] <= t[k - 1])) fail('bins.thresholds', 'ascending finite values', t[k]);
      const v = b.values[j];
      if (v.length !== 0 && v.length !== t.length + 1) fail('bins.values', `none or one per bin (${t.length + 1})`, v.length);
      const last = missing ? v.length - 1 : v.length;
      for (let k = 0; k < last; k++) if (!Number.isFinite(v[k]) || (k > 0 && v[k] <= v[k - 1])) fail('bins.values', 'ascending finite values', v[k]);
      if (missing && v.length > 0 && !Number.isNaN(v[last])) fail('bins.values', 'NaN for the missing-values bin', v[last]);
    });
  }
  return d.bins.set(text, stored);
}

/** Checks a native message needs beyond the job schema: what depends on the dataset (features, rows). */
function checkAgainstData(d: ThreadData, m: NativeMessage): void {
  const F = d.data.featureNames.length;
  const feature = (list: ArrayLike<number>, what: string) => {
    for (let i = 0; i < list.length; i++) if (list[i] >= F) throw new Error(`${what}: feature ${list[i]} does not exist (the data has ${F})`);
  };
  if (m.type === 'edges') {
    feature(m.features, 'job.message.features');
    if (m.sample && m.sample.length > 0 && m.sample[m.sample.length - 1] >= d.data.rows) throw new Error(`job.message.sample: row ${m.sample[m.sample.length - 1]} does not exist (the data has ${d.data.rows})`);
  } else if (m.type === 'level') {
    for (const t of m.trees) for (let i = 0; i < t.partial!.feature.length; i++) if (t.partial!.left[i] >= 0 && t.partial!.feature[i] >= F) throw new Error(`job.message.trees: feature ${t.partial!.feature[i]} does not exist (the data has ${F})`);
  } else if (m.type === 'predict') {
    for (let i = 0; i < m.feature.length; i++) if (m.left[i] >= 0 && m.feature[i] >= F) throw new Error(`job.message.feature: feature ${m.feature[i]} does not exist (the data has ${F})`);
  } else if (m.type === 'subtree') {
    m.pieces.forEach((p, k) => {
      if (p.codes.length !== p.counts.length * F) throw new Error(`job.message.pieces[${k}].codes: expected ${p.counts.length} rows × ${F} features`);
    });
  }
  if (m.type !== 'linear' && m.type !== 'logistic' && m.type !== 'linear-predict') return;
  // The linear jobs: a design (on data with categories or missing values) sets the width of their columns.
  const design = m.design?.design;
  if (design && design.levels.length !== F) throw new Error(`job.message.design: ${design.levels.length} features, the data has ${F}`);
  if (design) {
    design.levels.forEach((lv, j) => {
      const t = d.data.featureInfo?.[j];
      const categories = t?.kind === 'categorical' ? t.categories.length : 0;
      if ((lv === null) !== (categories === 0) || lv?.some((c) => c >= categories)) throw new Error(`job.message.design: feature ${j + 1} does not match the data's type`);
    });
  }
  checkLinearWidth(d, m, design ? designWidth(design) : F);
}

/** The linear jobs' arrays against the width of the columns they are over (F features, or a design's columns). */
function checkLinearWidth(d: ThreadData, m: NativeMessage, F: number): void {
  if (m.type === 'linear') {
    if (m.shift.length !== F + 1) throw new Error(`job.message.shift: expected ${F + 1} values, got ${m.shift.length}`);
  } else if (m.type === 'logistic') {
    const r = m.request;
    const classes = d.data.classes?.length ?? 0;
    if (m.classes !== classes) throw new Error(`job.message.classes: the data has ${classes} classes, the job ${m.classes}`);
    if (r.kind === 'spread' && r.mean.length !== F) throw new Error(`job.message.request.mean: expected ${F} values, got ${r.mean.length}`);
    if (r.kind === 'terms' || r.kind === 'separates') {
      const N = r.model.m * (F + 1);
      if (r.model.mean.length !== F || r.model.std.length !== F) throw new Error(`job.message.request.model: expected ${F} means and stds`);
      if (r.theta.length !== N || r.model.free.length !== N) throw new Error(`job.message.request: expected ${N} parameters (${r.model.m} × ${F + 1})`);
      if (r.model.m !== (r.model.binomial ? 1 : classes)) throw new Error(`job.message.request.model.m: expected ${r.model.binomial ? 1 : classes}`);
    }
  } else if (m.type === 'linear-predict' && m.intercepts.length * F !== m.coefficients.length) {
    throw new Error(`job.message.coefficients: expected ${m.intercepts.length} models × ${F} features, got ${m.coefficients.length} values`);
  }
}

/** One native job, by the handler a local native thread runs for it (worker/handler.ts). */
function runNative(d: ThreadData, job: NativeJobData, binsText: string | undefined): WorkerReply {
  const m = job.message;
  checkAgainstData(d, m);
  if (m.type === 'edges') return { type: 'edges', job: m.job, ...handleEdgesJob(m, d.data) };
  // A forest's store bins its rows with the run's stored thresholds; a linear one holds the raw columns.
  const store = storeOf(d, job, needsBins(m) ? binsOf(d, binsText) : undefined);
  if (m.type === 'linear') return { type: 'linear', job: m.job, partitions: m.partitions, stats: handleLinearJob(store, m) };
  if (m.type === 'logistic') return { type: 'logistic', job: m.job, partitions: m.partitions, sums: handleLogisticJob(store, m) };
  if (m.type === 'linear-predict') return { type: 'linear-predictions', job: m.job, values: handleLinearPredictJob(store, m) };
  if (m.type === 'predict') return { type: 'predictions', job: m.job, values: handlePredictJob(store, m) };
  if (m.type === 'subtree') return handleSubtreeJob(store, m);
  const binned = store.bins.get(m.maxBins);
  if (binned) {
    const bytes = 8 * m.slots * histogramLength(binned, store.width);
    if (bytes > MAX_HISTOGRAM_BYTES) throw new Error(`job.message.slots: ${m.slots} slots need ${bytes} bytes of histograms, more than this worker allows (${MAX_HISTOGRAM_BYTES})`);
  }
  const { hist, samples } = handleLevel(store, m);
  return { type: 'histograms', job: m.job, hist, stateBytes: stateBytes(store) + hist.byteLength, ...(samples ? { samples } : {}) };
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
    case 'native':
      return runNative(d, job, m.bins);
  }
}
