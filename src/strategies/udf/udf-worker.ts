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
import type { ErrorRecord } from '../../errors.js';
import type { ModelKind } from '../../models/model.js';
import { getModel } from '../../models/registry.js';
import { evaluateGroup, GroupDataCache, type Evaluated } from './builtin-udfs.js';
import { groupKeyOf } from './groups.js';
import { checkUdfResult, encodeResult } from './results.js';
import { udfContext, type Udf } from './types.js';
import { firstUserFrame } from './user-module.js';

export interface UdfWorkerData {
  /** file: URL of the user's module; absent → the built-in UDF of `model`. */
  moduleUrl?: string;
  model: ModelKind;
  dataName: string;
  features: string[];
  target: string;
  seed: number;
  partitions: number;
  /** The ranking metric every result must contain. */
  metric: string;
}

/** What a task resolves to when the UDF failed (success is the result bytes themselves). */
export interface UdfFailure {
  failed: true;
  config: number;
  fold: number;
  error: ErrorRecord;
  fitMs: number;
}

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
let userUdf: Promise<Udf> | undefined;
const dataCache = new GroupDataCache();

function loadUserUdf(url: string): Promise<Udf> {
  userUdf ??= import(url).then((m: { default: Udf }) => m.default);
  return userUdf;
}

async function evaluate(group: arrow.Table, key: ReturnType<typeof groupKeyOf>): Promise<Evaluated> {
  const ctx = udfContext({ params: key.params, fold: key.fold, target: init.target, features: init.features, seed: init.seed });
  if (init.moduleUrl === undefined) {
    const out = evaluateGroup(getModel(init.model), group, { ...ctx, partitions: init.partitions, dataName: init.dataName }, dataCache);
    checkUdfResult(out.metrics, init.metric);
    return out;
  }
  const udf = await loadUserUdf(init.moduleUrl);
  const t0 = performance.now();
  const returned: unknown = await udf(group, ctx);
  const fitMs = performance.now() - t0;
  return { metrics: checkUdfResult(returned, init.metric), fitMs, predictMs: 0 };
}

export default async function runGroup(bytes: Uint8Array): Promise<unknown> {
  const group = arrow.tableFromIPC(bytes);
  const key = groupKeyOf(group);
  const t0 = performance.now();
  try {
    const { metrics, fitMs, predictMs } = await evaluate(group, key);
    return Piscina.move(encodeResult({ config: key.config, fold: key.fold, fitMs, predictMs, metrics }));
  } catch (err) {
    const failure: UdfFailure = { failed: true, config: key.config, fold: key.fold, error: errorRecord(err), fitMs: performance.now() - t0 };
    return failure;
  }
}

function errorRecord(err: unknown): ErrorRecord {
  if (!(err instanceof Error)) return { name: 'Error', message: `UDF threw ${typeof err === 'string' ? JSON.stringify(err) : String(err)}` };
  const rec: ErrorRecord = { name: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') rec.code = code;
  const frame = init.moduleUrl === undefined ? undefined : firstUserFrame(err, init.moduleUrl);
  if (frame) rec.frame = frame;
  return rec;
}
