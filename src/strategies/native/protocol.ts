/**
 * The native strategy's messages, as plain data (typed arrays, numbers, booleans), so the same jobs can travel
 * over worker_threads today and a queue (the cluster issue's BullMQ) later.
 *
 * A job is addressed to PARTITIONS, not to a worker. Its answer depends only on (the partitions' data, the job):
 *   level job  → one flat Float64Array: the histograms of the requested frontier nodes, summed over the job's
 *                partitions (exact integer sums, labels.ts, so pre-summing in any order gives the same bits);
 *                and for the small nodes it names in `samples`, every row of the node over the job's partitions:
 *                its codes, bootstrap count and quantized label, one piece per node (NodeSampleReply).
 *   subtree job → the subtrees of small nodes grown from the rows the job carries (every partition's piece,
 *                forwarded by the driver; the worker needs only its bin counts), local.ts.
 *   predict job → the predictions of the worker's test rows of a fold by a grown forest (scoring in parallel).
 *   linear job → one sufficient-statistics array per partition (float sums: NOT pre-summed, the driver merges
 *                them in partition order exactly as the whole-model linear fit does).
 *   boost job  → calls of the boosting algorithm on the worker's rows of some fits (tree/boost.ts BoostRows):
 *                the largest gradient magnitudes, or a histogram of exact integer sums (pre-summed, as a level job's).
 *                A fit's rows (raw scores, gradients, node ranges) stay on the worker between its calls: boost
 *                jobs need a transport whose workers keep state.
 * A tree in a level job is either CACHED (the worker keeps the row → node array of its rows and advances it with
 * `splits`, the splits made at the previous level) or STATELESS (`partial` carries the whole partial tree and the
 * rows are routed from the root: any worker holding the partitions can redo the job).
 */
import type { Design, ImputeStrategy } from '../../models/linear/design.js';
import type { LogisticRequest } from '../../models/linear/logistic.js';
import type { SharedDatasetHandle } from '../../data/dataset.js';
import type { ErrorRecord } from '../../errors.js';
import type { RoutingTree } from '../../tree/levelwise.js';
import type { RoutedTree } from '../../tree/boost.js';

/**
 * One distinct maxBins of the sweep: the codes of the worker's rows (feature j at codes[j·rows + k]), or, when the
 * init message carries the shared table, the thresholds the worker bins its own rows with (in parallel with the
 * other workers, instead of the driver binning the whole table before any worker can start).
 */
export interface BinnedSlice {
  maxBins: number;
  codes?: Uint8Array;
  thresholds?: Float64Array[];
  /** Per feature, each bin's value when every bin is one distinct value, else empty (binning.ts values). */
  values: Float64Array[];
  /** Per feature, binning.ts CATEGORICAL | MISSING (what the split search reads). */
  flags: Uint8Array;
  nBins: Int32Array;
  offsets: Int32Array;
}

/**
 * Before init (in-process workers only): the bin thresholds of some features, each from the same rows of the
 * shared table (binning.ts binningSample), for every maxBins of the sweep; the features are shared out over the
 * workers, so sorting the samples runs in parallel.
 */
export interface EdgesJob {
  type: 'edges';
  job: number;
  /** The shared table (in-process workers); absent: the worker's own copy of the dataset (a cluster worker). */
  table?: SharedDatasetHandle;
  /** Rows to take the thresholds from (ascending); absent: all rows. */
  sample?: Uint32Array;
  maxBins: number[];
  features: number[];
}

