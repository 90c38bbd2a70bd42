/**
 * The CLI entry point: the only place that prints errors and sets the exit code.
 * A SweepError (bad usage or input) is one line, plus an optional hint, exit 2 — never a stack trace.
 * Anything else is a bug in sweep: its stack is printed with a request to report it, exit 1.
 */
import { Command, CommanderError } from 'commander';
import { escapeControl, EXIT_USAGE, SweepError } from '../errors.js';
import { VERSION } from '../version.js';


/** The commands, each loaded only when it is built (a command's module brings its whole part of the library). */
const COMMANDS: Record<string, (program: Command) => Promise<Command>> = {
  run: async () => (await import('./run.js')).runCommand(),
  predict: async () => (await import('./predict.js')).predictCommand(),
  compare: async () => (await import('./compare.js')).compareCommand(),
  history: async () => (await import('./history.js')).historyCommand(),
  show: async () => (await import('./history.js')).showCommand(),
  report: async () => (await import('./history.js')).reportCommand(),
  worker: async () => (await import('./worker.js')).workerCommand(),
  completion: async (program) => (await import('./completion.js')).completionCommand(() => program),
};

/**
 * The program. `only` (the command on the command line) builds that command alone: `sweep run …` never loads
 * the cluster worker, compare or completion modules. Help, --version, completion and anything else build all.
 */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('sweep')
    .description('Hyperparameter sweeps of regression and classification models over worker threads: native, thread-pool and grouped-UDF strategies.')
    .version(VERSION, '-V, --version')
    .exitOverride();
  const names = only !== undefined && only !== 'completion' && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  for (const name of names) program.addCommand((await COMMANDS[name](program)).exitOverride());
  for (const cmd of [program, ...program.commands]) {
    // Commander's own errors (unknown flag, bad choice, missing value) look like ours: "sweep: …" + a hint line.
    const usage = cmd === program ? 'sweep --help' : `sweep ${cmd.name()} --help`;
    cmd.showHelpAfterError(`hint: see ${usage}`).configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'sweep: ')) });
  }
  program.addHelpText('after', '\nExamples:\n  sweep run --trees 10,20,50\n  sweep run --model linear --reg-param 0,0.1,1 --elastic-net 0,0.5,1\n  sweep run --help');
  return program;
}

/**
 * A reader that closes stdout early (`sweep predict … | head -1`) ends the output, not in a stack trace: exit 0
 * quietly, as `head`'s writer would stop; any other stdout error is reported as one line.
 */
function quietOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    process.stderr.write(`sweep: cannot write to standard output (${err.code ?? err.message})\n`);
    process.exit(1);
  });
}

export async function main(argv: string[] = process.argv): Promise<void> {
  quietOnClosedStdout();
  let program: Command;
  try {
    program = await buildProgram(argv[2]);
  } catch (err) {
    process.exitCode = reportError(err);
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/** Print an error as the user should see it and return the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its one-line message (help and version exit 0).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return EXIT_USAGE;
  }
  if ((err as NodeJS.ErrnoException | null)?.code === 'EPIPE') process.exit(0);
  if (err instanceof SweepError) {
    // One line each: newlines and control characters from the user's data are shown escaped.
    process.stderr.write(`sweep: ${escapeControl(err.message).replace(/\n/g, '\\n')}\n`);
    if (err.hint) process.stderr.write(`hint: ${escapeControl(err.hint).replace(/\n/g, '\\n')}\n`);
    return err.exitCode;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`sweep: internal error (this is a bug; please report it with the command you ran):\n${stack}\n`);
  return 1;
}
