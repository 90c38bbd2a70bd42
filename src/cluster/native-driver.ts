/**
 * The native strategy over the cluster: the SAME driver loops (forest.ts level passes, linear.ts fold passes) with
 * the cluster as their transport. A pass's job for a block of partitions becomes one BullMQ job, stateless — it
 * carries every partial tree, so any worker can (re)do it from the cached dataset alone — and its reply (histograms
 * or per-partition statistics) comes back through the results hash. Replies are merged in block = partition order
 * on the driver as locally, and histogram sums are exact, so metrics equal local native's bit for bit.
 */
import { performance } from 'node:perf_hooks';
import { assignPartitions } from '../strategies/native/assign.js';
import { foldsByConfig, nativeSettings, type NativeContext, type NativeTransport } from '../strategies/native/driver/context.js';
import { DEFAULT_MAX_HISTOGRAM_MB, runNativeSweep } from '../strategies/native/driver/native.js';
import { messageBytes, replyTo, type AnsweredJob, type ReplyOfJob, type WorkerReply } from '../strategies/native/protocol.js';
import type { StrategyHooks, StrategyStats, SweepPlan } from '../strategies/strategy.js';
import { decodeTyped, encodeDeep } from './codec.js';
import type { ClusterSession } from './driver.js';
import type { NativeRecord } from './results.js';

/** The fields every native job repeats (sweep, data, evaluation). */
export interface NativeJobBase {
  v: 1;
  sweepId: string;
  dataHash: string;
  seed: number;
  partitions: number;
  evaluation: SweepPlan['folds']['evaluation'];
}

/** What forest.ts and linear.ts call on their transport (NativeWorkers' public surface). */
export class ClusterTransport implements NativeTransport {
  /** Any worker may take any job: jobs carry their partial trees, replies carry no rows, the driver predicts. */
  readonly capabilities = { keepsState: false, returnsRows: false, predicts: false };
  bytesShipped = 0;
  private nextJob = 0;

  constructor(private readonly session: ClusterSession, private readonly runNumber: number, private readonly base: NativeJobBase, private readonly attempts: number) {}

  newJobId(): number {
    return this.nextJob++;
  }

  async run<J extends AnsweredJob>(w: number, message: J): Promise<ReplyOfJob[J['type']]> {
    if (message.type !== 'level' && message.type !== 'linear') throw new Error(`cluster transport: unexpected ${message.type} message`);
    const id = `n${this.runNumber}-${message.job}-${w}`;
    this.bytesShipped += messageBytes(message);
    const data = { ...this.base, kind: message.type, jobId: id, [message.type]: encodeDeep(message) };
    const waiting = this.session.waitFor(id);
    await this.session.enqueue([{ id, data }], this.attempts);
    const rec = (await waiting) as NativeRecord;
    await this.session.forget([id]); // replies are transient: free their memory in Redis
    const reply: WorkerReply = rec.error
      ? { type: 'error', job: message.job, error: { name: rec.error.name, message: `partition job failed on ${rec.by}: ${rec.error.message}` } }
      : message.type === 'level'
        ? { type: 'histograms', job: message.job, hist: decodeTyped(rec.hist, 'reply.hist') as Float64Array, stateBytes: 0 }
        : { type: 'linear', job: message.job, partitions: rec.partitions ?? [], stats: (rec.stats ?? []).map((s, k) => decodeTyped(s, `reply.stats[${k}]`) as Float64Array) };
    return replyTo(w, message, reply);
  }

  /** Stateless jobs leave nothing cached on workers: there is nothing to release. */
  broadcast(): void {}
}

export async function runNativeOnCluster(plan: SweepPlan, hooks: StrategyHooks, transport: ClusterTransport): Promise<StrategyStats> {
  const t0 = performance.now();
  const settings = nativeSettings(transport.capabilities, { parallelism: plan.parallelism ?? 1, maxHistogramBytes: DEFAULT_MAX_HISTOGRAM_MB * 2 ** 20 });
  const foldsOf = foldsByConfig(plan);
  if (foldsOf.size === 0) return { bytesShipped: 0, startupMs: 0 };
  // Jobs per pass: one per block of partitions; the blocks change no result (exact sums, partition order).
  const blocks = assignPartitions(plan.data.rows, plan.partitions, Math.max(1, Math.min(plan.workers, plan.partitions)));
  const ctx: NativeContext = {
    plan, hooks, settings, blocks,
    workers: transport,
    evaluation: { data: plan.data, folds: plan.folds, seed: plan.seed, partitions: plan.partitions, cache: new Map() },
    peakStateBytes: blocks.map(() => 0),
  };
  const startupMs = performance.now() - t0;
  await runNativeSweep(ctx, foldsOf);
  return { bytesShipped: transport.bytesShipped, startupMs };
}