/** Sent once per sweep: the worker's partitions and nothing else (buffers transferred). */
export interface InitMessage {
  type: 'init';
  seed: number;
  /** Global partition boundaries (P + 1). */
  bounds: Uint32Array;
  /** The partitions held: contiguous, so their rows are the global range [rowStart, rowEnd). */
  partitions: number[];
  rowStart: number;
  rowEnd: number;
  features: number;
  /** The folds' roles of the held rows: split f of row rowStart + k at f·(rowEnd − rowStart) + k (folds.ts TRAIN, TEST, UNUSED). */
  roles: Uint8Array;
  /** Random forest: codes (or thresholds) per distinct maxBins and quantized labels of the held rows. */
  bins?: BinnedSlice[];
  /**
   * The whole table, shared (in-process workers only): read once at init to bin the held rows when a BinnedSlice
   * carries thresholds, or to copy them (linear); the store keeps only its own rows' codes or values.
   */
  table?: SharedDatasetHandle;
  yq?: Float64Array;
  /** Label sums per histogram bin (tree/labels.ts width; default 1): more than two classes have one per class but the first. */
  labelWidth?: number;
  /** Linear model: raw features (column-major over the held rows) and labels. */
  x?: Float64Array;
  y?: Float64Array;
  /** Linear model, in-process: copy x and y of the held rows out of `table` at init instead. */
  linear?: boolean;
  /** Gradient boosting: the held rows' labels y as well as the bins (copied out of `table` when it comes, else sent). */
  boost?: boolean;
}

/**
 * Split made at the previous level, flat: (node, feature, bin, left, right, set) per split, set −1 for a threshold
 * split, else k: its set of bins is splitSets[k·SET_WORDS, (k + 1)·SET_WORDS) (tree.ts).
 */
export const SPLIT_FIELDS = 6;

export interface LevelTree {
  /** Sweep-unique id of the tree being grown (config, fold, tree index). */
  id: number;
  fold: number;
  /** Tree index in its forest: bootstrap counts are keyed by (seed, t, global row). */
  t: number;
  bootstrap: boolean;
  /** The level (depth of the frontier) these histograms are for. */
  level: number;
  /** Cached mode: splits made at level − 1 (SPLIT_FIELDS per split) and the sets of those on sets of bins. */
  splits?: Int32Array;
  splitSets?: Int32Array;
  /** Stateless mode: the partial tree, rows routed from the root. */
  partial?: RoutingTree;
  /** Node id → slot in the job's output, or −1. */
  slotOfNode: Int32Array;
  /** Nodes (at this level) whose rows to ship instead of a histogram: a worker grows their subtrees. */
  samples?: Int32Array;
}

export interface LevelJob {
  type: 'level';
  job: number;
  maxBins: number;
  partitions: number[];
  /** Output length is slots × totalBins × (2 + the store's label width). */
  slots: number;
  trees: LevelTree[];
}

/**
 * The rows of ONE node a level job asked samples of, over the job's partitions (a reply carries one per node, in
 * job order: trees in job order, each tree's nodes in its `samples` order), rows ascending. The block is
 * column-major (feature j of row k at j·size + k), the layout growSubtree reads, and each piece has its own
 * buffers, so the driver forwards it by transfer, never copying a byte, to whichever worker is free to grow the
 * node when its turn comes (forest.ts SubtreeQueue). `sizes` holds the one row count (a subtree job's pieces are
 * read as node lists).
 */
export interface NodeSampleReply {
  /** Rows per requested node. */
  sizes: Int32Array;
  codes: Uint8Array;
  counts: Uint8Array;
  yq: Float64Array;
}

export interface LinearJob {
  type: 'linear';
  job: number;
  fold: number;
  partitions: number[];
  /** The per-column shift of linear/stats.ts (x then y), the same in every strategy. */
  shift: Float64Array;
  /** The fold's design (models/linear/design.ts) when the data has categories or missing values. */
  design?: DesignRef;
}

/** A design and its id: a worker encodes its rows once per id (the id names the fold and impute strategy). */
export interface DesignRef {
  id: string;
  design: Design;
}

/** The DesignRef of fold f's design for an impute strategy ("f|impute": the cluster's job schema checks that form). */
export function designRef(fold: number, impute: ImputeStrategy, design: Design): DesignRef {
  return { id: `${fold}|${impute}`, design };
}

/**
 * Grow the subtrees of some small nodes from their rows, which arrive as one piece per source worker (each the
 * piece of a level reply meant for this worker, forwarded untouched): the depth-first grower's work for the
 * bottom of the trees, spread over the workers. Pure data in, trees out.
 */
