#!/usr/bin/env node
// `sweep run` with the default thread-pool strategy boots its first pool thread now, so the thread's ~50-80 ms
// of Node start-up and module loading overlap this process loading its own modules and the data (see
// strategies/thread-pool.ts prestartThreadPool; runs that end up wanting another pool discard it).
const args = process.argv.slice(2);
const poolFlags = ['--strategy', '--udf', '--cluster', '--workers', '--worker-memory', '--help', '-h'];
const early = args[0] === 'run' && !args.some((a) => poolFlags.includes(a.split('=')[0]));
const pool = early ? await import('../dist/strategies/thread-pool.js') : undefined;
pool?.prestartThreadPool({ workers: 1 });
try {
  const cli = await import('../dist/cli/main.js');
  await cli.main(process.argv);
} finally {
  await pool?.discardPrestarted();
}
