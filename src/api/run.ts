/**
 * The library entry point: everything `sweep run` does, callable from TypeScript.
 *   load → dataset → folds → grid → tasks → strategy → outcomes → aggregate → SweepResult
 * `prepareSweep` does the part that is the same for every strategy (so `compare` prepares once and runs many);
 * `executeSweep` runs one strategy over a prepared sweep.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { selectRows, type Dataset } from '../data/dataset.js';
import { DEFAULT_SEED, loadOptionsOf } from './load-options.js';
import { allRows, DEFAULT_FOLDS, leastRows, normalEvaluation, planFolds, planHoldout, splitSizes, TEST, type Evaluation, type FoldPlan } from '../data/folds.js';
import { resolveTask, type TaskChoice, type TaskKind } from '../data/task.js';
import { CLASSIFICATION_METRICS } from '../eval/classification.js';
import { loadData, type LoadOptions } from '../data/load.js';
import { DEFAULT_PARTITIONS } from '../data/partitions.js';
import { UsageError } from '../errors.js';
import { METRIC_NAMES, parseMetricSpec, type MetricName } from '../eval/metrics.js';
import type { ModelKind } from '../models/model.js';
import { parseParamValue, type Params } from '../models/params.js';
import { getModel } from '../models/registry.js';
import { defaultParams, paramSpecs, SPARK_FOREST_PRESET } from '../models/specs.js';
import { RESULT_SCHEMA, type SweepResult, type TrialResult } from '../sweep/result.js';
import { VERSION } from '../version.js';
import { getStrategy, resolveStrategyName } from '../strategies/index.js';
import { loadUdfModule } from '../strategies/udf/user-module.js';
import { strategyRefuses, type StrategyName } from '../strategies/strategy.js';
import type { SweepOptions } from './public-types.js';
import { aggregateTrial, aggregateTrials, bestOf, liftDiagnostics, rankTrials } from '../sweep/aggregate.js';
import { expandGrid, genericValue, newAxes, type GridAxes } from '../sweep/grid.js';
import { gridAxesOf, isRangeSpec, newSpace, rangeDimension, type SearchSpace } from '../sweep/search/space.js';
import { checkSearch, DEFAULT_BATCH, type SearchMethod, type SearchSettings } from '../sweep/search/methods.js';
import { makeTasks, type Task, type TaskOutcome } from '../strategies/tasks.js';
import { baseId, checkpointHeader, checkpointsFor, CheckpointWriter, dataHash, defaultCheckpointPath, readCheckpoints } from '../sweep/checkpoint.js';
import { checkOutcome } from '../strategies/record.js';
import { predictionsFor, scoreRows } from '../strategies/evaluate.js';
import { refit } from './save.js';
import { needsDesign } from '../models/linear/design.js';
import { existsSync } from 'node:fs';
import { modelIdentity } from '../strategies/identity.js';
import { checkInteger } from '../util/checks.js';
import { MAX_WORKERS } from '../strategies/prestart.js';

/**
 * What a sweep is asked to do, loosely typed: the CLI and `compare` build it from flags and every field is
 * validated by prepareSweepInput. Library users get the precise `SweepOptions` (public-types.ts).
 */
export interface SweepInput extends LoadOptions {
  /** "diabetes" (default), "friedman1:rows=…", a CSV path, or a Dataset already in memory. */
  data?: string | Dataset;
  model?: ModelKind | string;
  /** Regression or classification; auto (default) decides from the target (data/task.ts). */
  task?: TaskChoice;
  /** Parameter name → list of values (validated against the model's parameters). */
  grid?: Record<string, unknown>;
  /** "spark": Spark MLlib's RandomForestRegressor defaults (maxDepth 5, onethird, 32 bins) under the grid. */
  preset?: 'spark';
  /** A user UDF module (ESM) for the udf strategy; its parameters come from `grid` as given. */
  udf?: string;
  evaluation?: Evaluation;
  seed?: number;
  strategy?: StrategyName | string;
  workers?: number;
  partitions?: number;
  /**
   * Keep this fraction of the rows out of the search (stratified on a classification, drawn with the seed):
   * cross-validate on the rest, then refit the best config on the rest and score it on these (result.holdout).
   */
  holdout?: number;
  /** The ranking metric, optionally with its direction: "r2", "log_loss:min" (default r2, log_loss for a classification). */
  metric?: MetricName | string;
  /** How to search the space (default: the grid of every combination). */
  search?: { method?: SearchMethod | string; trials?: number; batch?: number; resource?: string; factor?: number; minResource?: number; timeBudgetMs?: number };
  taskTimeoutMs?: number;
  retries?: number;
  signal?: AbortSignal;
  /** Called after every finished task. */
  onProgress?: (p: { done: number; failed: number; total: number }) => void;
  /** Non-fatal notes (rows dropped, …). */
  onWarning?: (message: string) => void;
  /** What was decided for the user (the task chosen and why). */
  onNote?: (message: string) => void;
}

