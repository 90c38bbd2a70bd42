/**
 * A piscina thread of the udf strategy: receives one group as transferred Arrow IPC bytes, decodes it (zero
 * copies: the table's columns are views of those bytes), runs the UDF — the user's module, imported once per
 * thread, or a built-in model — and returns the one-row result as Arrow IPC bytes, moved back. A UDF that
 * throws or returns the wrong shape becomes a failed result with its message and the first stack frame in the
 * user's file; one that hangs or exits is the pool's business (timeout terminates the thread; exit fails the task).
 */
import { performance } from 'node:perf_hooks';
import './user-output.js';
import * as arrow from 'apache-arrow';
import { Piscina } from 'piscina';
import { GroupDataCache, } from './builtin-udfs.js';
import { groupKeyOf } from './groups.js';
import { encodeResult } from './results.js';
import { firstUserFrame } from './user-module.js';
import { evaluateUdfGroup, udfErrorRecord, type GroupRun } from './evaluate-group.js';
import { failedOutcome } from '../tasks.js';

/** The thread's workerData: what every group of the sweep runs with. */
export type UdfWorkerData = GroupRun;


const init = Piscina.workerData as UdfWorkerData;

/**
 * `process.exit()` called from the user's module would end this thread; make it an error of that UDF's task
 * (with its frame) instead. Node itself calls process.exit on a thread's fatal error: that call goes through.
 */
export class UdfExitError extends Error {
  readonly code = 'E_UDF_EXIT';
  constructor(code: unknown) {
    super(`UDF called process.exit(${code === undefined ? '' : String(code)})`);
    this.name = 'UdfExitError';
  }
}
const realExit = process.exit.bind(process);
process.exit = ((code?: number | string | null) => {
  const url = init.moduleUrl;
  if (url !== undefined && firstUserFrame(new Error('exit'), url) !== undefined) throw new UdfExitError(code);
  return realExit(code);
}) as typeof process.exit;
const dataCache = new GroupDataCache();

export default async function runGroup(bytes: Uint8Array): Promise<unknown> {
  const group = arrow.tableFromIPC(bytes);
  const key = groupKeyOf(group);
  const t0 = performance.now();
  try {
    const { metrics, fitMs, predictMs, diagnostics } = await evaluateUdfGroup(group, key, init, dataCache);
    return Piscina.move(encodeResult({ config: key.config, fold: key.fold, fitMs, predictMs, metrics, ...(diagnostics !== undefined ? { diagnostics } : {}) }));
  } catch (err) {
    // Success is the result bytes themselves; a failure is the task's outcome.
    return failedOutcome(key.config, key.fold, udfErrorRecord(err, init.moduleUrl), performance.now() - t0);
  }
}
