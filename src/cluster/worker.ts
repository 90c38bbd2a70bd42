/**
 * `sweep worker`: a process that joins a cluster and runs its jobs. It watches the set of active sweeps and serves
 * each with a BullMQ Worker on that sweep's queue; a job is checked against the schema, its dataset fetched once
 * per hash (DatasetCache) and run in a piscina pool of `concurrency` threads with the same code as local workers
 * (pool-thread.ts). The main thread only moves messages, so BullMQ can renew job locks on time: a worker that is
 * killed loses its locks within LOCK_MS and another worker's stalled check re-queues its jobs.
 *
 * Retries: a job has `--retries + 1` attempts (set by the driver); a failed attempt that has attempts left is
 * thrown back to BullMQ, the last one is recorded as the task's failure (then thrown, so the job's state says so).
 * A worker that vanishes mid-job is a stall, not an attempt; a job may stall `--retries + 1` times.
 */
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Piscina } from 'piscina';
import type { Redis } from 'ioredis';
import { shareDataset, type SharedDatasetHandle } from '../data/dataset.js';
import { toErrorRecord } from '../errors.js';
import { BoundedCache } from '../util/cache.js';
import { encodeDeep } from './codec.js';
import { bullConnection, closeRedis, connectRedis } from './connection.js';
import { DatasetCache } from './dataset-store.js';
import { needsBins, resultIdOf, validateJob, type ClusterJob } from './jobs.js';
import { ACTIVE_KEY, binsKey, NATIVE_JOB_ID, PREFIX, runOfJobId, SWEEP_ID, sweepKeys, TASK_ID } from './keys.js';
import { hasResult, recordResult, type NativeRecord, type TaskRecord } from './results.js';
import type { PoolMessage, PoolOutcome } from './pool-thread.js';
import { checkUdfDir, ModuleRefusedError, resolveUdfModule } from './udf-dir.js';
import { parseClusterUrl } from './url.js';
import { failure } from '../strategies/tasks.js';

/** A killed worker's jobs come back after about LOCK_MS + STALLED_MS (STACK.md: 3–4 s). */
export const LOCK_MS = 2000;
export const STALLED_MS = 1000;

export interface ClusterWorkerOptions {
  url: string;
  /** Pool threads, and jobs taken at once per sweep. */
  concurrency: number;
  udfDir?: string;
  /** How often the set of active sweeps is read (ms). */
  pollMs?: number;
  log?: (line: string) => void;
  /** Log every job's start and end (its id, kind and time). */
  verbose?: boolean;
  /** Abort to leave the cluster: running jobs finish first, within graceMs. */
  signal?: AbortSignal;
  /** How long running jobs may take to finish once the signal aborts (default GRACE_MS, 10 s). */
  graceMs?: number;
}

interface Served {
  worker: Worker;
  retries: number;
}