export type { SweepOptions };
export type { ExecuteOptions, PreparedSweep, TaskRun } from './types.js';
import type { ExecuteOptions, PreparedSweep, TaskRun } from './types.js';

export { DEFAULT_SEED };
export { DEFAULT_FOLDS };

export function defaultWorkers(): number {
  return availableParallelism();
}

/** Prepare a sweep from precisely typed options (a typed grid per model); see prepareSweepInput. */
export function prepareSweep(options: SweepOptions = {}): Promise<PreparedSweep> {
  return prepareSweepInput(options);
}

export async function prepareSweepInput(options: SweepInput = {}): Promise<PreparedSweep> {
  const model = getModel(options.model ?? 'rf').kind;
  const seed = checkInteger(options.seed ?? DEFAULT_SEED, 'seed', 0, 2 ** 32 - 1);
  const partitions = checkInteger(options.partitions ?? DEFAULT_PARTITIONS, 'partitions', 1, 4096);
  if (options.metric !== undefined) metricOf(options.metric, undefined, options.udf !== undefined); // a bad --metric fails before data is read
  if (options.udf !== undefined && options.strategy !== undefined && resolveStrategyName(options.strategy) !== 'udf') {
    throw new UsageError(`--udf runs with --strategy udf, not ${options.strategy}`);
  }
  // Load the UDF module now: an unusable one fails with exit 2 before any data is read or work starts.
  const udf = options.udf === undefined ? undefined : (await loadUdfModule(options.udf)).path;

  const space = udf !== undefined ? userSpace(options.grid ?? {}) : validateSpace(model, options.grid ?? {});
  let defaults: Params = udf !== undefined ? {} : { ...defaultParams(model), ...(options.preset === 'spark' && model === 'rf' ? SPARK_FOREST_PRESET : {}) };
  const asked = options.search ?? {};
  const search: SearchSettings = {
    method: (asked.method ?? 'grid') as SearchMethod,
    batch: asked.batch ?? DEFAULT_BATCH,
    ...(asked.trials !== undefined ? { trials: asked.trials } : {}),
    ...(asked.factor !== undefined ? { factor: asked.factor } : {}),
    ...(asked.minResource !== undefined ? { minResource: asked.minResource } : {}),
    ...(asked.timeBudgetMs !== undefined ? { timeBudgetMs: asked.timeBudgetMs } : {}),
  };
  if (search.method === 'halving' || search.method === 'hyperband') Object.assign(search, halvingResource(asked.resource, model, udf, space, defaults));
  checkSearch(search, space);
  const axes = search.method === 'grid' ? gridAxesOf(space) : listAxesOf(space);
  let configs = search.method === 'grid' ? expandGrid(defaults, axes) : [];

  const warnings: string[] = [];
  let data: Dataset;
  if (typeof options.data === 'object') data = options.data;
  else {
    const loaded = await loadData(options.data ?? 'diabetes', loadOptionsOf(options, seed));
    data = loaded.data;
    warnings.push(...loaded.warnings);
  }
  const resolved = resolveTask(data, options.task ?? 'auto');
  data = resolved.data;
  const task = resolved.task;
  checkModelTask(model, task, udf);
  if (udf === undefined) {
    checkTaskParams(model, task, space);
    // A linear model's design parameter (impute) is a default only of data with categories or missing values.
    const design = (model === 'linear' || model === 'logistic') && needsDesign(data);
    if (task === 'classification' || design) {
      // A classifier's defaults (a forest: √features per split, gini) under the preset and the grid.
      defaults = { ...defaultParams(model, task, design), ...(options.preset === 'spark' && model === 'rf' ? SPARK_FOREST_PRESET : {}) };
      if (search.method === 'grid') configs = expandGrid(defaults, axes);
    }
  }
  const { name: metric, direction } = metricOf(options.metric ?? (task === 'classification' ? 'log_loss' : 'r2'), task, udf !== undefined);
  let holdout: PreparedSweep['holdout'];
  const evaluation = normalEvaluation(options.evaluation ?? { kind: 'kfold', folds: DEFAULT_FOLDS });
  if (options.holdout !== undefined) ({ data, holdout } = splitHoldout(data, options.holdout, evaluation, seed, warnings));
  const folds = foldsFor(data, evaluation, seed, warnings);
  for (const w of warnings) options.onWarning?.(w);
  if (search.resource === 'rows') rowsResource(search, data.rows, folds.evaluation);
  // Said once the sweep is known to be valid, so that an error stays the first and only line.
  if (resolved.notable) options.onNote?.(resolved.reason);
  return {
    data, task, folds, model, configs, defaults, axes, space, search, seed, partitions, metric, direction,
    ...(udf !== undefined ? { udf } : {}), ...(holdout ? { holdout } : {}), warnings,
  };
}

