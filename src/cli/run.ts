/**
 * `sweep run`: parse flags, run the sweep through the library, render the report, choose the exit code.
 * Nothing here computes anything the library does not expose.
 */
import { Command, Option } from 'commander';
import { escapeControl, EXIT_OK, EXIT_TRIAL_FAILED, UsageError } from '../errors.js';
import { colorEnabled, isStdout, renderAny, writeReport, type OutputFormat } from '../report/render.js';
import { Progress } from '../report/progress.js';
import { checkpointPathOf, checkTaskTimeout, executeSweep, prepareSweepInput, taskCount } from '../api/run.js';
import { commandLine, startRecord } from './record.js';
import { watchTrials } from './watch.js';
import { resolveStrategyName } from '../strategies/index.js';
import type { StrategyName } from '../strategies/strategy.js';
import { MAX_WORKERS } from '../strategies/prestart.js';
import { addCommonOptions, inputFiles, parseIntFlag, parseNumberFlag, sweepOptionsFromFlags, type CommonFlags } from './options.js';
import { checkNotInput, checkWritable, writingTo } from './outputs.js';
import { interruptSignal, type Interrupt } from './signals.js';
import { poolToPrestart } from '../strategies/prestart.js';

interface RunFlags extends CommonFlags {
  strategy?: string;
  workers?: string;
  workerMemory?: string;
  format: OutputFormat;
  output?: string;
  quiet?: boolean;
  saveBest?: string;
  taskTimeout?: string;
  retries?: string;
  checkpoint?: string | false;
  parallelism?: string;
  resume?: boolean;
  cluster?: string;
  keep?: boolean;
  sort?: 'rank' | 'number';
  verbose?: boolean;
  foldsColumns?: boolean;
}

export function runCommand(): Command {
  const cmd = new Command('run').description('run a hyperparameter sweep and print the results table');
  addCommonOptions(cmd);
  cmd
    .optionsGroup('Execution:')
    .option('--strategy <name>', 'thread-pool (default; udf with --udf), native, udf')
    .option('--workers <n>', 'worker threads; never more than there are tasks to run (partitions for native), the report says how many ran (default: available cores, and 1 for a sweep too small to repay a second thread)')
    .option('--parallelism <k>', 'native: configs sharing each pass over the data (default 1)')
    .option('--worker-memory <MB>', "heap limit of each worker thread (thread-pool, udf); a thread over it fails its task (default: Node's)")
    .option('--task-timeout <seconds>', 'fail a task that runs longer than this')
    .option('--retries <n>', 'retry a failed task up to n times', '0')
    .optionsGroup('Output:')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv', 'markdown', 'html']).default('table'))
    .option('--output <file>', 'write the report to a file (- for stdout; html: a self-contained page with charts)')
    .addOption(new Option('--sort <by>', 'order of the trials: rank (best first) or number (the order they were tried)').choices(['rank', 'number']).default('rank'))
    .option('--quiet', 'no progress on stderr')
    .option('--verbose', 'a line on stderr for every finished trial (its config, score and fit time)')
    .option('--folds-columns', "csv: every split's score as a column of its own (split0_test_r2, …, as scikit-learn's cv_results_)")
    .option('--save-best <file.json>', 'refit the best config on all rows and save the model as JSON')
    .optionsGroup('Checkpoints:')
    .option('--checkpoint <file.jsonl>', 'append finished tasks here (default .sweep/<sweep-id>.jsonl)')
    .option('--no-checkpoint', 'do not write a checkpoint')
    .option('--resume', 'skip tasks a previous run of the same sweep finished (after a crash or Ctrl-C)')
    .optionsGroup('Cluster (many machines):')
    .addOption(new Option('--cluster <url>', 'publish the sweep to `sweep worker` processes: redis://[user@]host:port[/db] (rediss:// for TLS); password from SWEEP_CLUSTER_PASSWORD').env('SWEEP_CLUSTER'))
    .option('--keep', 'with --cluster: keep the sweep\'s queue and results in Redis after it completes')
    .optionsGroup('Options:')
    .addHelpText(
      'after',
      `
Examples:
  sweep run --trees 10,20,50 --max-depth 4,8,none
  sweep run --search tpe --trials 30 --trees 10..200 --max-depth 2..24 --min-samples-leaf 1..64:log --max-features 0.1..1
  sweep run --search halving --trials 27 --trees 81 --max-depth 2..24     (rungs of 27 × 3, 9 × 9, 3 × 27, 1 × 81 trees)
  sweep run --config sweep.yaml --trials 50     (flags override the file), with sweep.yaml:
      method: tpe
      metric: {name: rmse, goal: minimize}
      trials: 30
      parameters:
        numTrees: {min: 10, max: 200}
        maxDepth: {values: [4, 8, none]}
        minSamplesLeaf: {min: 1, max: 64, distribution: log_uniform_values}
  sweep run --model linear --reg-param 0,0.1,1 --elastic-net 0,0.5,1 --format json > results.json
  sweep run --data my.csv --target price --strategy native --workers 8 --resume`,
    )
    .action(async (flags: RunFlags, command: Command) => {
      // The YAML reader loads only for --config (it is a tenth of the start-up otherwise).
      if (flags.config !== undefined) (await import('./config.js')).applyConfig(flags.config, flags, command);
      process.exitCode = await runAction(flags);
    });
  return cmd;
}

