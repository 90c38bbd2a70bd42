/**
 * The cluster's jobs: plain data, checked field by field before a worker acts on them (schema.ts). Three kinds:
 *   task   — a thread-pool task: fit and score one (config, fold) with a built-in model (evaluateTask);
 *   udf    — a udf-strategy task: the worker builds the (config, fold) group from its cached dataset and runs a
 *            built-in model or a UDF module named by FILE NAME, looked up in the worker's own --udf-dir;
 *   native — one native-strategy job (protocol.ts: edges, level, subtree, predict, linear, linear-predict) for a
 *            block of partitions, run by the same handler as on a local native thread. Level jobs are STATELESS
 *            (they carry every partial tree), so any worker can (re)do any job from the cached dataset and the
 *            forest's bin thresholds, which the driver stores once per run (keys.ts binsKey).
 * Every job names its sweep and its dataset by content hash; the data itself never travels in a job.
 */
import { MAX_FOLDS, MAX_REPEATS, type Evaluation } from '../data/folds.js';
import type { ModelKind } from '../models/model.js';
import type { Params, ParamValue } from '../models/params.js';
import { ROOT_FIELDS, type DesignRef, type EdgesJob, type LevelJob, type LevelTree, type LinearJob, type LinearPredictJob, type LogisticJob, type NodeSampleReply, type PredictJob, type SubtreeJob } from '../strategies/native/protocol.js';
import type { LogisticRequest } from '../models/linear/logistic.js';
import { loadDesign } from '../models/linear/design.js';
import { SET_WORDS } from '../tree/tree.js';
import { METRIC_NAMES } from '../eval/metrics.js';
import { CLASSIFICATION_METRICS } from '../eval/classification.js';
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

/** The native jobs a cluster worker answers: every one a local native thread answers (edges without the table). */
export type NativeMessage = EdgesJob | LevelJob | SubtreeJob | PredictJob | LinearJob | Omit<LinearPredictJob, 'buffer'> | LogisticJob;

export interface NativeJobData extends JobBase {
  kind: 'native';
  jobId: string;
  /** The block of partitions the job is addressed to (contiguous): the rows its store holds. */
  block: number[];
  message: NativeMessage;
}

export type ClusterJob = TaskJob | UdfJob | NativeJobData;

/** The native jobs that read the forest's bins (binsKey): their store bins its rows with the stored thresholds. */
export function needsBins(m: NativeMessage): boolean {
  return m.type === 'level' || m.type === 'subtree' || m.type === 'predict';
}

/** A UDF module name: a plain file name (no path separators, no ".."), .mjs or .js. */
export const MODULE_NAME = /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\.(mjs|js)$/;

const MAX_PARTITIONS = 4096;
/** A split's index: up to 255 folds × 100 repeats (data/folds.ts). */
const foldIndex = int(0, MAX_FOLDS * MAX_REPEATS - 1);
const MAX_NODES = 1 << 22;