export interface SubtreeJob {
  type: 'subtree';
  job: number;
  /** Bins of this maxBins (the worker's own; thresholds stay on the driver, which fills them in). */
  maxBins: number;
  /** Label quantization (leaf values). */
  unit: number;
  center: number;
  /** Per node: (tree seed, depth, path key, maxDepth, maxFeatures, minSamplesLeaf, criterion: 0 gini, 1 entropy). */
  roots: Float64Array;
  /** One NodeSampleReply per source worker (= partition order), each holding exactly this job's nodes, in order. */
  pieces: NodeSampleReply[];
}

/** Per-node fields of SubtreeJob.roots. */
export const ROOT_FIELDS = 7;

/** Several trees' arrays concatenated, each tree numbered from 0; `nodes` gives their sizes, in order. */
export interface PackedTrees {
  nodes: Int32Array;
  feature: Int32Array;
  binThreshold: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Per node −1, or its set's index in `sets`, counted over the whole pack (tree.ts packSets). */
  set: Int32Array;
  sets: Int32Array;
}

/** The grown subtrees (each numbered in pre-order from 0; threshold left to the driver). */
export interface SubtreeReply extends PackedTrees {
  type: 'subtrees';
  job: number;
  weight: Float64Array;
  gain: Float64Array;
}

/**
 * Predict the held rows of fold `fold`'s test set with a grown forest (its trees packed in tree order), routed
 * on bin codes (tree/predict.ts predictForestBinned: the same bits as the raw-value prediction).
 */
export interface PredictJob extends PackedTrees {
  type: 'predict';
  job: number;
  maxBins: number;
  fold: number;
}

/**
 * Predict the held test rows of a fold with several fitted linear models (one per config; coefficients row-major,
 * configs × features), as FittedLinear.predict does: the same bits.
 */
export interface LinearPredictJob {
  type: 'linear-predict';
  job: number;
  fold: number;
  coefficients: Float64Array;
  intercepts: Float64Array;
  design?: DesignRef;
  /** A predictions buffer this worker sent earlier, back for reuse (fresh pages cost more than the predicting). */
  buffer?: ArrayBuffer;
}

/**
 * Logistic regression: the sums one solver request asks for (models/linear/logistic.ts) over fold `fold`'s
 * training rows of each requested partition, one array per partition (merged by the driver in partition order).
 */
export interface LogisticJob {
  type: 'logistic';
  job: number;
  fold: number;
  partitions: number[];
  classes: number;
  request: LogisticRequest;
  design?: DesignRef;
}

/**
 * Gradient boosting (driver/boost.ts): calls of the boosting algorithm on the worker's rows of some fits, which
 * the worker keeps between calls (worker/boost.ts). Every worker receives every call of a fit, in order; the calls
 * of the fits ready at the same moment travel together (one message per worker, whatever the number of fits).
 */
export interface BoostJob {
  type: 'boost';
  job: number;
  calls: BoostFitCall[];
}

export interface BoostFitCall {
  fit: number;
  maxBins: number;
  call: BoostCallMessage;
}

/** The answer to one call: the gradients' maxima, or a histogram (in the reply, or written to the fit's shared slot). */
export interface BoostAnswer {
  max?: { g: number; h: number };
  hist?: Float64Array;
  /** The histogram is in the fit's slot (BoostStart.slot), not in the reply. */
  inSlot?: boolean;
}

export type BoostCallMessage =
  /** The first call of a fit carries `start`; every later gradients call carries the previous tree's `leaves`. */
  | { call: 'gradients'; t: number; iteration: number; cls: number; start?: BoostStart; leaves?: BoostLeaves }
  | { call: 'root'; gScale: number; hScale: number }
  /** `set`: SET_WORDS words when the split is on a set of bins; `hist`: whether to scan a side (the left when scanLeft). */
  | { call: 'split'; node: number; left: number; right: number; feature: number; bin: number; set?: Int32Array; scanLeft: boolean; hist: boolean };

/** What a worker needs to hold its rows of a fit: the fold, the rule's row-side parts and the baseline scores. */
export interface BoostStart {
  fold: number;
  loss: 'squared_error' | 'log_loss';
  classes?: number;
  subsample: number;
  /** Early stopping's held-out fraction: those rows are not training rows (keyed by seed and row). */
  validationFraction?: number;
  baseline: Float64Array;
  /**
   * In-process workers: this worker's histogram slot for the fit, a Float64Array over a SharedArrayBuffer the worker
   * writes each histogram into (the driver reads it before the fit's next call), so no histogram is allocated,
   * copied or collected per call.
   */
  slot?: Float64Array;
}

