/**
 * The cluster as a native transport: the SAME native driver as local threads (native.ts runNativeOver: edges jobs,
 * init, forest level passes with subtree and predict jobs, linear fold passes with linear-predict jobs) with BullMQ
 * carrying each job to whichever worker takes it, and the results hash carrying its reply back.
 *
 * What differs from threads is only what a transport may differ in (context.ts TransportCapabilities):
 *   - no shared memory: a worker reads its own cached copy of the dataset (by content hash), so edges jobs carry
 *     no table, and "init" stores the forest's bin thresholds once per run (keys.ts binsKey); each worker bins
 *     the rows of the block a job names with them (worker-side binning, as local threads do);
 *   - no state kept between jobs: level jobs carry their partial trees, so any worker can (re)do any job — a lost
 *     worker's job is simply re-run by another (BullMQ's stalled check).
 * Replies come back through replyTo, as from threads; histogram sums are exact and merged in block order, so
 * metrics equal local native's bit for bit.
 */
import type { PayloadSource, WorkerBlock } from '../strategies/native/assign.js';
import type { NativeTransport, TransportCapabilities } from '../strategies/native/driver/context.js';
import { messageBytes, replyTo, ROOT_FIELDS, type AnsweredJob, type ReplyOfJob, type WorkerReply } from '../strategies/native/protocol.js';
import type { SweepPlan } from '../strategies/strategy.js';
import { encodeDeep, reviveTyped, toJson } from './codec.js';
import type { ClusterSession } from './driver.js';
import type { NativeMessage } from './jobs.js';
import { binsKey } from './keys.js';
import { SET_WORDS } from '../tree/tree.js';
import { RESULT_TTL_S, type NativeRecord } from './results.js';

/** The fields every native job repeats (sweep, data, evaluation). */
export interface NativeJobBase {
  v: 1;
  sweepId: string;
  dataHash: string;
  seed: number;
  partitions: number;
  evaluation: SweepPlan['folds']['evaluation'];
}

/** The forest bins a run stores for its workers: thresholds per distinct maxBins, features in order. */
export interface StoredBins {
  bins: { maxBins: number; thresholds: Float64Array[]; values: Float64Array[] }[];
}

export class ClusterTransport implements NativeTransport {
  static readonly capabilities: TransportCapabilities = { keepsState: false, returnsRows: true, predicts: true, sharedMemory: false };
  readonly capabilities = ClusterTransport.capabilities;
  bytesShipped = 0;
  readonly jobsSent: Record<string, number> = {};
  private nextJob = 0;
  private stored = false;

  /** `blocks`: the blocks of partitions jobs are addressed to (jobs per pass; results do not depend on them). */
  constructor(private readonly session: ClusterSession, private readonly runNumber: number, private readonly base: NativeJobBase, private readonly attempts: number, private readonly blocks: readonly WorkerBlock[]) {}

  get count(): number {
    return this.blocks.length;
  }

  /** Store the forest bins for the workers (the rest of a block's data they rebuild from the cached dataset). */
  async init(src: PayloadSource, blocks: readonly WorkerBlock[]): Promise<void> {
    if (blocks.some((b, w) => b.partitions.join() !== this.blocks[w]?.partitions.join())) throw new Error('cluster transport: init for other blocks than it was opened with');
    if (!src.bins) return;
    const stored: StoredBins = { bins: src.bins.map(({ maxBins, binned }) => ({ maxBins, thresholds: binned.thresholds, values: binned.thresholds.map((_, j) => binned.values[j] ?? new Float64Array(0)) })) };
    const text = toJson(stored);
    this.bytesShipped += messageBytes(stored);
    await this.session.redis.set(binsKey(this.base.sweepId, this.runNumber), text, 'EX', RESULT_TTL_S);
    this.stored = true;
  }

  newJobId(): number {
    return this.nextJob++;
  }

  async run<J extends AnsweredJob>(w: number, message: J): Promise<ReplyOfJob[J['type']]> {
    const id = `n${this.runNumber}-${message.job}-${w}`;
    const block = this.blocks[w]?.partitions;
    if (!block) throw new Error(`cluster transport: no block ${w} (it has ${this.blocks.length})`);
    const sent = remoteMessage(message);
    this.bytesShipped += messageBytes(sent);
    this.jobsSent[message.type] = (this.jobsSent[message.type] ?? 0) + 1;
    const data = { ...this.base, kind: 'native', jobId: id, block, message: encodeDeep(sent) };
    const waiting = this.session.waitFor(id);
    await this.session.enqueue([{ id, data }], this.attempts);
    const rec = (await waiting) as NativeRecord;
    await this.session.forget([id]); // replies are transient: free their memory in Redis
    const reply = replyTo(w, message, replyOf(rec, message.job));
    const problem = shapeProblem(message, reply);
    if (problem) throw new Error(`invalid native reply in Redis from ${rec.by} to ${id}: ${problem}`);
    return reply;
  }