const noShuffle = { shuffle: ((v, path) => (v === false ? false : fail(path, 'false', v))) as Check<false> };
const columnName = text(/^[^\u0000]{1,1000}$/, 'a column name');
const evaluation: Check<Evaluation> = oneOf(
  '{kind: "kfold", folds}, {kind: "holdout", testFraction}, {kind: "time-series", splits}, {kind: "fold-column", column} or {kind: "group-kfold", folds, column}',
  object({ kind: literal('kfold'), folds: int(2, MAX_FOLDS) }, { ...noShuffle, repeats: int(1, MAX_REPEATS) }) as Check<Evaluation>,
  (v, path) => {
    const e = object({ kind: literal('holdout'), testFraction: finite }, noShuffle)(v, path);
    return e.testFraction > 0 && e.testFraction < 1 ? e : fail(`${path}.testFraction`, 'a number between 0 and 1', e.testFraction);
  },
  object({ kind: literal('time-series'), splits: int(2, MAX_FOLDS) }) as Check<Evaluation>,
  object({ kind: literal('fold-column'), column: columnName }) as Check<Evaluation>,
  object({ kind: literal('group-kfold'), folds: int(2, MAX_FOLDS), column: columnName }) as Check<Evaluation>,
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
  fold: foldIndex,
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

/** A tree's set indices (tree.ts): −1 or a set of `sets`, SET_WORDS words each. */
function checkSets(path: string, set: Int32Array, sets: Int32Array, nodes: number): void {
  if (set.length !== nodes && set.length !== 0) fail(`${path}.set`, `${nodes} set indices, or none`, set.length);
  if (sets.length % SET_WORDS !== 0) fail(`${path}.sets`, `a multiple of ${SET_WORDS} words`, sets.length);
  const count = sets.length / SET_WORDS;
  const what = count === 0 ? '-1 (the tree has no sets)' : `-1 or a set from 0 to ${count - 1}`;
  for (let i = 0; i < set.length; i++) if (!(set[i] >= -1 && set[i] < count)) fail(`${path}.set[${i}]`, what, set[i]);
}

/** A partial tree: parallel arrays, children after their parent (so routing always ends at a leaf). */
const partialTree: Check<LevelTree['partial'] & object> = (v, path) => {
  const t = object({
    feature: typed('Int32Array', MAX_NODES),
    binThreshold: typed('Uint8Array', MAX_NODES),
    left: typed('Int32Array', MAX_NODES),
    right: typed('Int32Array', MAX_NODES),
    set: typed('Int32Array', MAX_NODES),
    sets: typed('Int32Array', MAX_NODES * SET_WORDS),
  })(v, path);
  // Empty arrays: the root is not split yet (every row is at node 0).
  const n = t.left.length;
  if (t.feature.length !== n || t.binThreshold.length !== n || t.right.length !== n) return fail(path, 'arrays of equal length', v);
  checkSets(path, t.set, t.sets, n);
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
      { id: int(0, 2 ** 31 - 1), fold: foldIndex, t: int(0, 1_000_000), bootstrap: bool, level: int(0, 10_000), partial: partialTree, slotOfNode: typed('Int32Array', MAX_NODES) },
      { samples: typed('Int32Array', MAX_NODES) },
    )(v, path);
    if (t.samples) for (const node of t.samples) if (node < 0) return fail(`${path}.samples`, 'node ids', node);
    for (const s of t.slotOfNode) if (!(s === -1 || (s >= 0 && s < slots))) return fail(`${path}.slotOfNode`, `slots from -1 to ${slots - 1}`, s);
    return t as LevelTree;
  };
}

const levelJob: Check<LevelJob> = (v, path) => {
  const j = object({ type: literal('level'), job: int(0, 2 ** 31 - 1), maxBins: int(2, 255), partitions: partitionList, slots: int(0, 1 << 24), trees: (x) => x })(v, path);
  return { ...j, trees: array(levelTree(j.slots), 100_000)(j.trees, `${path}.trees`) } as LevelJob;
};

