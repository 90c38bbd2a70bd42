#!/usr/bin/env node
// `sweep run` boots the pool thread it will run on now, so the thread's ~50-80 ms of Node start-up and module
// loading overlap this process loading its own modules and the data; which pool, if any, the library decides
// (src/cli/prestart.ts → poolToPrestart). A run that ends up wanting another pool discards it.
const early = process.argv[2] === 'run' ? await import('../dist/cli/prestart.js') : undefined;
const started = early?.prestartFromArgs(process.argv.slice(2)) ?? false;
try {
  const cli = await import('../dist/cli/main.js');
  await cli.main(process.argv);
} finally {
  if (started) await early.discardPrestarted();
}