/** A seed of its own for the holdout draw, so it is not the first fold of the CV that follows. */
const HOLDOUT_SALT = 0x601d0;

/**
 * --holdout F: rows kept out of the search, drawn with the seed (stratified on a classification, as a
 * train_test_split(stratify=y); the last rows or whole groups under schemes that need it: folds.ts planHoldout);
 * the search sees the rest only.
 */
function splitHoldout(data: Dataset, fraction: number, evaluation: Evaluation, seed: number, warnings: string[]): { data: Dataset; holdout: NonNullable<PreparedSweep['holdout']> } {
  if (!(fraction > 0 && fraction < 1)) throw new UsageError(`--holdout must be a fraction between 0 and 1 (exclusive), got ${fraction}`);
  const { warnings: notes, ...plan } = planHoldout(data, fraction, evaluation, (seed ^ HOLDOUT_SALT) >>> 0);
  warnings.push(...notes);
  const pick = (test: boolean) => Uint32Array.from({ length: data.rows }, (_, i) => i).filter((i) => (plan.roles[i] === TEST) === test);
  const rest = selectRows(data, pick(false));
  const held = selectRows(data, pick(true));
  return { data: { ...rest, name: data.name }, holdout: { fraction, data: held } };
}

/** --holdout's score: the best config refitted on every searched row, scored on the held-out rows. */
export function holdoutScore(prep: PreparedSweep, best: SweepResult['best']): SweepResult['holdout'] {
  if (!prep.holdout || !best || prep.udf !== undefined) return undefined;
  const fitted = refit(prep, best.params);
  const held = prep.holdout.data;
  const rows = allRows(held.rows);
  return { fraction: prep.holdout.fraction, rows: held.rows, trainRows: prep.data.rows, metrics: scoreRows(held, rows, predictionsFor(fitted, held, rows)) };
}

/**
 * The ranking metric and its direction. Built-in models report the task's metrics (regression: r2, corr2, mae,
 * rmse; classification: accuracy, balanced_accuracy, log_loss, roc_auc, f1, brier); a UDF may return its own.
 * Without the task (flags checked before the data is read) either task's names pass.
 */
function metricOf(spec: string, task: TaskKind | undefined, udf: boolean): { name: string; direction: 'min' | 'max' } {
  let parsed: ReturnType<typeof parseMetricSpec>;
  try {
    parsed = parseMetricSpec(spec);
  } catch (err) {
    throw new UsageError(`--metric: ${(err as Error).message}`);
  }
  const { name } = parsed;
  if (!/^[\w.-]{1,64}$/.test(name) || name in Object.prototype) throw new UsageError(`--metric: ${JSON.stringify(name)} is not a metric name (letters, digits, _ . -)`);
  if (!udf) {
    const names: readonly string[] = task === 'classification' ? CLASSIFICATION_METRICS : task === 'regression' ? METRIC_NAMES : [...METRIC_NAMES, ...CLASSIFICATION_METRICS];
    if (!names.includes(name)) {
      const what = task === undefined ? '' : ` for a ${task}`;
      throw new UsageError(`--metric must be one of ${names.join(', ')}${what}, got "${spec}"`);
    }
  }
  return { name, direction: parsed.direction };
}