  /** Stateless jobs leave nothing cached on workers: there is nothing to release. */
  broadcast(): void {}

  /** The workers report nothing they hold (they keep the datasets they were asked for, a few at a time). */
  bytesHeld(): number[] {
    return [];
  }

  async close(): Promise<void> {
    if (this.stored) await this.session.redis.del(binsKey(this.base.sweepId, this.runNumber)).catch(() => {});
  }
}

/** What a remote worker cannot use is left out: the shared table (it has its own copy), a buffer lent back for reuse. */
function remoteMessage(m: AnsweredJob): NativeMessage {
  if (m.type === 'edges') {
    const { table: _table, ...rest } = m;
    return rest;
  }
  if (m.type === 'linear-predict') {
    const { buffer: _buffer, ...rest } = m;
    return rest;
  }
  // A boosting fit's rows live on the worker between jobs; cluster workers keep no state (strategyRefuses says so first).
  if (m.type === 'boost') throw new Error('boost jobs need workers that keep state; the cluster\'s do not');
  return m;
}

const isArrayOf = (v: unknown, ctor: new (...a: never[]) => unknown, n?: number): boolean => Array.isArray(v) && (n === undefined || v.length === n) && v.every((x) => x instanceof ctor);

/** What is wrong with a reply's shape for its job (a forged or corrupted result), or undefined. */
function shapeProblem(job: AnsweredJob, r: WorkerReply): string | undefined {
  switch (r.type) {
    case 'edges': {
      if (job.type !== 'edges') return 'edges: the answer to another job';
      const per = (a: unknown) => Array.isArray(a) && a.length === job.features.length && a.every((t) => isArrayOf(t, Float64Array, job.maxBins.length));
      const ok = per(r.thresholds) && per(r.values);
      return ok ? undefined : 'edges: expected thresholds and bin values per feature and maxBins';
    }
    case 'histograms': {
      if (!(r.hist instanceof Float64Array)) return 'histograms: hist is not a Float64Array';
      const pieces = r.samples ?? [];
      const ok = Array.isArray(pieces) && pieces.every((p) => p && p.sizes instanceof Int32Array && p.codes instanceof Uint8Array && p.counts instanceof Uint8Array && p.yq instanceof Float64Array && p.counts.length === p.yq.length);
      return ok ? undefined : 'histograms: malformed node samples';
    }
    case 'linear':
      return job.type === 'linear' && isArrayOf(r.stats, Float64Array, job.partitions.length) ? undefined : 'linear: expected one Float64Array of statistics per partition';
    case 'logistic':
      return job.type === 'logistic' && isArrayOf(r.sums, Float64Array, job.partitions.length) ? undefined : 'logistic: expected one Float64Array of sums per partition';
    case 'subtrees': {
      const n = r.feature instanceof Int32Array ? r.feature.length : -1;
      const arrays = [r.binThreshold instanceof Uint8Array, ...[r.left, r.right, r.set, r.sets].map((a) => a instanceof Int32Array), ...[r.value, r.weight, r.gain].map((a) => a instanceof Float64Array)];
      const ok = job.type === 'subtree' && r.nodes instanceof Int32Array && r.nodes.length * ROOT_FIELDS === job.roots.length && n >= 0 && arrays.every(Boolean) &&
        [r.binThreshold, r.left, r.right, r.weight, r.gain].every((a) => a.length === n) && n > 0 && r.value.length % n === 0 && r.nodes.reduce((a, b) => a + b, 0) === n &&
        (r.set.length === n || r.set.length === 0) && r.sets.length % SET_WORDS === 0 && r.set.every((q) => q >= -1 && q < r.sets.length / SET_WORDS);
      return ok ? undefined : 'subtrees: expected one packed subtree per node';
    }
    case 'predictions':
    case 'linear-predictions':
      return r.values instanceof Float64Array ? undefined : `${r.type}: values is not a Float64Array`;
    default:
      return `unexpected reply ${r.type}`;
  }
}

/** A native record read from Redis as a worker reply: typed arrays decoded strictly; anything else is an error reply. */
function replyOf(rec: NativeRecord, job: number): WorkerReply {
  if (rec.error) return { type: 'error', job, error: { name: rec.error.name, message: `partition job failed on ${rec.by}: ${rec.error.message}` } };
  try {
    const reply = reviveTyped(rec.reply, 'reply') as WorkerReply;
    if (reply === null || typeof reply !== 'object' || typeof reply.type !== 'string') throw new Error('not a reply');
    return { ...reply, job } as WorkerReply;
  } catch (err) {
    return { type: 'error', job, error: { name: 'InvalidResult', message: `invalid native reply in Redis from ${rec.by}: ${err instanceof Error ? err.message : String(err)}` } };
  }
}
