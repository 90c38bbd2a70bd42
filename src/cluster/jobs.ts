/**
 * The cluster's jobs: plain data, checked field by field before a worker acts on them (schema.ts). Four kinds:
 *   task   — a thread-pool task: fit and score one (config, fold) with a built-in model (evaluateTask);
 *   udf    — a udf-strategy task: the worker builds the (config, fold) group from its cached dataset and runs a
 *            built-in model or a UDF module named by FILE NAME, looked up in the worker's own --udf-dir;
 *   level  — a native forest level job addressed to partitions, STATELESS (it carries every partial tree);
 *   linear — a native linear job: per-partition sufficient statistics of one fold.
 * Every job names its sweep and its dataset by content hash; the data itself never travels in a job.
 */
import type { Evaluation } from '../data/folds.js';
import type { ModelKind } from '../models/model.js';
import type { Params, ParamValue } from '../models/params.js';
import type { LevelJob, LevelTree, LinearJob } from '../strategies/native/protocol.js';
import { METRIC_NAMES } from '../eval/metrics.js';
import { parseParamValue } from '../models/params.js';
import { getModel, MODEL_KINDS } from '../models/registry.js';
import { DATA_HASH, NATIVE_JOB_ID, SWEEP_ID, TASK_ID } from './keys.js';
import { array, bool, fail, finite, int, JobSchemaError, literal, object, oneOf, record, text, typed, type Check } from './schema.js';

export const JOB_VERSION = 1;

interface JobBase {
  v: typeof JOB_VERSION;
  sweepId: string;
  dataHash: string;
  seed: number;
  partitions: number;
  evaluation: Evaluation;
  /** Fail the attempt after this long (from --task-timeout). */
  timeoutMs?: number;
}

export interface TaskJob extends JobBase {
  kind: 'task';
  taskId: string;
  model: ModelKind;
  params: Params;
  config: number;
  fold: number;
}

export interface UdfJob extends JobBase {
  kind: 'udf';
  taskId: string;
  model: ModelKind;
  /** A UDF module's file name inside the worker's --udf-dir; absent: the built-in model as a UDF. */
  module?: string;
  metric: string;
  params: Params;
  config: number;
  fold: number;
}

export interface LevelJobData extends JobBase {
  kind: 'level';
  jobId: string;
  level: LevelJob;
}

export interface LinearJobData extends JobBase {
  kind: 'linear';
  jobId: string;
  linear: LinearJob;
}

export type ClusterJob = TaskJob | UdfJob | LevelJobData | LinearJobData;

/** A UDF module name: a plain file name (no path separators, no ".."), .mjs or .js. */
export const MODULE_NAME = /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\.(mjs|js)$/;

const MAX_PARTITIONS = 4096;
const MAX_NODES = 1 << 22;

const evaluation: Check<Evaluation> = oneOf(
  '{kind: "kfold", folds} or {kind: "holdout", testFraction}',
  object({ kind: literal('kfold'), folds: int(2, 255) }) as Check<Evaluation>,
  (v, path) => {
    const e = object({ kind: literal('holdout'), testFraction: finite })(v, path);
    return e.testFraction > 0 && e.testFraction < 1 ? e : fail(`${path}.testFraction`, 'a number between 0 and 1', e.testFraction);
  },
);

const paramValue: Check<ParamValue> = (v, path) =>
  typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 200) ? v : fail(path, 'a number, a boolean or a short string', v);

const params = record(/^[A-Za-z_$][\w$]{0,63}$/, paramValue, 64);

const base = {
  v: literal(JOB_VERSION),
  sweepId: text(SWEEP_ID, 'a sweep id (16 hex digits)'),
  dataHash: text(DATA_HASH, 'a sha256 (64 hex digits)'),
  seed: int(0, 2 ** 32 - 1),
  partitions: int(1, MAX_PARTITIONS),
  evaluation,
};
const baseOptional = { timeoutMs: int(1, 2 ** 31 - 1) };
const taskFields = {
  taskId: text(TASK_ID, 'a task id (t + 32 hex digits)'),
  model: literal<ModelKind>(...MODEL_KINDS),
  params,
  config: int(0, 2 ** 31 - 1),
  fold: int(0, 254),
};

const moduleName: Check<string> = (v, path) => {
  if (typeof v !== 'string') return fail(path, 'a module file name', v);
  if (/[/\\]/.test(v) || v.includes('..') || v.includes('\u0000')) {
    throw new JobSchemaError(`${path}: ${JSON.stringify(v)} is not a plain file name inside the worker's --udf-dir (no path separators, no "..")`);
  }
  return MODULE_NAME.test(v) ? v : fail(path, 'a .mjs or .js file name', v);
};

/** Partitions of a job: distinct, ascending and contiguous (one row range). */
const partitionList: Check<number[]> = (v, path) => {
  const list = array(int(0, MAX_PARTITIONS - 1), MAX_PARTITIONS)(v, path);
  if (list.length === 0) return fail(path, 'at least one partition', v);
  for (let i = 1; i < list.length; i++) if (list[i] !== list[i - 1] + 1) return fail(path, 'ascending contiguous partition numbers', v);
  return list;
};