/** A task's own parameter (a forest's criterion) cannot be swept on the other task. */
function checkTaskParams(model: ModelKind, task: TaskKind, space: SearchSpace): void {
  for (const spec of paramSpecs(model)) {
    if (spec.task !== undefined && spec.task !== task && Object.hasOwn(space, spec.name)) {
      throw new UsageError(`--${spec.flag} applies to a ${spec.task}; this target is a ${task}`);
    }
  }
}

/** A model fits one kind of task: linear regression a regression, logistic regression a classification. */
function checkModelTask(model: ModelKind, task: TaskKind, udf: string | undefined): void {
  if (udf !== undefined) return;
  const def = getModel(model);
  if (!def.tasks.includes(task)) {
    const other = task === 'classification' ? 'logistic' : 'linear';
    throw new UsageError(`--model ${model} does not fit a ${task}; use --model ${other} or rf (or --task to change the task)`);
  }
}

/** The sweep's folds (stratified for a classification), their warnings kept for the user. */
function foldsFor(data: Dataset, evaluation: Evaluation, seed: number, warnings: string[]): FoldPlan {
  const { warnings: notes, ...plan } = planFolds(data, evaluation, seed);
  warnings.push(...notes);
  return plan;
}

/** The search space of a user UDF: any names, values as given (numbers, strings, booleans), or ranges. */
function userSpace(grid: Record<string, unknown>): SearchSpace {
  const space = newSpace();
  for (const [key, raw] of Object.entries(grid)) {
    if (isRangeSpec(raw)) {
      space[key] = rangeDimension(undefined, raw, `--param ${key}`);
      continue;
    }
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0) throw new UsageError(`parameter ${key} has an empty list of values`);
    space[key] = { kind: 'choice', values: values.map((v) => genericValue(v, `--param ${key}`)) };
  }
  return space;
}

function validateSpace(model: ModelKind, grid: Record<string, unknown>): SearchSpace {
  const specs = paramSpecs(model);
  const space = newSpace();
  for (const [key, raw] of Object.entries(grid)) {
    const spec = specs.find((s) => s.name === key || s.flag === key);
    if (!spec) throw new UsageError(`unknown parameter "${key}" for model ${model} (known: ${specs.map((s) => s.name).join(', ')})`);
    if (Object.hasOwn(space, spec.name)) throw new UsageError(`parameter ${spec.name} is given twice (as "${key}" and under another name)`);
    if (isRangeSpec(raw)) {
      space[spec.name] = rangeDimension(spec, raw, `--${spec.flag}`);
      continue;
    }
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0) throw new UsageError(`parameter ${spec.name} has an empty list of values`);
    space[spec.name] = { kind: 'choice', values: values.map((v) => parseParamValue(spec, v, `--${spec.flag}`)) };
  }
  return space;
}

/** A model's nested parameter: a fit with more of it grows on from one with less (a forest's trees, boosting's iterations). */
const NESTED: Partial<Record<ModelKind, string>> = { rf: 'numTrees', gbt: 'iterations' };

/**
 * The resource a halving search grows: a model's nested parameter (a forest's trees, boosting's iterations: a
 * promoted config grows on from what it has) or the rows (each rung cross-validates on a keyed subsample of the
 * data, the subsamples nested). The nested parameter's full amount is the one value the space gives it (--trees 81),
 * else the model's default; that value leaves the space (the resource is set per rung, not searched). Default: the
 * nested parameter when the space does not search it, rows otherwise. The rows' full amount is the data's, set once
 * it is loaded (rowsResource).
 */
function halvingResource(asked: string | undefined, model: ModelKind, udf: string | undefined, space: SearchSpace, defaults: Params): Pick<SearchSettings, 'resource' | 'maxResource'> {
  const nested = udf === undefined ? NESTED[model] : undefined;
  const dim = nested === undefined ? undefined : space[nested];
  const searched = dim !== undefined && !(dim.kind === 'choice' && dim.values.length === 1);
  const resource = asked ?? (nested !== undefined && !searched ? nested : 'rows');
  if (resource === 'rows') return { resource };
  if (resource !== nested) {
    const own = Object.entries(NESTED).map(([m, p]) => `${p} for --model ${m}`).join(', ');
    throw new UsageError(`--resource ${resource}: the resource of a halving search is rows, or ${own}`);
  }
  const given = space[resource];
  let maxResource = Number(defaults[resource]);
  if (given?.kind === 'choice' && given.values.length === 1) {
    maxResource = Number(given.values[0]);
    delete space[resource];
  }
  return { resource, maxResource };
}

