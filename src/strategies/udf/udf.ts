/**
 * The grouped-UDF strategy (the tutorial's Pandas UDF method, in Node): the sweep as data. The dataset is
 * cross-joined with the grid and the folds — one group per (config, fold), every row with a `training` flag —
 * and each group goes, as Arrow IPC bytes transferred (not cloned), to a piscina thread that runs the UDF on it
 * and sends back one Arrow row; the rows are concatenated into one Arrow table.
 *
 * Unlike Spark's applyInPandas, groups are made lazily, inside the task that ships them, and the dispatcher keeps
 * at most 2 × workers tasks in flight: at most that many groups exist at once, whatever the grid size, so peak
 * memory is the data plus about 2 × workers group copies rather than one copy per task.
 */
import { performance } from 'node:perf_hooks';
import type * as arrow from 'apache-arrow';
import { Piscina } from 'piscina';
import type { Task, TaskOutcome } from '../tasks.js';
import type { Metrics } from '../../eval/metrics.js';
import { dispatchOnPool } from '../scheduler.js';
import type { Strategy, StrategyHooks, StrategyStats, SweepPlan } from '../strategy.js';
import { checkGroupColumns, encodeGroup } from './groups.js';
import { concatResults, decodeResultTable, resultRowOf } from './results.js';
import { loadUdfModule } from './user-module.js';
import type { UdfWorkerData } from './udf-worker.js';

export interface UdfOptions {
  /** Path of a user UDF module (default export `(group, ctx) => metrics`); absent: the built-in UDF of plan.model. */
  module?: string;
  /** The ranking metric every result must contain (default "r2"). */
  metric?: string;
  /** Instrumentation: called when a group is materialised and when it is released (its task settled). */
  onGroup?: (event: GroupEvent) => void;
}

export interface GroupEvent {
  kind: 'create' | 'release';
  config: number;
  fold: number;
  /** Size of the group's Arrow IPC bytes. */
  bytes: number;
  /** Groups created and not yet released, after this event. */
  alive: number;
}

/** Fields the udf strategy reads from the plan when the caller sets them (see the lead's SweepPlan). */
export interface UdfPlanFields {
  udf?: string;
  metric?: string;
}

export interface UdfStats extends StrategyStats {
  /** Every successful task's result row (config, fold, fitMs, predictMs, metrics...), in completion order. */
  results: arrow.Table;
  /** Most groups alive at once (never more than the dispatch window, 2 × workers). */
  peakGroupsAlive: number;
  /** Size of one group's Arrow IPC bytes (the largest seen). */
  groupBytes: number;
  groups: number;
}

/** The worker file next to this module (compiled .js). */
function workerFile(): string {
  return new URL('./udf-worker.js', import.meta.url).href;
}

/** A Strategy whose stats also carry the results table and the group counts. */
export interface UdfStrategy extends Strategy {
  run(plan: SweepPlan, hooks: StrategyHooks): Promise<UdfStats>;
}

export function createUdfStrategy(options: UdfOptions = {}): UdfStrategy {
  return {
    name: 'udf',
    run: (plan, hooks) => runUdf(plan as SweepPlan & UdfPlanFields, hooks, options),
  };
}

/** The registered strategy: takes the UDF module and ranking metric from the plan (`plan.udf`, `plan.metric`). */
export const udfStrategy: UdfStrategy = createUdfStrategy();

async function runUdf(plan: SweepPlan & UdfPlanFields, hooks: StrategyHooks, options: UdfOptions): Promise<UdfStats> {
  const t0 = performance.now();
  const modulePath = options.module ?? plan.udf;
  const metric = options.metric ?? plan.metric ?? 'r2';
  checkGroupColumns(plan.data);
  // Fails with UdfLoadError (exit 2) before any thread starts or any group is made.
  const loaded = modulePath === undefined ? undefined : await loadUdfModule(modulePath);
  const workerData: UdfWorkerData = {
    moduleUrl: loaded?.url,
    model: plan.model,
    dataName: plan.data.name,
    features: [...plan.data.featureNames],
    target: plan.data.targetName,
    seed: plan.seed,
    partitions: plan.partitions,
    metric,
  };
  const resourceLimits = plan.workerMemoryMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: plan.workerMemoryMb } } : {};
  const pool = new Piscina({ filename: workerFile(), minThreads: plan.workers, maxThreads: plan.workers, idleTimeout: 60_000, workerData, ...resourceLimits });
  const startupMs = performance.now() - t0;

  let bytesShipped = 0;
  let alive = 0;
  let peakGroupsAlive = 0;
  let groupBytes = 0;
  let groups = 0;
  const resultTables: arrow.Table[] = [];

  const runTask = async (task: Task, signal: AbortSignal): Promise<TaskOutcome> => {
    // The group exists from here until this task settles: the dispatch window bounds how many do.
    const bytes = encodeGroup(plan.data, plan.folds, { config: task.config, fold: task.fold, params: plan.configs[task.config] }, modulePath !== undefined);
    const size = bytes.byteLength;
    alive++;
    groups++;
    peakGroupsAlive = Math.max(peakGroupsAlive, alive);
    groupBytes = Math.max(groupBytes, size);
    options.onGroup?.({ kind: 'create', config: task.config, fold: task.fold, bytes: size, alive });
    try {
      bytesShipped += size;
      const reply = (await pool.run(bytes, { transferList: [bytes.buffer], signal })) as Uint8Array | TaskOutcome;
      return outcomeOf(task, reply, resultTables);
    } finally {
      alive--;
      options.onGroup?.({ kind: 'release', config: task.config, fold: task.fold, bytes: size, alive });
    }
  };

  try {
    await dispatchOnPool(plan, runTask, hooks);
  } finally {
    await pool.destroy();
  }
  return { bytesShipped, startupMs, results: concatResults(resultTables), peakGroupsAlive, groupBytes, groups };
}

function outcomeOf(task: Task, reply: Uint8Array | TaskOutcome, resultTables: arrow.Table[]): TaskOutcome {
  if (!(reply instanceof Uint8Array)) return reply;
  const table = decodeResultTable(reply);
  const row = resultRowOf(table);
  resultTables.push(table);
  // User UDFs may return any metric names; the report generalises Metrics to named numbers.
  return { config: task.config, fold: task.fold, status: 'ok', metrics: row.metrics as Metrics, fitMs: row.fitMs, predictMs: row.predictMs, ...(row.diagnostics !== undefined ? { diagnostics: row.diagnostics } : {}) };
}
