/**
 * `sweep worker --cluster URL`: join a cluster and run sweeps' jobs until Ctrl-C / SIGTERM (running jobs finish
 * first; a second signal quits at once, and BullMQ hands the jobs it held to other workers).
 */
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { parseIntFlag } from './options.js';
import { interruptSignal } from './signals.js';

interface WorkerFlags {
  cluster: string;
  concurrency?: string;
  udfDir?: string;
  quiet?: boolean;
  verbose?: boolean;
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('join a cluster (BullMQ on Redis) and run the jobs of every sweep published to it')
    .addOption(new Option('--cluster <url>', 'redis://[user@]host:port[/db], or rediss://… for TLS; password from SWEEP_CLUSTER_PASSWORD (or REDISCLI_AUTH)').env('SWEEP_CLUSTER').makeOptionMandatory())
    .addOption(new Option('--concurrency <n>', 'pool threads, and jobs taken at once (default: available cores)').env('SWEEP_WORKER_CONCURRENCY'))
    .addOption(new Option('--udf-dir <dir>', 'directory of UDF modules this worker may run (by file name); without it, built-in models only').env('SWEEP_UDF_DIR'))
    .option('--quiet', 'only errors on stderr')
    .option('--verbose', 'log every job as it starts and finishes')
    .addHelpText(
      'after',
      `
Examples:
  sweep worker --cluster redis://127.0.0.1:6379/0
  SWEEP_CLUSTER_PASSWORD=secret sweep worker --cluster redis://10.0.0.5:6379/0 --concurrency 8 --udf-dir ./udfs
  export SWEEP_CLUSTER=redis://10.0.0.5:6379/0 SWEEP_CLUSTER_PASSWORD=secret; sweep worker --verbose`,
    )
    .action(async (flags: WorkerFlags) => {
      process.exitCode = await workerAction(flags);
    });
}

export async function workerAction(flags: WorkerFlags): Promise<number> {
  const concurrency = parseIntFlag(flags.concurrency, 'concurrency', 1, 1024) ?? availableParallelism();
  const { runClusterWorker } = await import('../cluster/worker.js');
  const stop = interruptSignal('finishing running jobs (again to quit now)', 'sweep worker');
  try {
    await runClusterWorker({
      url: flags.cluster,
      concurrency,
      ...(flags.udfDir !== undefined ? { udfDir: flags.udfDir } : {}),
      signal: stop.signal,
      verbose: Boolean(flags.verbose),
      log: (line) => {
        if (!flags.quiet || /refused|cannot/.test(line)) process.stderr.write(`sweep worker: ${line}\n`);
      },
    });
  } finally {
    stop.dispose();
  }
  // BullMQ may still hold sockets to a Redis that is down: leave now rather than when they give up.
  process.exit(stop.exitCode);
}