/** Halving over rows: the full amount is the data's rows; a rung needs enough rows for its folds (4 test rows each). */
function rowsResource(search: SearchSettings, rows: number, evaluation: Evaluation): void {
  const least = leastRows(evaluation, 4);
  if (rows < least) throw new UsageError(`--resource rows needs at least ${least} rows for its smallest rung, the data has ${rows}`);
  if (search.minResource !== undefined && search.minResource < least) throw new UsageError(`--min-resource ${search.minResource}: a rung of rows needs at least ${least} rows (4 test rows per fold)`);
  if (search.minResource !== undefined && search.minResource > rows) throw new UsageError(`--min-resource ${search.minResource} is more than the data's ${rows} rows`);
  search.maxResource = rows;
  search.leastResource = least;
}

/** The lists of a space (its ranges left out): what a search's report shows as swept values. */
function listAxesOf(space: SearchSpace): GridAxes {
  const axes = newAxes();
  for (const [name, d] of Object.entries(space)) if (d.kind === 'choice') axes[name] = d.values;
  return axes;
}


/** Tasks the sweep will run in all: configs × folds (a search: its trials × folds). */
export function taskCount(prep: PreparedSweep): number {
  return (prep.search.method === 'grid' ? prep.configs.length : (prep.search.trials ?? 0)) * prep.folds.count;
}

/** The strategy when none is asked for: udf for a user's UDF module, thread-pool otherwise. */
export function defaultStrategy(prep: PreparedSweep): StrategyName {
  return prep.udf !== undefined ? 'udf' : 'thread-pool';
}

/** Below this much work (training cells × trees, summed over tasks) one thread beats two (see defaultWorkerCount). */
export const SMALL_SWEEP_WORK = 4_000_000;

/**
 * Threads when --workers is not given (an explicit --workers is always obeyed). Every core, but no more threads
 * than tasks, and for the thread-pool strategy a single thread when the sweep is so small (diabetes with
 * --trees 10,20,50 is 1.8 M cells × trees, ~0.2 s of tree growing) that a second thread's start-up and JIT
 * warm-up cost more than the half of the work it would take; one thread also reuses every fold's trees across
 * forest sizes (models/forest.ts). Only speed depends on this: results never depend on the number of threads.
 */
export function defaultWorkerCount(prep: PreparedSweep, strategy: StrategyName | string | undefined, cores = defaultWorkers()): number {
  const name = strategy ?? defaultStrategy(prep);
  // A search runs round by round: a round's tasks are what threads can share.
  const perRound = prep.search.method === 'grid' ? prep.configs.length : prep.search.method === 'random' ? (prep.search.trials ?? 1) : prep.search.batch;
  const tasks = perRound * prep.folds.count;
  if (name !== 'thread-pool' || prep.search.method !== 'grid') return threadsFor(name, cores, tasks, prep.partitions);
  const cells = prep.data.rows * Math.max(1, prep.data.featureNames.length);
  const trees = prep.configs.reduce((sum, c) => sum + (prep.model === 'rf' ? Number(c.numTrees ?? 20) : 1), 0);
  if (cells * trees * prep.folds.count < SMALL_SWEEP_WORK) return 1;
  return threadsFor(name, cores, tasks, prep.partitions);
}

/** Node's timers hold at most 2^31 − 1 ms (24.8 days); a longer --task-timeout would fire at once. */
export const MAX_TASK_TIMEOUT_MS = 2 ** 31 - 1;

export async function executeSweep(prep: PreparedSweep, opts: ExecuteOptions = {}): Promise<SweepResult> {
  const startedAt = new Date().toISOString();
  const result = liftDiagnostics({ schema: RESULT_SCHEMA, version: VERSION, startedAt, ...(await runAll(prep, opts)) });
  if (!prep.holdout || result.interrupted) return result;
  const holdout = holdoutScore(prep, result.best);
  return holdout ? { ...result, holdout } : result;
}

