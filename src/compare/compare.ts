/**
 * `compareStrategies`: prepare a sweep once, then run every (strategy, workers) combination `warmup` times
 * unmeasured and `repeat` times measured, and summarise (see summarize.ts). By default each run is a child
 * process given the same options (so its peak RSS is its own; runner.ts says why), all on the same data, folds
 * and configs, which a fingerprint checks.
 */
import { parseClusterUrl } from '../cluster/url.js';
import { UsageError } from '../errors.js';
import { availableStrategies, resolveStrategyName } from '../strategies/index.js';
import { STRATEGY_NAMES, strategyRefuses, type StrategyName } from '../strategies/strategy.js';
import type { ModelKind } from '../models/model.js';
import { getModel } from '../models/registry.js';
import { defaultWorkers, prepareSweepInput, type PreparedSweep, type SweepInput } from '../api/run.js';
import type { CompareResult, Isolation } from './result.js';
import { fingerprint, runInChild, runInProcess, serializableOptions, type RunRecord, type RunSpec } from './runner.js';
import { buildCompareResult, type MeasuredRun } from './summarize.js';

export interface CompareOptions extends SweepInput {
  /** Strategy names (aliases accepted); default every registered one, in the order native, thread-pool, udf. */
  strategies?: string[];
  /** Worker counts; default 1 and every core. */
  workerCounts?: number[];
  /** Measured runs per combination (default 3). */
  repeat?: number;
  /** Unmeasured runs per combination before those (default 1). */
  warmup?: number;
  /** Default "process"; "in-process" is forced when `data` is a Dataset in memory. */
  isolation?: Isolation;
  /**
   * Publish every run to `sweep worker` processes at this URL (redis://…) instead of running it on local threads.
   * The number of workers is then the cluster's, not the driver's: `workerCounts` is refused, and each strategy
   * runs with the driver's default (as `sweep run --cluster` does; only native uses it, as its partition blocks).
   */
  cluster?: string;
  /** Told before every run starts. */
  onRun?: (p: { done: number; total: number; strategy: string; workers: number; warmup: boolean }) => void;
}

export const DEFAULT_REPEAT = 3;
export const DEFAULT_WARMUP = 1;

/** The order (native first), keeping only registered strategies that fit the model. */
export function defaultStrategies(udf: boolean, model: ModelKind = 'rf'): StrategyName[] {
  if (udf) return ['udf'];
  const order = (['native', 'thread-pool', 'udf'] as const).filter((s) => (STRATEGY_NAMES as readonly string[]).includes(s));
  const registered = availableStrategies() as string[];
  return order.filter((s) => registered.includes(s) && strategyRefuses(s, model) === undefined);
}

export function defaultWorkerCounts(): number[] {
  return [...new Set([1, defaultWorkers()])];
}

export function resolveStrategies(names: readonly string[] | undefined, udf: boolean, model: ModelKind = 'rf'): StrategyName[] {
  const list = names === undefined ? defaultStrategies(udf, model) : [...new Set(names.map(resolveStrategyName))];
  if (list.length === 0) throw new UsageError('--strategies needs at least one strategy');
  if (udf && list.some((s) => s !== 'udf')) throw new UsageError(`--udf runs with the udf strategy only, not ${list.filter((s) => s !== 'udf').join(', ')}`);
  for (const s of list) {
    const why = udf ? undefined : strategyRefuses(s, model);
    if (why) throw new UsageError(why);
  }
  return list;
}

function checkCount(v: number, name: string, min: number): number {
  if (!Number.isInteger(v) || v < min || v > 1000) throw new UsageError(`--${name} must be an integer from ${min} to 1000, got ${v}`);
  return v;
}

export async function compareStrategies(options: CompareOptions = {}): Promise<CompareResult> {
  if (options.cluster !== undefined) {
    parseClusterUrl(options.cluster); // a bad URL fails before any data is read
    if (options.workerCounts !== undefined) throw new UsageError('--workers cannot be compared with --cluster: the cluster\'s `sweep worker` processes set the parallelism, not this driver');
  }
  const strategies = resolveStrategies(options.strategies, options.udf !== undefined, options.model ? getModel(options.model).kind : 'rf');
  const workerCounts = options.cluster !== undefined ? [defaultWorkers()] : [...new Set(options.workerCounts ?? defaultWorkerCounts())].sort((a, b) => a - b);
  for (const w of workerCounts) checkCount(w, 'workers', 1);
  const repeat = checkCount(options.repeat ?? DEFAULT_REPEAT, 'repeat', 1);
  const warmup = checkCount(options.warmup ?? DEFAULT_WARMUP, 'warmup', 0);
  const isolation: Isolation = typeof options.data === 'object' ? 'in-process' : (options.isolation ?? 'process');

  const prep = await prepareSweepInput({ ...options, onNote: options.onNote ?? options.onWarning, strategy: undefined });
  const run = runner(prep, options, isolation);
  const cluster = options.cluster !== undefined ? { cluster: options.cluster } : {};
  const specs: RunSpec[] = strategies.flatMap((strategy) => workerCounts.map((workers) => ({ strategy, workers, ...cluster })));
  const total = specs.length * (warmup + repeat);
  let done = 0;
  const measured: MeasuredRun[] = [];
  for (const spec of specs) {
    for (let k = 0; k < warmup + repeat; k++) {
      options.onRun?.({ done, total, ...spec, warmup: k < warmup });
      const record = await run(spec);
      done++;
      if (k >= warmup) measured.push({ ...spec, repeat: k - warmup + 1, ...record });
    }
  }
  return buildCompareResult(measured, { repeat, warmup, isolation });
}

function runner(prep: PreparedSweep, options: CompareOptions, isolation: Isolation): (spec: RunSpec) => Promise<RunRecord> {
  if (isolation === 'in-process') return (spec) => runInProcess(prep, spec, options.signal);
  const request = { options: serializableOptions(options), fingerprint: fingerprint(prep) };
  return (spec) => runInChild({ ...request, ...spec }, options.signal);
}