export async function runClusterWorker(opts: ClusterWorkerOptions): Promise<void> {
  const addr = parseClusterUrl(opts.url);
  const log = opts.log ?? ((line: string) => process.stderr.write(`sweep worker: ${line}\n`));
  const udfDir = opts.udfDir === undefined ? undefined : checkUdfDir(opts.udfDir);
  const redis = await connectRedis(addr, 'sweep-worker');
  const me = `${hostname()}:${process.pid}`;
  const pool = new Piscina({
    filename: new URL('./pool-thread.js', import.meta.url).href,
    minThreads: opts.concurrency,
    maxThreads: opts.concurrency,
    idleTimeout: 60_000,
  });
  const datasets = new DatasetCache(redis);
  const handles = new BoundedCache<Promise<SharedDatasetHandle>>(4);
  const served = new Map<string, Served>();
  log(`joined ${addr.display} with ${opts.concurrency} thread${opts.concurrency === 1 ? '' : 's'}${udfDir ? `, UDF modules from ${udfDir}` : ', built-in models only'}`);

  const handleOf = (hash: string): Promise<SharedDatasetHandle> => handles.load(hash, () => datasets.get(hash).then(shareDataset));

  // A native run's stored bins (the same text for all its jobs): read once per run, the last few kept; a run whose
  // bins are not there (yet, or any more) is asked again next time.
  const storedBins = new BoundedCache<Promise<string | undefined>>(8);
  const binsOf = (sweepId: string, run: number): Promise<string | undefined> => {
    const key = binsKey(sweepId, run);
    return storedBins.load(key, () => redis.get(key).then((v) => v ?? undefined), (v) => v !== undefined);
  };

  const process1 = (sweepId: string) => async (job: Job, _token?: string, signal?: AbortSignal): Promise<string> => {
    let data: ClusterJob;
    try {
      data = validateJob(job.data);
      if (data.sweepId !== sweepId) throw new Error(`job.sweepId: ${data.sweepId} is not the sweep of this queue (${sweepId})`);
      if (job.id !== resultIdOf(data)) throw new Error(`job id ${job.id} does not match its data (${resultIdOf(data)})`);
    } catch (err) {
      const message = `refused job ${job.id} of sweep ${sweepId}: ${err instanceof Error ? err.message : String(err)}`;
      log(message);
      // Record the refusal under the job's id when it is one of ours, so the driver reports it instead of waiting.
      if (typeof job.id === 'string') await recordFailureById(redis, sweepId, job.id, { name: 'JobRefused', code: 'E_JOB_REFUSED', message }, me).catch(() => {});
      throw new UnrecoverableError(message);
    }
    const id = resultIdOf(data);
    // A task may already be done (its first worker was presumed lost but finished); native jobs are never repeated.
    if ((data.kind === 'task' || data.kind === 'udf') && (await hasResult(redis, sweepId, id))) return 'duplicate';
    const t0 = performance.now();
    if (opts.verbose) log(`running ${id} (${data.kind === 'native' ? `native ${data.message.type}` : data.kind}) of sweep ${sweepId}`);
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let result: unknown;
    try {
      const udfUrl = data.kind === 'udf' && data.module !== undefined ? resolveUdfModule(udfDir, data.module) : undefined;
      const bins = data.kind === 'native' && needsBins(data.message) ? await binsOf(sweepId, runOfJobId(data.jobId)) : undefined;
      const message: PoolMessage = { job: data, data: await handleOf(data.dataHash), ...(udfUrl !== undefined ? { udfUrl } : {}), ...(bins !== undefined ? { bins } : {}) };
      const signals = [signal, data.timeoutMs === undefined ? undefined : AbortSignal.timeout(data.timeoutMs)].filter((s): s is AbortSignal => s !== undefined);
      result = await pool.run(message, signals.length > 0 ? { signal: AbortSignal.any(signals) } : {});
    } catch (err) {
      const refused = err instanceof ModuleRefusedError;
      if (refused) log(`refused job ${job.id} of sweep ${sweepId}: ${err.message}`);
      const timedOut = err instanceof Error && err.name === 'AbortError' && data.timeoutMs !== undefined && !signal?.aborted;
      const record = timedOut ? { name: 'TaskTimeoutError', code: 'E_TIMEOUT', message: `task timed out after ${data.timeoutMs! / 1000} s` } : toErrorRecord(err);
      if (final || refused) await recordFailure(redis, sweepId, data, record, me);
      if (refused) throw new UnrecoverableError(err.message);
      throw err;
    }
    if (data.kind === 'task' || data.kind === 'udf') {
      const o = result as PoolOutcome;
      if (o.status === 'failed' && !final) throw Object.assign(new Error(o.error?.message ?? 'task failed'), { name: o.error?.name ?? 'Error' });
      const rec: TaskRecord = { ...o, by: me };
      await recordResult(redis, sweepId, id, rec);
      if (opts.verbose) log(`finished ${id} (${o.status}) in ${(performance.now() - t0).toFixed(0)} ms`);
      if (o.status === 'failed') throw Object.assign(new Error(o.error?.message ?? 'task failed'), { name: o.error?.name ?? 'Error' });
      return 'ok';
    }
    const rec: NativeRecord = { reply: encodeDeep(result), by: me };
    await recordResult(redis, sweepId, id, rec);
    if (opts.verbose) log(`finished ${id} in ${(performance.now() - t0).toFixed(0)} ms`);
    return 'ok';
  };

  const serve = async (sweepId: string): Promise<void> => {
    const meta = await redis.hgetall(sweepKeys(sweepId).meta);
    if (meta.retries === undefined) return; // registered but not described yet: next poll
    const retries = Number(meta.retries);
    const worker = new Worker(sweepKeys(sweepId).queue, process1(sweepId), {
      connection: bullConnection(addr, 'sweep-worker'),
      prefix: PREFIX,
      concurrency: opts.concurrency,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_MS,
      maxStalledCount: retries + 1,
    });
    // A job that stalled too often is failed by BullMQ without running our processor: record that failure.
    worker.on('failed', (job, err) => {
      if (!job || !(err instanceof UnrecoverableError) || !/stalled/.test(err.message)) return;
      try {
        const data = validateJob(job.data);
        void recordFailure(redis, sweepId, data, { name: 'WorkerLost', message: `the worker running it was lost ${retries + 2} times (${err.message})` }, me).catch(() => {});
      } catch {
        /* not one of ours */
      }
    });
    let quarantining: Promise<void> | undefined;
    worker.on('error', (err) => {
      // A job whose data is not JSON never reaches the processor (BullMQ fails to parse it while fetching and
      // would fetch it again every second): fail it permanently, and record the failure for the driver.
      if (err instanceof SyntaxError) {
        quarantining ??= quarantineUnparsable(redis, sweepId, me)
          .then((ids) => ids.forEach((id) => log(`refused job ${id} of sweep ${sweepId}: its data is not JSON`)))
          .catch(() => {})
          .finally(() => setTimeout(() => (quarantining = undefined), 1000).unref());
        return;
      }
      log(`sweep ${sweepId}: ${err.message}`);
    });
    served.set(sweepId, { worker, retries });
    log(`serving sweep ${sweepId}`);
  };

  const stop = (sweepId: string): void => {
    const s = served.get(sweepId);
    if (!s) return;
    served.delete(sweepId);
    const keys = sweepKeys(sweepId);
    void s.worker
      .close()
      .then(async () => {
        // The driver of a finished sweep obliterates its queue and deletes its keys (unless --keep, which keeps
        // the sweep's meta). Our stalled-job checker may have run once more after that and written two queue
        // keys back; remove them, unless the sweep is served again (resumed) or kept.
        if (served.has(sweepId) || (await redis.exists(keys.meta)) === 1) return;
        await redis.del(`${PREFIX}:${keys.queue}:meta`, `${PREFIX}:${keys.queue}:stalled-check`);
      })
      .catch(() => {});
    log(`sweep ${sweepId} finished`);
  };

  const poll = async (): Promise<void> => {
    const active = new Set((await redis.smembers(ACTIVE_KEY)).filter((id) => SWEEP_ID.test(id)));
    for (const id of active) if (!served.has(id)) await serve(id);
    for (const id of [...served.keys()]) if (!active.has(id)) stop(id);
  };

  try {
    // A poll waits on Redis, which may be down (commands queue until it is back): a leave signal must not wait for it.
    const left = new Promise<void>((resolve) => (opts.signal?.aborted ? resolve() : opts.signal?.addEventListener('abort', () => resolve(), { once: true })));
    while (!opts.signal?.aborted) {
      try {
        await Promise.race([poll(), left]);
      } catch (err) {
        log(`cannot read the active sweeps: ${err instanceof Error ? err.message : String(err)}`);
      }
      await sleep(opts.pollMs ?? 500, opts.signal);
    }
  } finally {
    // Running jobs get GRACE_MS to finish and record their results; BullMQ's close waits on Redis, which may be
    // down: past the grace the worker leaves anyway (the jobs it held go back to the queue when their locks expire).
    log('leaving: waiting for running jobs');
    const closed = await withinGrace(Promise.allSettled([...served.values()].map((s) => s.worker.close())), opts.graceMs ?? GRACE_MS);
    if (!closed) {
      log(`leaving after ${(opts.graceMs ?? GRACE_MS) / 1000} s without finishing: Redis does not answer; unfinished jobs return to the queue`);
      for (const s of served.values()) void s.worker.close(true).catch(() => {});
    }
    await withinGrace(pool.destroy(), 2000);
    await withinGrace(closeRedis(redis), 2000);
    redis.disconnect();
  }
}