/** A grid's tasks, or a search's rounds, run to a result. */
async function runAll(prep: PreparedSweep, opts: ExecuteOptions): Promise<SweepResult> {
  return prep.search.method !== 'grid' ? await (await import('./search.js')).executeSearch(prep, opts, { runTasks, resultOf }) : resultOf(prep, await runTasks(prep, opts), prep.configs.length * prep.folds.count);
}

/** The result record of a task run (aggregated, ranked), with what stopped it. */
export function resultOf(prep: PreparedSweep, run: TaskRun, totalTasks: number): SweepResult {
  const built = buildResult(prep, run.strategy, run.workers, run.outcomes, totalTasks, run.wallMs, run.stats.bytesShipped, run.aborted, run.stats.startupMs);
  const result = run.stats.jobsSent && Object.keys(run.stats.jobsSent).length > 0 ? { ...built, jobs: run.stats.jobsSent } : built;
  return run.checkpointError !== undefined ? { ...result, stoppedBy: run.checkpointError } : result;
}

/** Run every task of the prepared configs that no checkpoint (or `done`) already holds, with one strategy. */
export async function runTasks(prep: PreparedSweep, opts: ExecuteOptions = {}): Promise<TaskRun> {
  const strategyName = opts.strategy ?? defaultStrategy(prep);
  // --cluster: the same plan, published to BullMQ workers (loaded lazily: bullmq/ioredis only when asked for).
  const refused = prep.udf === undefined ? strategyRefuses(resolveStrategyName(strategyName), prep.model, opts.cluster !== undefined) : undefined;
  if (refused) throw new UsageError(refused);
  const strategy = opts.cluster
    ? (await import('../cluster/strategy.js')).clusterStrategy(resolveStrategyName(strategyName), { ...opts.cluster, resume: opts.cluster.resume ?? opts.resume })
    : getStrategy(strategyName);
  // Without --workers: the library's policy (defaultWorkerCount), the same for the CLI, compare and library users.
  const asked = checkInteger(opts.workers ?? defaultWorkerCount(prep, strategy.name), 'workers', 1, MAX_WORKERS);
  const retries = checkInteger(opts.retries ?? 0, 'retries', 0, 100);
  const parallelism = checkInteger(opts.parallelism ?? 1, 'parallelism', 1, 1024);
  checkTaskTimeout(opts.taskTimeoutMs);

  const ckpt = openCheckpoint(prep, opts);
  const outcomes: TaskOutcome[] = [...(opts.done ?? []), ...ckpt.done];
  const finished = new Set(outcomes.map((o) => `${o.config}:${o.fold}`));
  const all = makeTasks(prep.configs.length, prep.folds.count);
  const tasks: Task[] = all.filter((t) => !finished.has(`${t.config}:${t.fold}`));
  let failed = outcomes.filter((o) => o.status === 'failed').length;
  const workers = threadsFor(strategy.name, asked, tasks.length, prep.partitions);
  opts.onStart?.({ strategy: strategy.name, workers });
  // onTrial: a config's outcomes gathered until its last fold is in (resumed ones count); kept only when asked for.
  const byConfig = new Map<number, TaskOutcome[]>();
  const gather = (o: TaskOutcome): TaskOutcome[] => {
    const list = byConfig.get(o.config) ?? [];
    list.push(o);
    byConfig.set(o.config, list);
    return list;
  };
  if (opts.onTrial) for (const o of outcomes) gather(o);
  const trialDone = (o: TaskOutcome, tell: (t: TrialResult) => void) => {
    const list = gather(o);
    if (list.length === prep.folds.count) tell({ number: o.config, ...aggregateTrial(prep.configs[o.config], list.sort((a, b) => a.fold - b.fold), prep.folds.count) });
  };
  if (workers < asked && opts.workers !== undefined) opts.onNotice?.(`--workers ${asked} lowered to ${workers}: no more threads than ${strategy.name === 'native' ? 'partitions' : 'tasks to run'}`);

  // A checkpoint that cannot be written stops the sweep like Ctrl-C: nothing more is dispatched, what finished is reported.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let checkpointError: string | undefined;
  const t0 = performance.now();
  let stats: Awaited<ReturnType<typeof strategy.run>>;
  try {
    stats = await strategy.run(
      {
        data: prep.data,
        folds: prep.folds,
        model: prep.model,
        configs: prep.configs,
        tasks,
        seed: prep.seed,
        partitions: prep.partitions,
        workers,
        ...(opts.workerMemoryMb !== undefined ? { workerMemoryMb: opts.workerMemoryMb } : {}),
        taskTimeoutMs: opts.taskTimeoutMs,
        retries,
        parallelism,
        metric: prep.metric,
        ...(opts.contextId !== undefined ? { contextId: opts.contextId } : {}),
        ...(opts.keepPool ? { keepPool: true } : {}),
        ...(prep.udf !== undefined ? { udf: prep.udf } : {}),
      },
      {
        signal,
        onOutcome: (raw) => {
          const o = checkOutcome(raw);
          // After a write error the checkpoint is not touched again, but tasks still finishing are reported.
          if (checkpointError === undefined) {
            try {
              ckpt.writer?.append(o, prep.configs[o.config]);
            } catch (err) {
              checkpointError = `cannot write checkpoint ${ckpt.writer?.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
              stop.abort();
            }
          }
          outcomes.push(o);
          if (o.status === 'failed') failed++;
          opts.onOutcome?.(o);
          if (opts.onTrial) trialDone(o, opts.onTrial);
          opts.onProgress?.({ done: outcomes.length, failed, total: all.length });
        },
      },
    );
  } finally {
    try {
      ckpt.writer?.close();
    } catch {
      /* the error that matters was reported on append */
    }
  }
  const wallMs = performance.now() - t0;
  if (checkpointError !== undefined) opts.onNotice?.(`${checkpointError}; stopped dispatching, the report below has what finished`);
  return {
    strategy: strategy.name, workers, outcomes, wallMs, stats, aborted: signal.aborted, reused: ckpt.done.length,
    ...(checkpointError !== undefined ? { checkpointError } : {}),
  };
}

/** Refuse a task timeout Node's timers cannot hold (they would fire after 1 ms). */
export function checkTaskTimeout(ms: number | undefined): void {
  if (ms === undefined) return;
  if (!(ms > 0)) throw new UsageError(`--task-timeout must be a positive number of seconds, got ${ms / 1000}`);
  if (ms > MAX_TASK_TIMEOUT_MS) throw new UsageError(`--task-timeout must be at most ${Math.floor(MAX_TASK_TIMEOUT_MS / 1000)} seconds (24.8 days), got ${ms / 1000}`);
}

/**
 * Threads a strategy actually starts: never more than it can use — tasks to run for thread-pool and udf (one task
 * per thread at a time), partitions for native (each worker holds whole partitions). At least one.
 */
export function threadsFor(strategy: string, asked: number, tasks: number, partitions: number): number {
  const useful = strategy === 'native' ? partitions : tasks;
  return Math.max(1, Math.min(asked, useful));
}

/**
 * The checkpoint a sweep run with these options appends to (a search's, without its rungs' over rows), or
 * undefined when it writes none: where its history record goes (sweep/history.ts).
 */
export async function checkpointPathOf(prep: PreparedSweep, opts: Pick<ExecuteOptions, 'checkpoint' | 'autoCheckpoint' | 'checkpointDir'>): Promise<string | undefined> {
  if (opts.checkpoint !== undefined) return opts.checkpoint;
  if (!opts.autoCheckpoint) return undefined;
  const dir = opts.checkpointDir ?? '.sweep';
  if (prep.search.method !== 'grid') return (await import('./search.js')).searchCheckpointPath(prep, dir);
  const identity = { data: prep.data, model: modelIdentity(prep.model, prep.udf), evaluation: prep.folds.evaluation, seed: prep.seed, partitions: prep.partitions, configs: prep.configs };
  return defaultCheckpointPath(identity, dir);
}

/** Resume from and append to a checkpoint, as the options ask; nothing when they ask for neither. */
function openCheckpoint(prep: PreparedSweep, opts: ExecuteOptions): { done: TaskOutcome[]; writer?: CheckpointWriter } {
  const wantsFile = opts.checkpoint !== undefined || opts.autoCheckpoint === true;
  if (!wantsFile && !opts.resume) return { done: [] };
  const model = modelIdentity(prep.model, prep.udf);
  const identity = { data: prep.data, model, evaluation: prep.folds.evaluation, seed: prep.seed, partitions: prep.partitions, configs: prep.configs };
  const dir = opts.checkpointDir ?? '.sweep';
  const hash = dataHash(prep.data);
  const header = checkpointHeader(identity, hash);
  const base = baseId(identity, hash);
  const path = opts.checkpoint ?? defaultCheckpointPath(identity, dir, base);
  let done: TaskOutcome[] = [];
  if (opts.resume) {
    const files = opts.checkpoint !== undefined ? (existsSync(opts.checkpoint) ? [opts.checkpoint] : []) : checkpointsFor(identity, dir, base);
    const state = readCheckpoints(files, header, prep.configs, prep.folds.count);
    done = state.done;
    opts.onResume?.({ files, reused: done.length, total: prep.configs.length * prep.folds.count, warnings: state.warnings });
  }
  return { done, writer: wantsFile ? new CheckpointWriter(path, header) : undefined };
}

/** A fold plan's evaluation as the result reports it (exported for a result rebuilt from a checkpoint). */
export { resultEvaluation };

export function buildResult(
  prep: PreparedSweep,
  strategy: string,
  workers: number,
  outcomes: TaskOutcome[],
  totalTasks: number,
  wallMs: number,
  bytesShipped: number,
  interrupted: boolean,
  startupMs?: number,
): SweepResult {
  const labels = prep.udf === undefined ? { features: prep.data.featureNames, ...(prep.data.classes ? { classes: prep.data.classes } : {}) } : undefined;
  const trials = rankTrials(aggregateTrials(prep.configs, outcomes, prep.folds.count, labels), prep.metric, prep.direction);
  const taskMs = outcomes.reduce((s, o) => s + o.fitMs + o.predictMs, 0);
  const okTasks = outcomes.filter((o) => o.status === 'ok').length;
  // Tasks that never ran (interrupted) are neither ok nor failed.
  const failedTasks = outcomes.length - okTasks;
  const best = bestOf(trials);
  return {
    strategy,
    model: prep.udf !== undefined ? `udf:${prep.udf}` : prep.model,
    data: {
      name: prep.data.name, rows: prep.data.rows, features: [...prep.data.featureNames], target: prep.data.targetName, task: prep.task,
      ...(prep.data.classes ? { classes: [...prep.data.classes] } : {}),
    },
    evaluation: resultEvaluation(prep.folds),
    seed: prep.seed,
    workers,
    partitions: prep.partitions,
    metric: prep.metric,
    direction: prep.direction,
    space: structuredClone(prep.space),
    wallMs,
    taskMs,
    speedup: wallMs > 0 ? taskMs / wallMs : 0,
    tasks: { total: totalTasks, ok: okTasks, failed: failedTasks },
    bytesShipped,
    ...(startupMs !== undefined ? { startupMs } : {}),
    ...(interrupted || outcomes.length < totalTasks ? { interrupted: true } : {}),
    trials,
    best,
  };
}

/** Prepare and execute in one call: `const result = await runSweep({ model: 'linear', grid: { regParam: [0, 0.1] } })`. */
export async function runSweep(options: SweepOptions & Omit<ExecuteOptions, 'strategy'> = {}): Promise<SweepResult> {
  const prep = await prepareSweepInput(options);
  return executeSweep(prep, options as ExecuteOptions);
}

/** The result's evaluation: the fold count or test fraction, the scheme when it is not plain, each split's rows. */
function resultEvaluation(folds: FoldPlan): SweepResult['evaluation'] {
  const e = folds.evaluation;
  const splits = splitSizes(folds);
  if (e.kind === 'holdout') return { testFraction: e.testFraction, ...(e.shuffle === false ? { shuffle: false } : {}), splits };
  if (e.kind === 'kfold') return { folds: e.folds, ...(e.repeats !== undefined && e.repeats > 1 ? { repeats: e.repeats } : {}), ...(e.shuffle === false ? { shuffle: false } : {}), splits };
  return { folds: folds.count, scheme: e.kind, ...(e.kind !== 'time-series' ? { column: e.column } : {}), splits };
}
