/**
 * Results in Redis. A job's result is recorded under its id in the sweep's results hash with HSETNX — the first
 * result wins, so a task that ran twice (its worker was presumed dead but was not) still counts once — and only
 * that first write appends the id to the sweep's "done" list, which the driver pops. Both happen in one Lua script,
 * so a worker killed between them cannot leave a result nobody is told about. A sweep that is no longer active
 * (finished and cleaned up) records nothing, so stragglers cannot recreate its keys.
 */
import type { Redis } from 'ioredis';
import type { ErrorRecord } from '../errors.js';
import type { TaskResult } from '../strategies/tasks.js';
import { ACTIVE_KEY, sweepKeys } from './keys.js';

/** The result of a task (thread-pool or udf job) as recorded in Redis: the task result and who made it. */
export type TaskRecord = TaskResult & {
  /** Which worker process produced it (host:pid), for diagnostics. */
  by: string;
};

/** The reply to a native job (protocol.ts WorkerReply, typed arrays encoded), or an error. */
export interface NativeRecord {
  reply?: unknown;
  error?: ErrorRecord;
  by: string;
}

export const RESULT_TTL_S = 7 * 24 * 3600;

const RECORD = `
if redis.call('SISMEMBER', KEYS[3], ARGV[3]) == 0 then return -1 end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1`;

/** 1: recorded; 0: a result was already there (duplicate); −1: the sweep is not active any more. */
export async function recordResult(redis: Redis, sweepId: string, id: string, record: TaskRecord | NativeRecord): Promise<number> {
  const k = sweepKeys(sweepId);
  return (await redis.eval(RECORD, 3, k.results, k.done, ACTIVE_KEY, id, JSON.stringify(record), sweepId, RESULT_TTL_S)) as number;
}

export async function hasResult(redis: Redis, sweepId: string, id: string): Promise<boolean> {
  return (await redis.hexists(sweepKeys(sweepId).results, id)) === 1;
}
