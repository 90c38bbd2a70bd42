/**
 * `bin/sweep.js` boots a pool thread before it loads the CLI, so the thread's start-up overlaps this process
 * loading its modules and the data. Which pool (if any) is the library's decision (poolToPrestart); this only
 * reads the few flags that decide it from the raw arguments, before commander has parsed anything.
 */
import { URL_ENV } from '../cluster/url.js';
import { discardPrestarted, poolToPrestart, prestartThreadPool } from '../strategies/thread-pool.js';

/** The value of `--flag v` or `--flag=v` in args, true for a bare flag, undefined when absent. */
function flagValue(args: readonly string[], flag: string): string | true | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1] ?? true;
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
  }
  return undefined;
}

/** Start the pool a `sweep run` with these arguments will adopt; false when there is none to start. */
export function prestartFromArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (args[0] !== 'run' || args.includes('--help') || args.includes('-h')) return false;
  const strategy = flagValue(args, '--strategy');
  const workers = flagValue(args, '--workers');
  const memory = flagValue(args, '--worker-memory');
  const int = (v: string | true | undefined) => (typeof v === 'string' && /^\d{1,7}$/.test(v) ? Number(v) : undefined);
  if ((workers !== undefined && int(workers) === undefined) || (memory !== undefined && int(memory) === undefined)) return false; // the CLI will refuse them
  const shape = poolToPrestart({
    strategy: typeof strategy === 'string' ? strategy : undefined,
    udf: flagValue(args, '--udf') !== undefined,
    cluster: flagValue(args, '--cluster') !== undefined || (env[URL_ENV] ?? '') !== '',
    workers: int(workers),
    workerMemoryMb: int(memory),
  });
  if (!shape) return false;
  prestartThreadPool(shape);
  return true;
}

export { discardPrestarted };