/** A grown tree as BoostRows.leaves takes it: the leaf values by node id as grown, and the tree when rows are routed. */
export interface BoostLeaves {
  cls: number;
  leafValues: Float64Array;
  /** Only with a subsample below 1 (its left-out rows are routed): the pre-order tree's routing arrays and values. */
  tree?: RoutedTree;
}

/** Forget cached trees (a config's forest is grown) and boosting fits' rows. */
export interface ReleaseMessage {
  type: 'release';
  trees: number[];
  fits?: number[];
}

export type DriverMessage = InitMessage | EdgesJob | LevelJob | LinearJob | LinearPredictJob | LogisticJob | BoostJob | SubtreeJob | PredictJob | ReleaseMessage;

export type WorkerReply =
  | { type: 'ready'; bytesHeld: number }
  | { type: 'histograms'; job: number; hist: Float64Array; stateBytes: number; samples?: NodeSampleReply[] }
  | { type: 'linear'; job: number; partitions: number[]; stats: Float64Array[] }
  | { type: 'logistic'; job: number; partitions: number[]; sums: Float64Array[] }
  /** A boost job's answers, one per call in order: the gradients call's maxima, or a histogram (root, and a split that asked for one). */
  | { type: 'boost'; job: number; answers: BoostAnswer[] }
  | SubtreeReply
  /** An edges job's answer: thresholds[f][b] and bin values[f][b] for job.features[f] and job.maxBins[b]. */
  | { type: 'edges'; job: number; thresholds: Float64Array[][]; values: Float64Array[][] }
  /** A linear-predict job's answer: per model, the predictions of the worker's test rows (models × rows, row-major). */
  | { type: 'linear-predictions'; job: number; values: Float64Array }
  /** A predict job's answer: the predictions of the worker's test rows of the fold, ascending rows. */
  | { type: 'predictions'; job: number; values: Float64Array }
  | { type: 'error'; job: number; error: ErrorRecord };

/** The jobs that are answered, and the reply that answers each. */
export type AnsweredJob = EdgesJob | LevelJob | LinearJob | SubtreeJob | PredictJob | LinearPredictJob | LogisticJob | BoostJob;
export interface ReplyOfJob {
  edges: Extract<WorkerReply, { type: 'edges' }>;
  level: Extract<WorkerReply, { type: 'histograms' }>;
  linear: Extract<WorkerReply, { type: 'linear' }>;
  subtree: SubtreeReply;
  predict: Extract<WorkerReply, { type: 'predictions' }>;
  'linear-predict': Extract<WorkerReply, { type: 'linear-predictions' }>;
  logistic: Extract<WorkerReply, { type: 'logistic' }>;
  boost: Extract<WorkerReply, { type: 'boost' }>;
}
const REPLY_TYPE: { [K in keyof ReplyOfJob]: ReplyOfJob[K]['type'] } = {
  edges: 'edges',
  level: 'histograms',
  linear: 'linear',
  subtree: 'subtrees',
  predict: 'predictions',
  'linear-predict': 'linear-predictions',
  logistic: 'logistic',
  boost: 'boost',
};

/**
 * The one check that a reply answers its job, whatever carried it (threads or the cluster): an 'error' reply
 * becomes the worker's error, any other mismatch is named.
 */
export function replyTo<J extends AnsweredJob>(w: number, job: J, r: WorkerReply): ReplyOfJob[J['type']] {
  if (r.type === 'error') throw Object.assign(new Error(r.error.message), { name: r.error.name });
  if (r.type !== REPLY_TYPE[job.type]) throw new Error(`native worker ${w} answered a ${job.type} job with ${r.type}`);
  return r as ReplyOfJob[J['type']];
}

/** Bytes of the typed arrays in a message (what structured cloning copies; the rest is a few numbers). */
export function messageBytes(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((s: number, v) => s + messageBytes(v), 0);
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((s: number, v) => s + messageBytes(v), 0);
  return 0;
}
