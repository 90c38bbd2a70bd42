/**
 * Flags shared by `run` and `compare`: data, model, grid and evaluation. Parsing flags into library options is
 * kept apart from running (and tested apart): every bad value becomes a UsageError naming the flag.
 */
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { checkInteger } from '../util/checks.js';
import { DEFAULT_FOLDS, MAX_FOLDS, MAX_REPEATS, type Evaluation } from '../data/folds.js';
import { TASK_CHOICES, type TaskChoice } from '../data/task.js';
import { INPUT_FORMATS, MISSING_POLICIES, type InputFormat, type MissingPolicy } from '../data/options.js';
import type { ParamSpec } from '../models/params.js';
import { axesFromFlags, axesFromGridFile, axesFromJsonText, axesFromParamFlags, mergeAxes, splitList, type SpaceAxes } from '../sweep/grid.js';
import { DEFAULT_BATCH, parseDuration, SEARCH_METHODS } from '../sweep/search/methods.js';
import type { SweepInput } from '../api/run.js';
import { getModel, MODEL_KINDS } from '../models/registry.js';
import type { NamedFile } from './outputs.js';

export interface CommonFlags {
  data: string;
  target?: string;
  features?: string;
  ignore?: string;
  missing?: string;
  naValues?: string;
  categorical?: string;
  numeric?: string;
  describe?: boolean;
  task?: string;
  delimiter?: string;
  formatIn?: string;
  model: string;
  grid?: string;
  preset?: string;
  folds?: string;
  testFraction?: string;
  holdout?: string;
  foldCol?: string;
  groupCol?: string;
  timeSeries?: string;
  repeats?: string;
  /** false with --no-shuffle. */
  shuffle?: boolean;
  seed?: string;
  partitions?: string;
  metric?: string;
  search?: string;
  trials?: string;
  batch?: string;
  resource?: string;
  factor?: string;
  minResource?: string;
  timeBudget?: string;
  udf?: string;
  param?: string[];
  /** --config FILE: the file, and its parameters as a grid object (cli/config.ts). */
  config?: string;
  gridObject?: Record<string, unknown>;
  [flag: string]: string | string[] | boolean | Record<string, unknown> | undefined;
}

/**
 * Every built-in model's parameters, one per flag (from the registry: a new model's flags appear without touching
 * this file). Two models may share a flag with their own defaults (--min-samples-leaf: 1 for rf, 20 for gbt).
 */
const ALL_PARAM_SPECS: readonly ParamSpec[] = [...new Map(MODEL_KINDS.flatMap((k) => getModel(k).params).map((s) => [s.flag, s] as const)).values()];

/** The models a parameter's flag belongs to. */
const ownersOf = (spec: ParamSpec): string[] => MODEL_KINDS.filter((k) => getModel(k).params.some((p) => p.flag === spec.flag));

/** A flag's default for its help: one value, or each model's where they differ. */
function defaultsOf(spec: ParamSpec): string {
  const per = ownersOf(spec).map((k) => [k, String(getModel(k).params.find((p) => p.flag === spec.flag)!.default)] as const);
  return new Set(per.map(([, v]) => v)).size === 1 ? per[0][1] : per.map(([k, v]) => `${v} (${k})`).join(', ');
}

