/**
 * `sweep compare`: the same data, model and grid flags as `run`, then every (strategy, workers) combination run
 * `--repeat` times after `--warmup` unmeasured runs, each in its own process, and the comparison rendered.
 * Exit 1 when the strategies disagree on any metric (they must not, for one seed) or a task failed.
 */
import { Command, Option } from 'commander';
import { compareStrategies } from '../compare/compare.js';
import { COMPARE_SCHEMA } from '../compare/result.js';
import { VERSION } from '../version.js';
import { commandLine } from './record.js';
import { escapeControl, EXIT_OK, EXIT_TRIAL_FAILED } from '../errors.js';
import { COMPARE_FORMATS, renderCompareAny, type CompareFormat } from '../report/compare-render.js';
import { Progress } from '../report/progress.js';
import { colorEnabled, isStdout, writeReport } from '../report/render.js';
import { splitList } from '../sweep/grid.js';
import { MAX_WORKERS } from '../strategies/prestart.js';
import { addCommonOptions, inputFiles, parseIntFlag, sweepOptionsFromFlags, type CommonFlags } from './options.js';
import { checkNotInput, checkWritable, writingTo } from './outputs.js';

interface CompareFlags extends CommonFlags {
  strategies?: string;
  workers?: string;
  repeat: string;
  warmup: string;
  format: CompareFormat;
  output?: string;
  quiet?: boolean;
  inProcess?: boolean;
  cluster?: string;
}

export function compareCommand(): Command {
  const cmd = new Command('compare').description('run the same sweep under each strategy and worker count, and compare wall time, efficiency and memory');
  addCommonOptions(cmd);
  cmd
    .optionsGroup('Comparison:')
    .option('--strategies <list>', 'strategies to compare (default: every one: native, thread-pool, udf)')
    .option('--workers <list>', 'worker counts to compare (default: 1 and every core)')
    .option('--repeat <n>', 'measured runs per combination', '3')
    .option('--warmup <n>', 'unmeasured runs per combination before those', '1')
    .optionsGroup('Output:')
    .addOption(new Option('--format <fmt>', 'output format').choices([...COMPARE_FORMATS]).default('table'))
    .option('--output <file>', 'write the report to a file (- for stdout)')
    .option('--quiet', 'no progress on stderr')
    .option('--in-process', 'run everything in this process (faster start, but no per-run peak RSS)')
    .optionsGroup('Cluster (many machines):')
    .addOption(new Option('--cluster <url>', 'publish every run to `sweep worker` processes (redis://[user@]host:port[/db], rediss:// for TLS; password from SWEEP_CLUSTER_PASSWORD); not with --workers').env('SWEEP_CLUSTER'))
    .addHelpText(
      'after',
      `
Examples:
  sweep compare --trees 10,20,50
  sweep compare --data friedman1:rows=100000 --trees 50 --strategies thread-pool,native --workers 1,2 --repeat 5
  sweep compare --model linear --reg-param 0,0.1,1 --format html --output compare.html
  sweep compare --trees 50 --strategies thread-pool,native --cluster redis://127.0.0.1:6379/0`,
    )
    .action(async (flags: CompareFlags, command: Command) => {
      if (flags.config !== undefined) (await import('./config.js')).applyConfig(flags.config, flags, command);
      process.exitCode = await compareAction(flags);
    });
  return cmd;
}

export async function compareAction(flags: CompareFlags): Promise<number> {
  const options = sweepOptionsFromFlags(flags);
  const strategies = flags.strategies === undefined ? undefined : splitList(flags.strategies, 'strategies');
  const workerCounts = flags.workers === undefined ? undefined : splitList(flags.workers, 'workers').map((w) => parseIntFlag(w, 'workers', 1, MAX_WORKERS)!);
  const repeat = parseIntFlag(flags.repeat, 'repeat', 1, 1000)!;
  const warmup = parseIntFlag(flags.warmup, 'warmup', 0, 1000)!;
  const toStdout = isStdout(flags.output);
  if (!toStdout) {
    checkWritable(flags.output!, 'output');
    checkNotInput([{ flag: 'output', file: flags.output! }], inputFiles(flags));
  }
  const progress = new Progress({ quiet: Boolean(flags.quiet), unit: 'runs' });
  const meta = { schema: COMPARE_SCHEMA, version: VERSION, startedAt: new Date().toISOString(), command: commandLine() };
  let result: Awaited<ReturnType<typeof compareStrategies>>;
  try {
    result = await compareStrategies({
      ...options,
      strategies,
      workerCounts,
      repeat,
      warmup,
      isolation: flags.inProcess ? 'in-process' : 'process',
      ...(flags.cluster !== undefined ? { cluster: flags.cluster } : {}),
      onWarning: (msg) => {
        if (!flags.quiet) process.stderr.write(`sweep: ${escapeControl(msg)}\n`);
      },
      onRun: (p) => {
        if (p.done === 0) void progress.start(p.total);
        progress.tick(p.done);
      },
    });
    result = { ...meta, ...result };
  } finally {
    progress.stop();
  }
  const color = toStdout && colorEnabled(process.stdout);
  const report = await renderCompareAny(result, flags.format, { color });
  if (toStdout) await writeReport(report, flags.output);
  else await writingTo(flags.output!, 'output', () => writeReport(report, flags.output));
  if (!result.identity.identical) return EXIT_TRIAL_FAILED;
  return result.entries.some((e) => e.failedTasks > 0) ? EXIT_TRIAL_FAILED : EXIT_OK;
}