/** A partial tree: parallel arrays, children after their parent (so routing always ends at a leaf). */
const partialTree: Check<LevelTree['partial'] & object> = (v, path) => {
  const t = object({
    feature: typed('Int32Array', MAX_NODES),
    binThreshold: typed('Uint8Array', MAX_NODES),
    left: typed('Int32Array', MAX_NODES),
    right: typed('Int32Array', MAX_NODES),
  })(v, path);
  // Empty arrays: the root is not split yet (every row is at node 0).
  const n = t.left.length;
  if (t.feature.length !== n || t.binThreshold.length !== n || t.right.length !== n) return fail(path, 'arrays of equal length', v);
  for (let i = 0; i < n; i++) {
    const l = t.left[i];
    const r = t.right[i];
    if (l === -1 && r === -1) continue;
    if (!(l > i && l < n && r > i && r < n)) return fail(`${path}.left/right[${i}]`, `child nodes after ${i} and before ${n}`, `${l}, ${r}`);
    if (t.feature[i] < 0) return fail(`${path}.feature[${i}]`, 'a feature index', t.feature[i]);
  }
  return t;
};

function levelTree(slots: number): Check<LevelTree> {
  return (v, path) => {
    const t = object(
      { id: int(0, 2 ** 31 - 1), fold: int(0, 254), t: int(0, 1_000_000), bootstrap: bool, level: int(0, 10_000), partial: partialTree, slotOfNode: typed('Int32Array', MAX_NODES) },
    )(v, path);
    for (const s of t.slotOfNode) if (!(s === -1 || (s >= 0 && s < slots))) return fail(`${path}.slotOfNode`, `slots from -1 to ${slots - 1}`, s);
    return t as LevelTree;
  };
}

const levelJob: Check<LevelJob> = (v, path) => {
  const j = object({ type: literal('level'), job: int(0, 2 ** 31 - 1), maxBins: int(2, 255), partitions: partitionList, slots: int(0, 1 << 24), trees: (x) => x })(v, path);
  return { ...j, trees: array(levelTree(j.slots), 100_000)(j.trees, `${path}.trees`) } as LevelJob;
};

const linearJob: Check<LinearJob> = (v, path) =>
  object({ type: literal('linear'), job: int(0, 2 ** 31 - 1), fold: int(0, 254), partitions: partitionList, shift: typed('Float64Array', 100_000) })(v, path) as LinearJob;

/**
 * A built-in model's params are checked with the same ParamSpecs as the CLI's flags: every name known, every
 * value one the CLI would accept (and in the form it would produce), so a forged job cannot run `numTrees: -5`.
 */
function builtinParams(job: { model: ModelKind; params: Params }, path: string): void {
  const specs = getModel(job.model).params;
  for (const [name, value] of Object.entries(job.params)) {
    const spec = specs.find((p) => p.name === name);
    if (!spec) throw new JobSchemaError(`${path}.params.${name}: not a parameter of model ${job.model}`);
    let parsed: ParamValue;
    try {
      parsed = parseParamValue(spec, value, `${path}.params`);
    } catch (err) {
      throw new JobSchemaError(err instanceof Error ? err.message : String(err));
    }
    if (parsed !== value) fail(`${path}.params.${name}`, `the value ${JSON.stringify(parsed)}`, value);
  }
}

/** A metric name a UDF's result may be looked up by: no name of Object.prototype's members ("__proto__"). */
const metricName: Check<string> = (v, path) => {
  const name = text(/^[\w.-]{1,64}$/, 'a metric name')(v, path);
  if (name in Object.prototype) return fail(path, 'a metric name (not a name of Object.prototype)', v);
  return name;
};

const withParams = <J extends { model: ModelKind; params: Params; module?: string; metric?: string }>(check: Check<J>): Check<J> => (v, path) => {
  const job = check(v, path);
  if (job.module === undefined) {
    builtinParams(job, path);
    if (job.metric !== undefined && !(METRIC_NAMES as readonly string[]).includes(job.metric)) fail(`${path}.metric`, `one of ${METRIC_NAMES.join(', ')}`, job.metric);
  }
  return job;
};

const jobChecks: Record<ClusterJob['kind'], Check<ClusterJob>> = {
  task: withParams(object({ ...base, kind: literal('task'), ...taskFields }, baseOptional) as Check<TaskJob>) as Check<ClusterJob>,
  udf: withParams(object({ ...base, kind: literal('udf'), ...taskFields, metric: metricName }, { ...baseOptional, module: moduleName }) as Check<UdfJob>) as Check<ClusterJob>,
  level: object({ ...base, kind: literal('level'), jobId: text(NATIVE_JOB_ID, 'a native job id'), level: levelJob }, baseOptional) as Check<ClusterJob>,
  linear: object({ ...base, kind: literal('linear'), jobId: text(NATIVE_JOB_ID, 'a native job id'), linear: linearJob }, baseOptional) as Check<ClusterJob>,
};

/** Check a job's data (as BullMQ hands it over: parsed JSON); typed arrays come back decoded. Throws JobSchemaError. */
export function validateJob(data: unknown): ClusterJob {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return fail('job', 'an object', data);
  const kind = (data as { kind?: unknown }).kind;
  const check = typeof kind === 'string' && Object.hasOwn(jobChecks, kind) ? jobChecks[kind as ClusterJob['kind']] : undefined;
  if (!check) return fail('job.kind', `one of ${Object.keys(jobChecks).join(', ')}`, kind);
  return check(data, 'job');
}

/** The id a job's result is recorded under. */
export function resultIdOf(job: ClusterJob): string {
  return job.kind === 'task' || job.kind === 'udf' ? job.taskId : job.jobId;
}