/** How long a leaving worker waits for its running jobs. */
export const GRACE_MS = 10_000;

/** True when `p` settles within `ms`, false otherwise (it is left to settle on its own). */
async function withinGrace(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

// Move an active job out of the queue for good: off the active list, its lock gone, into the failed set.
const QUARANTINE = `
if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[3] .. ':lock')
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[3], 'failedReason', ARGV[3], 'finishedOn', ARGV[2])
return 1`;

/** Fail every active job of the sweep's queue whose data is not JSON; returns their ids. */
async function quarantineUnparsable(redis: Redis, sweepId: string, by: string): Promise<string[]> {
  const base = `${PREFIX}:${sweepKeys(sweepId).queue}`;
  const out: string[] = [];
  for (const id of await redis.lrange(`${base}:active`, 0, 999)) {
    const data = await redis.hget(`${base}:${id}`, 'data');
    if (data === null) continue;
    try {
      JSON.parse(data);
      continue;
    } catch {
      /* unparsable: quarantined below */
    }
    const reason = 'its data is not JSON';
    if ((await redis.eval(QUARANTINE, 3, `${base}:active`, `${base}:failed`, `${base}:${id}`, id, Date.now(), reason)) !== 1) continue;
    out.push(id);
    const error = { name: 'JobRefused', code: 'E_JOB_REFUSED', message: `refused job ${id} of sweep ${sweepId}: ${reason}` };
    await recordFailureById(redis, sweepId, id, error, by).catch(() => {});
  }
  return out;
}

async function recordFailure(redis: Redis, sweepId: string, job: ClusterJob, error: TaskRecord['error'] & object, by: string): Promise<void> {
  await recordFailureById(redis, sweepId, resultIdOf(job), error, by);
}

/**
 * Record a failure under a job's result id, in the shape its driver reads: a task's failed result, or a native
 * job's error. An id that is neither (not one of ours) records nothing.
 */
async function recordFailureById(redis: Redis, sweepId: string, id: string, error: TaskRecord['error'] & object, by: string): Promise<void> {
  const rec: TaskRecord | NativeRecord | undefined = TASK_ID.test(id) ? { ...failure(error), by } : NATIVE_JOB_ID.test(id) ? { error, by } : undefined;
  if (rec) await recordResult(redis, sweepId, id, rec);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