/** A linear design (models/linear/design.ts) and its id, checked by the design's own loader. */
const designRef: Check<DesignRef> = (v, path) => {
  const r = object({ id: text(/^\d{1,5}\|(mean|median|most_frequent)$/, 'a design id (fold|impute)'), design: (x) => x })(v, path);
  const raw = r.design as { fill?: unknown };
  const features = Array.isArray(raw?.fill) ? raw.fill.length : -1;
  if (features < 1 || features > MAX_FEATURES) fail(`${path}.design.fill`, `1 to ${MAX_FEATURES} values`, raw?.fill);
  try {
    return { id: r.id, design: loadDesign(r.design, features) };
  } catch (err) {
    return fail(`${path}.design`, (err as Error).message.replace(/^the saved model's design /, 'a design that '), '');
  }
};

const linearJob: Check<LinearJob> = (v, path) =>
  object({ type: literal('linear'), job: int(0, 2 ** 31 - 1), fold: foldIndex, partitions: partitionList, shift: typed('Float64Array', 100_000) }, { design: designRef })(v, path) as LinearJob;

const jobNumber = int(0, 2 ** 31 - 1);
const MAX_FEATURES = 100_000;

const edgesJob: Check<EdgesJob> = (v, path) => {
  const j = object(
    { type: literal('edges'), job: jobNumber, maxBins: array(int(2, 255), 64), features: array(int(0, MAX_FEATURES - 1), MAX_FEATURES) },
    { sample: typed('Uint32Array', 1 << 26) },
  )(v, path);
  if (j.sample) for (let k = 1; k < j.sample.length; k++) if (j.sample[k] <= j.sample[k - 1]) return fail(`${path}.sample`, 'ascending row numbers', j.sample[k]);
  return j as EdgesJob;
};

/** Packed trees (protocol.ts PackedTrees): node counts that sum to the arrays' length, children after their parent. */
function packedTrees<T extends PredictJob>(check: Check<T>): Check<T> {
  return (v, path) => {
    const p = check(v, path);
    const n = p.feature.length;
    if ([p.binThreshold, p.left, p.right].some((a) => a.length !== n) || n === 0 || p.value.length % n !== 0 || p.value.length === 0) return fail(path, 'tree arrays of equal length (values: a whole number per node)', v);
    checkSets(path, p.set, p.sets, n);
    let at = 0;
    for (const size of p.nodes) {
      if (size < 1 || at + size > n) return fail(`${path}.nodes`, `tree sizes from 1 that sum to ${n}`, size);
      for (let i = 0; i < size; i++) {
        const l = p.left[at + i];
        const r = p.right[at + i];
        if (l === -1 && r === -1) continue;
        if (!(l > i && l < size && r > i && r < size)) return fail(`${path}.left/right[${at + i}]`, `child nodes after ${i} and before ${size}`, `${l}, ${r}`);
        if (p.feature[at + i] < 0) return fail(`${path}.feature[${at + i}]`, 'a feature index', p.feature[at + i]);
      }
      at += size;
    }
    if (at !== n) return fail(`${path}.nodes`, `tree sizes that sum to ${n}`, at);
    return p;
  };
}

const predictJob: Check<PredictJob> = packedTrees(
  object({
    type: literal('predict'), job: jobNumber, maxBins: int(2, 255), fold: foldIndex, nodes: typed('Int32Array', 1 << 20),
    feature: typed('Int32Array', MAX_NODES), binThreshold: typed('Uint8Array', MAX_NODES), left: typed('Int32Array', MAX_NODES), right: typed('Int32Array', MAX_NODES), value: typed('Float64Array', 1 << 28),
    set: typed('Int32Array', MAX_NODES), sets: typed('Int32Array', MAX_NODES * SET_WORDS),
  }) as Check<PredictJob>,
);

const samplePiece: Check<NodeSampleReply> = (v, path) => {
  const p = object({ sizes: typed('Int32Array', MAX_NODES), codes: typed('Uint8Array', 1 << 30), counts: typed('Uint8Array', 1 << 26), yq: typed('Float64Array', 1 << 26) })(v, path);
  let rows = 0;
  for (const m of p.sizes) {
    if (m < 0) return fail(`${path}.sizes`, 'row counts', m);
    rows += m;
  }
  if (p.counts.length !== rows || p.yq.length !== rows) return fail(path, `${rows} counts and labels (the sum of sizes)`, `${p.counts.length}, ${p.yq.length}`);
  if (rows === 0 ? p.codes.length !== 0 : p.codes.length % rows !== 0) return fail(`${path}.codes`, `a whole number of features × ${rows} rows`, p.codes.length);
  return p;
};

const subtreeJob: Check<SubtreeJob> = (v, path) => {
  const j = object({ type: literal('subtree'), job: jobNumber, maxBins: int(2, 255), unit: finite, center: finite, roots: typed('Float64Array', MAX_NODES), pieces: array(samplePiece, MAX_PARTITIONS) })(v, path);
  if (j.roots.length % ROOT_FIELDS !== 0) return fail(`${path}.roots`, `${ROOT_FIELDS} fields per node`, j.roots.length);
  const nodes = j.roots.length / ROOT_FIELDS;
  for (let i = 0; i < nodes; i++) {
    const r = j.roots.subarray(i * ROOT_FIELDS, (i + 1) * ROOT_FIELDS);
    // (tree seed, depth, path key, maxDepth, maxFeatures, minSamplesLeaf, criterion): whole numbers (maxDepth may be
    // Infinity), maxFeatures and minSamplesLeaf ≥ 1, criterion 0 or 1.
    const whole = r.every((x, k) => (Number.isInteger(x) || (k === 3 && x === Infinity)) && x >= 0);
    if (!whole || r[4] < 1 || r[5] < 1 || r[6] > 1) return fail(`${path}.roots[${i}]`, 'whole (seed, depth, key, maxDepth or Infinity, maxFeatures ≥ 1, minSamplesLeaf ≥ 1, criterion 0 or 1)', Array.from(r).join(', '));
  }
  j.pieces.forEach((p, k) => p.sizes.length !== nodes && fail(`${path}.pieces[${k}].sizes`, `${nodes} nodes`, p.sizes.length));
  if (j.pieces.length === 0) return fail(`${path}.pieces`, 'at least one piece', 0);
  return j as SubtreeJob;
};

const linearPredictJob: Check<NativeMessage> = (v, path) =>
  object({ type: literal('linear-predict'), job: jobNumber, fold: foldIndex, coefficients: typed('Float64Array', 1 << 26), intercepts: typed('Float64Array', 1 << 20) }, { design: designRef })(v, path) as NativeMessage;

/** A logistic solver request (models/linear/logistic.ts); lengths that depend on the data are checked by the pool thread. */
const iterateModel = object({ mean: typed('Float64Array', 100_000), std: typed('Float64Array', 100_000), binomial: bool, m: int(1, 250), free: typed('Uint8Array', 1 << 24) });
const logisticRequest: Check<LogisticRequest> = (v, path) => {
  const kind = v !== null && typeof v === 'object' ? (v as { kind?: unknown }).kind : undefined;
  if (kind === 'moments') return object({ kind: literal('moments') })(v, path) as LogisticRequest;
  if (kind === 'spread') return object({ kind: literal('spread'), mean: typed('Float64Array', 100_000) })(v, path) as LogisticRequest;
  if (kind === 'terms') return object({ kind: literal('terms'), model: iterateModel, theta: typed('Float64Array', 1 << 24), lossOnly: bool })(v, path) as LogisticRequest;
  if (kind === 'separates') return object({ kind: literal('separates'), model: iterateModel, theta: typed('Float64Array', 1 << 24) })(v, path) as LogisticRequest;
  return fail(`${path}.kind`, 'one of moments, spread, terms, separates', kind);
};
const logisticJob: Check<NativeMessage> = (v, path) =>
  object({ type: literal('logistic'), job: jobNumber, fold: foldIndex, partitions: partitionList, classes: int(2, 250), request: logisticRequest }, { design: designRef })(v, path) as NativeMessage;

const nativeChecks: Record<NativeMessage['type'], Check<NativeMessage>> = {
  edges: edgesJob,
  level: levelJob,
  subtree: subtreeJob,
  predict: predictJob,
  linear: linearJob,
  'linear-predict': linearPredictJob,
  logistic: logisticJob,
};

const nativeMessage: Check<NativeMessage> = (v, path) => {
  const type = v !== null && typeof v === 'object' ? (v as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(nativeChecks, type)) return fail(`${path}.type`, `one of ${Object.keys(nativeChecks).join(', ')}`, type);
  return nativeChecks[type as NativeMessage['type']](v, path);
};

/** A native job: its message, addressed to its block (a level or linear job's partitions are the block's). */
const nativeJob: Check<NativeJobData> = (v, path) => {
  const j = object({ ...base, kind: literal('native'), jobId: text(NATIVE_JOB_ID, 'a native job id'), block: partitionList, message: nativeMessage }, baseOptional)(v, path) as NativeJobData;
  if (j.block[j.block.length - 1] >= j.partitions) fail(`${path}.block`, `partitions of the sweep's ${j.partitions}`, j.block[j.block.length - 1]);
  const m = j.message;
  if ((m.type === 'level' || m.type === 'linear' || m.type === 'logistic') && m.partitions.some((p) => !j.block.includes(p))) fail(`${path}.message.partitions`, `partitions of the job's block (${j.block[0]}–${j.block[j.block.length - 1]})`, m.partitions.join(','));
  return j;
};

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
    const builtIn: readonly string[] = [...METRIC_NAMES, ...CLASSIFICATION_METRICS];
    if (job.metric !== undefined && !builtIn.includes(job.metric)) fail(`${path}.metric`, `one of ${builtIn.join(', ')}`, job.metric);
  }
  return job;
};

const jobChecks: Record<ClusterJob['kind'], Check<ClusterJob>> = {
  task: withParams(object({ ...base, kind: literal('task'), ...taskFields }, baseOptional) as Check<TaskJob>) as Check<ClusterJob>,
  udf: withParams(object({ ...base, kind: literal('udf'), ...taskFields, metric: metricName }, { ...baseOptional, module: moduleName }) as Check<UdfJob>) as Check<ClusterJob>,
  native: nativeJob as Check<ClusterJob>,
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