export async function runAction(flags: RunFlags): Promise<number> {
  const options = sweepOptionsFromFlags(flags);
  if (flags.describe) return (await import('./describe.js')).describeAction(options, flags.format, flags.output);
  const workers = parseIntFlag(flags.workers, 'workers', 1, MAX_WORKERS);
  const retries = parseIntFlag(flags.retries, 'retries', 0, 100);
  const timeoutSec = parseNumberFlag(flags.taskTimeout, 'task-timeout');
  checkTaskTimeout(timeoutSec === undefined ? undefined : timeoutSec * 1000);
  const workerMemoryMb = parseIntFlag(flags.workerMemory, 'worker-memory', 16, 1024 * 1024);
  const strategy = parseStrategy(flags.strategy);
  if (flags.foldsColumns && flags.format !== 'csv') throw new UsageError(`--folds-columns applies to --format csv, not ${flags.format}`);
  if (flags.cluster !== undefined) (await import('../cluster/url.js')).parseClusterUrl(flags.cluster); // a bad URL fails before any data is read
  else if (flags.keep) throw new UsageError('--keep applies to --cluster runs');
  if (!isStdout(flags.output)) checkWritable(flags.output!, 'output');
  if (flags.saveBest !== undefined) checkWritable(flags.saveBest, 'save-best');
  if (typeof flags.checkpoint === 'string') checkWritable(flags.checkpoint, 'checkpoint', { createsDirs: true });
  checkNotInput(
    [
      ...(isStdout(flags.output) ? [] : [{ flag: 'output', file: flags.output! }]),
      ...(flags.saveBest !== undefined ? [{ flag: 'save-best', file: flags.saveBest }] : []),
      ...(typeof flags.checkpoint === 'string' ? [{ flag: 'checkpoint', file: flags.checkpoint }] : []),
    ],
    inputFiles(flags),
  );
  const toStdout = isStdout(flags.output);
  const warn = (msg: string) => {
    if (!flags.quiet) process.stderr.write(`sweep: ${escapeControl(msg)}\n`);
  };
  // Boot a pool thread while this process loads the data (it is adopted if the sweep runs on one thread).
  const query = { strategy, udf: options.udf !== undefined, cluster: flags.cluster !== undefined, workers, workerMemoryMb };
  const shape = poolToPrestart(query);
  const pool = shape ? await import('../strategies/thread-pool.js') : undefined;
  if (shape) pool!.prestartThreadPool(shape);
  try {
    return await runPrepared(flags, options, { strategy, workers, workerMemoryMb, retries, timeoutSec, toStdout, warn });
  } finally {
    await pool?.discardPrestarted();
  }
}