/** Commander turns --max-depth into maxDepth; map a spec's flag to that key. */
export function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function addCommonOptions(cmd: Command): Command {
  cmd
    .optionsGroup('Data:')
    .option('--data <spec>', 'diabetes (built in), diabetes-raw, iris, breast-cancer, wine, friedman1:rows=N,noise=S,features=F,seed=K, a file (CSV, TSV, JSON lines — gzip too —, Arrow IPC / Feather, Parquet), or - for standard input', 'diabetes')
    .option('--delimiter <char>', 'a CSV\'s field delimiter: one character, or "tab" (default: tab for .tsv or a header with tabs only, else comma)')
    .addOption(new Option('--format-in <format>', 'the input\'s format (default: from its first bytes and its name)').choices([...INPUT_FORMATS]))
    .option('--target <column>', 'target column of a CSV', 'target')
    .option('--features <list>', 'comma list of feature columns to use (default: all but the target)')
    .option('--ignore <list>', 'comma list of columns to leave out')
    .addOption(new Option('--missing <policy>', 'missing feature values (empty, NA, NaN, null, none, n/a, --na-values): keep them as missing (the models handle them), error, or drop the row; a missing target always drops its row').choices([...MISSING_POLICIES]).default('keep'))
    .option('--na-values <list>', 'comma list of more words that mean a missing value (e.g. ?,-999)')
    .option('--categorical <list>', 'comma list of columns to read as categories whatever they hold (numeric codes, an id)')
    .option('--numeric <list>', 'comma list of columns that must be numbers (a text cell is then an error)')
    .option('--describe', 'print each column\'s type, distinct values, missing count and range or top categories, and exit')
    .addOption(
      new Option('--task <task>', 'auto (default): classification when the target holds text, or integers with at most 20 distinct values (said on stderr); else regression')
        .choices([...TASK_CHOICES]),
    )
    .optionsGroup('Model and search space (every model flag takes a list a,b,c or, for a search, a range min..max or min..max:log):')
    .addOption(new Option('--model <name>', 'model to sweep').choices([...MODEL_KINDS]).default('rf'))
    .option('--config <sweep.yaml>', 'the sweep as a YAML (or JSON) file shaped like a W&B sweep: method, metric {name, goal}, parameters, early_terminate, data, model, evaluation, strategy; flags override it')
    .option('--grid <file.json>', 'space as JSON: {"regParam":{"min":1e-4,"max":10,"log":true},"elasticNetParam":[0,1]}; flags override its axes')
    .addOption(new Option('--search <method>', 'grid: every combination (default); random: --trials configs drawn from the lists and ranges; tpe: Optuna-style Tree-structured Parzen Estimator in rounds of --batch; halving: successive halving of --trials candidates (of the grid without --trials); hyperband: brackets of halving').choices([...SEARCH_METHODS]))
    .option('--trials <n>', 'random/tpe: how many configs to try')
    .option('--batch <k>', `tpe: configs proposed per round, each round seeing the earlier rounds' results (default ${DEFAULT_BATCH}; results never depend on --workers)`)
    .option('--resource <what>', 'halving/hyperband: what each rung grows: numTrees (a forest\'s trees, up to the one --trees value given; the default for a forest not searching them), iterations (the same for --model gbt and --iterations) or rows (a nested subsample of the data; any model)')
    .option('--factor <eta>', 'halving/hyperband: keep the best 1/eta of each rung and give them eta times the resource (default 3)')
    .option('--time-budget <duration>', 'stop dispatching new trials after this long (90s, 10m, 2h); finished trials stay valid and the report says the budget ended the search')
    .option('--min-resource <r>', 'halving/hyperband: the first rung\'s resource (default: as much as lets the last rung reach the full resource)')
    .addOption(new Option('--preset <name>', "spark: Spark MLlib's forest defaults (maxDepth 5, onethird, 32 bins)").choices(['spark']))
    .optionsGroup('Evaluation:')
    .option('--folds <k>', 'k-fold cross-validation (default 5; stratified for a classification)')
    .option('--test-fraction <f>', 'single holdout with this test fraction instead of k folds')
    .option('--repeats <r>', 'repeated k-fold: R shuffles of the rows (seeds derived from --seed), k × R splits')
    .option('--no-shuffle', 'folds in file order (a holdout: the last rows), as scikit-learn KFold(shuffle=False)')
    .option('--time-series <k>', 'k expanding-window splits in row order (scikit-learn TimeSeriesSplit): each trains on every row before its test block')
    .option('--fold-col <column>', 'the folds a column names (Spark\'s foldCol): split f tests the rows holding its f-th value; the column is not a feature')
    .option('--group-col <column>', 'group k-fold over --folds (scikit-learn GroupKFold): no value of the column in two folds; the column is not a feature')
    .option('--holdout <f>', 'keep this fraction of the rows out of the search (stratified for a classification); cross-validate on the rest, then refit the best config on it and report its score on the held-out rows beside the CV score')
    .option('--seed <n>', 'seed for shuffling, bootstrap and feature sampling (default 42)')
    .option('--partitions <p>', 'logical data partitions (results depend on this, never on --workers; default 16)')
    .option(
      '--metric <name[:min|:max]>',
      'ranking metric. Regression: r2 (default), corr2, mae, rmse. Classification: log_loss (default: a proper score; probabilities clipped to [eps, 1 − eps] as scikit-learn does), accuracy, balanced_accuracy, roc_auc, f1, brier. Or any metric a --udf returns; :min or :max sets a UDF metric\'s direction (default: min for names like loss or error, else max)',
    )
    .optionsGroup('Your own training function (grouped UDF):')
    .option('--udf <module.mjs>', 'your own training function (ESM default export), run by the udf strategy')
    .option('--param <name=v1,v2>', 'a grid axis for --udf (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[]);
  for (const spec of ALL_PARAM_SPECS) {
    const heading = ownersOf(spec)
      .map((k) => `${getModel(k).title.replace(/^./, (c) => c.toUpperCase())} (--model ${k}):`)
      .join(' ');
    cmd.addOption(new Option(`--${spec.flag} <list>`, `${spec.describe} [${spec.name}; default ${defaultsOf(spec)}]`).helpGroup(heading));
  }
  return cmd.optionsGroup('Options:');
}

/** The files a run reads: no output may be one of them. */
export function inputFiles(flags: CommonFlags): NamedFile[] {
  return [
    { flag: 'data', file: flags.data },
    ...(flags.grid !== undefined ? [{ flag: 'grid', file: flags.grid }] : []),
    ...(flags.udf !== undefined ? [{ flag: 'udf', file: flags.udf }] : []),
    ...(flags.config !== undefined ? [{ flag: 'config', file: flags.config }] : []),
  ];
}

/** --delimiter: one character ("tab" or "\\t" for a tab); not a quote or a line break. */
export function parseDelimiter(raw: string): string {
  const d = raw === 'tab' || raw === '\\t' ? '\t' : raw;
  if ([...d].length !== 1 || d === '"' || d === '\n' || d === '\r') throw new UsageError(`--delimiter must be one character other than a quote or a line break (or "tab"), got ${JSON.stringify(raw)}`);
  return d;
}

export function parseIntFlag(raw: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  if (!/^[+-]?\d+$/.test(s)) throw new UsageError(`--${flag} must be an integer, got ${JSON.stringify(raw)}`);
  return checkInteger(Number(s), flag, min, max);
}

export function parseNumberFlag(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  const v = Number(s);
  if (s === '' || !Number.isFinite(v)) throw new UsageError(`--${flag} must be a number, got ${JSON.stringify(raw)}`);
  return v;
}

function parseFraction(raw: string, flag: string): number {
  const f = parseNumberFlag(raw, flag)!;
  if (!(f > 0 && f < 1)) throw new UsageError(`--${flag} must be between 0 and 1 (exclusive), got ${raw}`);
  return f;
}

/**
 * The evaluation flags as one Evaluation (data/folds.ts): --folds (with --repeats, --no-shuffle, --group-col),
 * --test-fraction (with --no-shuffle), --time-series, --fold-col. Combinations that mean two schemes are refused.
 */
export function parseEvaluation(flags: CommonFlags): Evaluation | undefined {
  const given = (['folds', 'testFraction', 'timeSeries', 'foldCol', 'groupCol', 'repeats'] as const).filter((k) => flags[k] !== undefined);
  const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const clash = (k: string, allowed: readonly string[]) => {
    const other = given.find((g) => g !== k && !allowed.includes(g));
    if (other !== undefined) throw new UsageError(`use either ${flag(k)} or ${flag(other)}, not both`);
  };
  const noShuffle = flags.shuffle === false ? { shuffle: false as const } : {};
  if (flags.testFraction !== undefined) {
    clash('testFraction', []);
    const f = parseNumberFlag(flags.testFraction, 'test-fraction')!;
    if (!(f > 0 && f < 1)) throw new UsageError(`--test-fraction must be between 0 and 1 (exclusive), got ${flags.testFraction}`);
    return { kind: 'holdout', testFraction: f, ...noShuffle };
  }
  if (flags.timeSeries !== undefined) {
    clash('timeSeries', []);
    return { kind: 'time-series', splits: parseIntFlag(flags.timeSeries, 'time-series', 2, MAX_FOLDS)! };
  }
  if (flags.foldCol !== undefined) {
    clash('foldCol', []);
    return { kind: 'fold-column', column: columnFlag(flags.foldCol, 'fold-col') };
  }
  const k = parseIntFlag(flags.folds, 'folds', 2, MAX_FOLDS);
  if (flags.groupCol !== undefined) {
    clash('groupCol', ['folds']);
    return { kind: 'group-kfold', folds: k ?? DEFAULT_FOLDS, column: columnFlag(flags.groupCol, 'group-col') };
  }
  const repeats = parseIntFlag(flags.repeats, 'repeats', 1, MAX_REPEATS);
  if (repeats !== undefined && flags.shuffle === false) throw new UsageError('--repeats reshuffles the rows for each repeat; it cannot go with --no-shuffle');
  if (k === undefined && repeats === undefined && flags.shuffle !== false) return undefined;
  return { kind: 'kfold', folds: k ?? DEFAULT_FOLDS, ...noShuffle, ...(repeats !== undefined && repeats > 1 ? { repeats } : {}) };
}

function columnFlag(raw: string, flag: string): string {
  const name = raw.trim();
  if (name === '') throw new UsageError(`--${flag} needs a column name`);
  return name;
}

/** Flags → SweepInput (without strategy/workers, which differ between run and compare). */
export function sweepOptionsFromFlags(flags: CommonFlags): SweepInput {
  const list = (raw: string | undefined, flag: string) => (raw === undefined ? undefined : splitList(raw, flag));
  const common = {
    data: flags.data,
    target: flags.target,
    features: list(flags.features, 'features'),
    ignore: list(flags.ignore, 'ignore'),
    missing: flags.missing as MissingPolicy | undefined,
    ...(flags.naValues !== undefined ? { naValues: flags.naValues.split(',') } : {}),
    ...(flags.categorical !== undefined ? { categorical: list(flags.categorical, 'categorical') } : {}),
    ...(flags.numeric !== undefined ? { numeric: list(flags.numeric, 'numeric') } : {}),
    ...(flags.task !== undefined ? { task: flags.task as TaskChoice } : {}),
    ...(flags.delimiter !== undefined ? { delimiter: parseDelimiter(flags.delimiter) } : {}),
    ...(flags.formatIn !== undefined ? { format: flags.formatIn as InputFormat } : {}),
    evaluation: parseEvaluation(flags),
    ...(flags.holdout !== undefined ? { holdout: parseFraction(flags.holdout, 'holdout') } : {}),
    seed: parseIntFlag(flags.seed, 'seed', 0, 2 ** 32 - 1),
    partitions: parseIntFlag(flags.partitions, 'partitions', 1, 4096),
    metric: flags.metric,
    ...(['search', 'trials', 'batch', 'resource', 'factor', 'minResource', 'timeBudget'].some((k) => flags[k] !== undefined)
      ? {
          search: {
            ...(flags.search !== undefined ? { method: flags.search } : {}),
            ...(flags.trials !== undefined ? { trials: parseIntFlag(flags.trials, 'trials', 1, 100_000) } : {}),
            ...(flags.batch !== undefined ? { batch: parseIntFlag(flags.batch, 'batch', 1, 1024) } : {}),
            ...(flags.resource !== undefined ? { resource: flags.resource } : {}),
            ...(flags.factor !== undefined ? { factor: parseIntFlag(flags.factor, 'factor', 2, 100) } : {}),
            ...(flags.minResource !== undefined ? { minResource: parseIntFlag(flags.minResource, 'min-resource', 1) } : {}),
            ...(flags.timeBudget !== undefined ? { timeBudgetMs: parseDuration(flags.timeBudget) } : {}),
          },
        }
      : {}),
  };
  const params = flags.param ?? [];
  if (flags.udf !== undefined) {
    for (const spec of ALL_PARAM_SPECS) {
      if (flags[camel(spec.flag)] !== undefined) throw new UsageError(`--${spec.flag} is a built-in model parameter; with --udf use --param NAME=V1,V2`);
    }
    let axes: SpaceAxes = axesFromParamFlags(params);
    if (flags.grid !== undefined) axes = mergeAxes(axesFromGridFile(flags.grid, [], true), axes);
    if (flags.gridObject !== undefined) axes = mergeAxes(axesFromJsonText(JSON.stringify(flags.gridObject), flags.config ?? 'config', [], true), axes);
    return { ...common, udf: flags.udf, grid: axes };
  }
  if (params.length > 0) throw new UsageError('--param sets parameters of a --udf module; built-in models take their own flags (see --help)');
  const model = getModel(flags.model).kind;
  const own = getModel(model).params;
  for (const spec of ALL_PARAM_SPECS) {
    if (flags[camel(spec.flag)] !== undefined && !own.some((s) => s.flag === spec.flag)) {
      throw new UsageError(`--${spec.flag} is a parameter of the ${ownersOf(spec).join(', ')} model, not of --model ${model}`);
    }
  }
  if (flags.preset !== undefined && model !== 'rf') throw new UsageError('--preset spark applies to --model rf only');
  const flagValues: Record<string, string | undefined> = {};
  for (const spec of own) flagValues[spec.flag] = flags[camel(spec.flag)] as string | undefined;
  let axes: SpaceAxes = axesFromFlags(own, flagValues);
  if (flags.grid !== undefined) axes = mergeAxes(axesFromGridFile(flags.grid, own), axes);
  // The config file's parameters come first: --grid and the flags override them.
  if (flags.gridObject !== undefined) axes = mergeAxes(axesFromJsonText(JSON.stringify(flags.gridObject), flags.config ?? 'config', own), axes);
  return { ...common, model, grid: axes, preset: flags.preset as 'spark' | undefined };
}
