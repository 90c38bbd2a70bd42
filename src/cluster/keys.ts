/**
 * Names in Redis. Everything sweep writes sits under the "sweep:" prefix: BullMQ's keys for a sweep's queue
 * ("sweep:q-<id>:…"), the sweep's own keys ("sweep:<id>:…") and shared datasets ("sweep:data:<sha256>").
 * Ids are content hashes of the sweep identity (strategies/identity.ts), so the same sweep run again (or resumed)
 * finds the same queue, results and task ids.
 */

/** BullMQ key prefix of every sweep queue. */
export const PREFIX = 'sweep';
/** SET of the ids of sweeps that workers should serve. */
export const ACTIVE_KEY = `${PREFIX}:active`;

export const sweepKeys = (sweepId: string) => ({
  queue: `q-${sweepId}`,
  /** HASH: job id → result record (JSON); written with HSETNX, so a job counts once. */
  results: `${PREFIX}:${sweepId}:results`,
  /** LIST: job ids in the order their results arrived (the driver pops them). */
  done: `${PREFIX}:${sweepId}:done`,
  /** HASH: what workers need to serve the sweep (retries, data hash). */
  meta: `${PREFIX}:${sweepId}:meta`,
  /** Counter of driver runs (native job ids of a dead driver never match a new run's). */
  runs: `${PREFIX}:${sweepId}:runs`,
  /** STRING with an expiry: the driver running the sweep (renewed while it runs), so a second one is refused. */
  lock: `${PREFIX}:${sweepId}:lock`,
});

/**
 * STRING: the forest bins (thresholds per maxBins) of a native run, stored once by its driver (native-driver.ts);
 * deleted with the sweep's keys. The run is the first number of the run's native job ids.
 */
export const binsKey = (sweepId: string, run: number) => `${PREFIX}:${sweepId}:bins:${run}`;

/** The driver run a native job id belongs to (n<run>-<job>-<block>). */
export const runOfJobId = (jobId: string): number => Number(jobId.slice(1, jobId.indexOf('-')));

export const dataKey = (hash: string) => `${PREFIX}:data:${hash}`;
/** SET of the sweeps using a dataset: the last one to finish deletes it. */
export const dataUsersKey = (hash: string) => `${PREFIX}:data:${hash}:users`;

/** Sweep and task ids are the sweep identity's (strategies/identity.ts): the same for checkpoints and compare. */
export type { SweepIdentity } from '../strategies/identity.js';
export { sweepIdOf as makeSweepId, taskIdOf as makeTaskId } from '../strategies/identity.js';

export const SWEEP_ID = /^[0-9a-f]{16}$/;
export const DATA_HASH = /^[0-9a-f]{64}$/;
export const TASK_ID = /^t[0-9a-f]{32}$/;
/** Native partition jobs: n<driver run>-<job>-<block>. */
export const NATIVE_JOB_ID = /^n\d{1,9}-\d{1,12}-\d{1,4}$/;