interface RunSettings {
  strategy: StrategyName | undefined;
  workers: number | undefined;
  workerMemoryMb: number | undefined;
  retries: number | undefined;
  timeoutSec: number | undefined;
  toStdout: boolean;
  warn: (msg: string) => void;
}

async function runPrepared(flags: RunFlags, options: ReturnType<typeof sweepOptionsFromFlags>, settings: RunSettings): Promise<number> {
  const { strategy, workers, workerMemoryMb, retries, timeoutSec, toStdout, warn } = settings;
  const prep = await prepareSweepInput({ ...options, strategy, onWarning: warn, onNote: warn });
  const progress = new Progress({ quiet: Boolean(flags.quiet) });
  const watch = watchTrials(prep, progress, Boolean(flags.verbose) && !flags.quiet);
  const checkpoint = await checkpointPathOf(prep, { checkpoint: typeof flags.checkpoint === 'string' ? flags.checkpoint : undefined, autoCheckpoint: flags.checkpoint !== false });
  const command = commandLine();
  const record = startRecord(prep, checkpoint, command, taskCount(prep), warn);
  const interrupt: Interrupt = interruptSignal();
  let result: Awaited<ReturnType<typeof executeSweep>>;
  try {
    void progress.start(taskCount(prep));
    result = await executeSweep(prep, {
      strategy,
      workers,
      workerMemoryMb,
      retries,
      parallelism: parseIntFlag(flags.parallelism, 'parallelism', 1, 1024),
      taskTimeoutMs: timeoutSec === undefined ? undefined : timeoutSec * 1000,
      signal: interrupt.signal,
      onProgress: (p) => progress.tick(p.done, p.failed),
      onTrial: watch.onTrial,
      onStart: (run) => record.begin(run),
      checkpoint: typeof flags.checkpoint === 'string' ? flags.checkpoint : undefined,
      autoCheckpoint: flags.checkpoint !== false,
      resume: Boolean(flags.resume),
      ...(flags.cluster !== undefined ? { cluster: { url: flags.cluster, keep: Boolean(flags.keep), onNotice: warn } } : {}),
      onNotice: warn,
      onResume: (r) => {
        for (const w of r.warnings) warn(w);
        warn(r.files.length === 0 ? 'nothing to resume: no checkpoint of this sweep found' : `resuming: ${r.reused} of ${r.total} fits already done`);
      },
    });
    result = { ...result, command };
    record.finish(result);
  } catch (err) {
    record.fail(err);
    throw err;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
  const color = toStdout && colorEnabled(process.stdout);
  const report = await renderAny(result, flags.format, { color, width: process.stdout.columns, sort: flags.sort ?? 'rank', foldsColumns: Boolean(flags.foldsColumns) });
  if (isStdout(flags.output)) await writeReport(report, flags.output);
  else await writingTo(flags.output!, 'output', () => writeReport(report, flags.output));
  if (flags.saveBest !== undefined && result.best && !result.interrupted) {
    const [file, params] = [flags.saveBest, result.best.params];
    const { saveBestModel } = await import('../api/save.js');
    await writingTo(file, 'save-best', () => saveBestModel(prep, params, file));
    warn(`best model saved to ${flags.saveBest}`);
  }
  if (interrupt.received) return interrupt.exitCode;
  const failed = result.tasks.failed > 0 || result.trials.some((t) => t.status === 'failed') || result.stoppedBy !== undefined;
  return failed ? EXIT_TRIAL_FAILED : EXIT_OK;
}

/** --strategy, checked before any data is read (undefined: the library chooses, udf when there is a --udf). */
function parseStrategy(raw: string | undefined): StrategyName | undefined {
  if (raw === undefined) return undefined;
  try {
    return resolveStrategyName(raw);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`--strategy: ${err.message}`);
    throw err;
  }
}
