/**
 * The driver's side of a sweep on the cluster: one session per sweep. It stores the dataset once, registers the
 * sweep (its queue, its metadata, its id in the active set), enqueues jobs, and collects results as workers record
 * them: a blocking pop on the sweep's "done" list wakes it, the result is read from the results hash by id, and the
 * waiter registered for that id gets it. Cleanup obliterates the sweep's queue and deletes its keys — unless
 * `keep` — and only when the sweep completed: an interrupted sweep stays in Redis for `--resume`.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullConnection, closeRedis, connectRedis } from './connection.js';
import { publishDataset, releaseDataset } from './dataset-store.js';
import type { ClusterJob } from './jobs.js';
import { ACTIVE_KEY, PREFIX, sweepKeys } from './keys.js';
import { RESULT_TTL_S } from './results.js';
import type { ClusterAddress } from './url.js';

export type ResultListener = (id: string, record: unknown) => void;

export class ClusterSession {
  readonly keys: ReturnType<typeof sweepKeys>;
  readonly queue: Queue;
  private readonly waiters = new Map<string, (record: unknown) => void>();
  private listener: ResultListener = () => {};
  private collecting: Promise<void> | undefined;
  private stopped = false;

  private constructor(
    readonly addr: ClusterAddress,
    readonly sweepId: string,
    readonly redis: Redis,
    private readonly blocking: Redis,
  ) {
    this.keys = sweepKeys(sweepId);
    this.queue = new Queue(this.keys.queue, { connection: bullConnection(addr, 'sweep-driver'), prefix: PREFIX });
  }

  static async open(addr: ClusterAddress, sweepId: string): Promise<ClusterSession> {
    const redis = await connectRedis(addr, 'sweep-driver');
    let blocking: Redis | undefined;
    try {
      blocking = await connectRedis(addr, 'sweep-driver-results');
    } catch (err) {
      await closeRedis(redis);
      throw err;
    }
    return new ClusterSession(addr, sweepId, redis, blocking);
  }

  /** Forget a previous run of this sweep entirely (a run without --resume starts clean). */
  async reset(): Promise<void> {
    await this.redis.srem(ACTIVE_KEY, this.sweepId);
    await this.queue.obliterate({ force: true });
    await this.redis.del(this.keys.results, this.keys.done, this.keys.meta);
  }

  /** Store the data, describe the sweep to workers and make it active; returns this driver run's number. */
  async register(encoded: { bytes: Uint8Array; hash: string }, meta: { retries: number; strategy: string }): Promise<number> {
    await publishDataset(this.redis, encoded, this.sweepId);
    await this.redis
      .multi()
      .hset(this.keys.meta, { retries: String(meta.retries), strategy: meta.strategy, dataHash: encoded.hash })
      .expire(this.keys.meta, RESULT_TTL_S)
      .sadd(ACTIVE_KEY, this.sweepId)
      .exec();
    const run = await this.redis.incr(this.keys.runs);
    await this.redis.expire(this.keys.runs, RESULT_TTL_S);
    return run;
  }

  /** Every result recorded so far (a resumed sweep reuses them). */
  async results(): Promise<Map<string, unknown>> {
    const all = await this.redis.hgetall(this.keys.results);
    return new Map(Object.entries(all).map(([id, json]) => [id, JSON.parse(json) as unknown]));
  }

  async forget(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.hdel(this.keys.results, ...ids);
  }

  /** Enqueue jobs (ids are BullMQ job ids: a job already queued under the same id is not added twice). */
  async enqueue(jobs: readonly { id: string; data: ClusterJob | Record<string, unknown> }[], attempts: number): Promise<void> {
    const opts: JobsOptions = { attempts, removeOnComplete: true, removeOnFail: true };
    for (let i = 0; i < jobs.length; i += 500) {
      await this.queue.addBulk(jobs.slice(i, i + 500).map((j) => ({ name: (j.data as { kind: string }).kind, data: j.data, opts: { ...opts, jobId: j.id } })));
    }
  }

  /** Resolve with the record of job `id` when it arrives (register before enqueueing). */
  waitFor(id: string): Promise<unknown> {
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  /** Start collecting; `listener` gets every result without a waiter. */
  collect(listener: ResultListener): void {
    this.listener = listener;
    this.collecting ??= this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let ids: string[];
      try {
        const first = await this.blocking.blpop(this.keys.done, 1);
        if (!first) continue;
        const more = (await this.blocking.lpop(this.keys.done, 255)) ?? [];
        ids = [first[1], ...more];
      } catch (err) {
        if (this.stopped) return;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const values = await this.blocking.hmget(this.keys.results, ...ids);
      ids.forEach((id, k) => {
        const json = values[k];
        if (json === null) return; // forgotten meanwhile
        const record = JSON.parse(json) as unknown;
        const waiter = this.waiters.get(id);
        if (waiter) {
          this.waiters.delete(id);
          waiter(record);
        } else this.listener(id, record);
      });
    }
  }

  async workersServing(): Promise<number> {
    try {
      return await this.queue.getWorkersCount();
    } catch {
      return -1;
    }
  }

  /** Stop collecting; when the sweep completed, remove its keys (or, with keep, only deactivate it). */
  async close(outcome: { complete: boolean; keep: boolean; dataHash?: string }): Promise<void> {
    this.stopped = true;
    try {
      if (outcome.complete) {
        await this.redis.srem(ACTIVE_KEY, this.sweepId);
        if (!outcome.keep) {
          await this.queue.obliterate({ force: true });
          await this.redis.del(this.keys.results, this.keys.done, this.keys.meta, this.keys.runs);
          if (outcome.dataHash) await releaseDataset(this.redis, outcome.dataHash, this.sweepId);
        }
      }
    } finally {
      this.blocking.disconnect(); // may be inside a BLPOP: do not wait for it
      await this.collecting?.catch(() => {});
      await this.queue.close();
      await closeRedis(this.redis);
    }
  }
}
