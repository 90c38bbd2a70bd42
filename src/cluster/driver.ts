/**
 * The driver's side of a sweep on the cluster: one session per sweep. It stores the dataset once, registers the
 * sweep (its queue, its metadata, its id in the active set), enqueues jobs, and collects results as workers record
 * them: a blocking pop on the sweep's "done" list wakes it, the result is read from the results hash by id, and the
 * waiter registered for that id gets it. Cleanup obliterates the sweep's queue and deletes its keys — unless
 * `keep` — and only when the sweep completed: an interrupted sweep stays in Redis for `--resume`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, type JobsOptions } from 'bullmq';
import { UsageError } from '../errors.js';
import type { Redis } from 'ioredis';
import { bullConnection, closeRedis, ClusterError, connectRedis } from './connection.js';
import { publishDataset, releaseDataset } from './dataset-store.js';
import type { ClusterJob } from './jobs.js';
import { ACTIVE_KEY, PREFIX, sweepKeys } from './keys.js';
import { RESULT_TTL_S } from './results.js';
import type { ClusterAddress } from './url.js';
import { failure } from '../strategies/tasks.js';

export type ResultListener = (id: string, record: unknown) => void;

/** How long a driver's lock on its sweep lives without renewal (a killed driver's lock is gone this soon). */
export const LOCK_TTL_MS = 5000;
const LOCK_RENEW_MS = 1500;
/** A Redis that answers nothing for this long ends the sweep (instead of waiting forever). */
export const REDIS_SILENCE_MS = 60_000;

/** A record read from Redis as the driver can use it: parsed JSON, or a failure naming what was wrong with it. */
export function parseStoredRecord(id: string, json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return { ...failure({ name: 'InvalidResult', message: `the result recorded in Redis for ${id} is not JSON` }), by: 'redis' };
  }
}

// Renew the lock if it is still ours, and say whether the sweep's meta key is still there: 1 ok, 0 keys gone, -1 lock lost.
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('EXISTS', KEYS[2])`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class ClusterSession {
  readonly keys: ReturnType<typeof sweepKeys>;
  readonly queue: Queue;
  private readonly waiters = new Map<string, { resolve: (record: unknown) => void; reject: (err: Error) => void }>();
  private listener: ResultListener = () => {};
  private collecting: Promise<void> | undefined;
  private stopped = false;
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private renewTimer: NodeJS.Timeout | undefined;
  private registered = false;
  private beating = false;
  /** Set when the sweep cannot go on (its keys vanished, Redis went silent): every wait rejects with it. */
  failure: Error | undefined;
  private readonly failureListeners: Array<(err: Error) => void> = [];

  private constructor(
    readonly addr: ClusterAddress,
    readonly sweepId: string,
    readonly redis: Redis,
    private readonly blocking: Redis,
  ) {
    this.keys = sweepKeys(sweepId);
    this.queue = new Queue(this.keys.queue, { connection: bullConnection(addr, 'sweep-driver'), prefix: PREFIX });
    // BullMQ's connection reports a lost server as 'error' events; without a listener ioredis prints stacks.
    this.queue.on('error', () => {});
  }

  /**
   * Take the sweep's lock, so that a second driver of the same sweep cannot reset the first one's results. A lock
   * left by a driver that was killed expires within LOCK_TTL_MS: wait that long for it before refusing.
   */
  async lock(onWait: (holder: string) => void): Promise<void> {
    const deadline = Date.now() + LOCK_TTL_MS + 1000;
    let told = false;
    for (;;) {
      if ((await this.redis.set(this.keys.lock, this.owner, 'PX', LOCK_TTL_MS, 'NX')) === 'OK') break;
      const holder = (await this.redis.get(this.keys.lock)) ?? 'another driver';
      if (Date.now() > deadline) {
        throw new UsageError(`sweep ${this.sweepId} is already being run by another driver (${holder.split(':').slice(0, 2).join(':')}) on ${this.addr.display}`, 'wait for it to finish, or stop it first; a second driver would reset its results');
      }
      if (!told) onWait(holder);
      told = true;
      await new Promise((r) => setTimeout(r, 250));
    }
    this.renewTimer = setInterval(() => void this.renew(), LOCK_RENEW_MS);
    this.renewTimer.unref();
  }

  /** One watchdog beat: renew the lock and check the sweep's keys are still in Redis. */
  private async renew(): Promise<void> {
    // One beat at a time: while Redis is down a beat waits, and the next ones would only queue behind it.
    if (this.stopped || this.failure || this.beating) return;
    this.beating = true;
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<'silent'>((r) => (timer = setTimeout(() => r('silent'), REDIS_SILENCE_MS)));
    try {
      // Before register() the meta key does not exist yet: check the lock key itself instead.
      const watched = this.registered ? this.keys.meta : this.keys.lock;
      const answer = await Promise.race([this.redis.eval(RENEW, 2, this.keys.lock, watched, this.owner, LOCK_TTL_MS) as Promise<number>, silent]);
      if (this.stopped) return;
      if (answer === 'silent') this.fail(new ClusterError(`the cluster at ${this.addr.display} has not answered for ${REDIS_SILENCE_MS / 1000} s`, 'the same command with --resume re-runs what is missing once Redis is back'));
      else if (answer !== 1) this.fail(new ClusterError(`sweep ${this.sweepId}'s keys are gone from Redis (the server restarted without its data, or they were deleted)`, 'run the same command with --resume: it re-runs what is missing'));
    } catch {
      /* a failed beat (connection down): the next one tries again, and silence ends the sweep */
    } finally {
      clearTimeout(timer);
      this.beating = false;
    }
  }

  /** End the sweep with `err`: every pending wait rejects with it. */
  fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiters.values()) w.reject(err);
    this.waiters.clear();
    for (const l of this.failureListeners) l(err);
  }

  /** Called once if the session fails. */
  onFailure(listener: (err: Error) => void): void {
    if (this.failure) listener(this.failure);
    else this.failureListeners.push(listener);
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
    this.registered = true;
    return run;
  }

  /** Every result recorded so far (a resumed sweep reuses them). */
  async results(): Promise<Map<string, unknown>> {
    const all = await this.redis.hgetall(this.keys.results);
    return new Map(Object.entries(all).map(([id, json]) => [id, parseStoredRecord(id, json)]));
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
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.set(id, { resolve, reject }));
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
      } catch {
        if (this.stopped) return;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const values = await this.blocking.hmget(this.keys.results, ...ids);
      ids.forEach((id, k) => {
        const json = values[k];
        if (json === null) return; // forgotten meanwhile
        const record = parseStoredRecord(id, json);
        const waiter = this.waiters.get(id);
        if (waiter) {
          this.waiters.delete(id);
          waiter.resolve(record);
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
    clearInterval(this.renewTimer);
    try {
      if (this.renewTimer !== undefined && !this.failure) await this.redis.eval(RELEASE, 1, this.keys.lock, this.owner).catch(() => {});
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
