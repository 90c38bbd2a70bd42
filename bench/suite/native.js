/**
 * The native strategy (issue: data-parallel fitting over partitions): forest speed-up 2 vs 1 worker and memory per
 * worker on Friedman #1 with 1 000 000 rows, a 50-config linear sweep native vs thread-pool, and diabetes native vs
 * thread-pool. The measuring lives in bench/native.js (each run in its own child process); this case puts its
 * tables and targets into RESULTS.md. BENCH_REPEAT (default 5) sets the runs per worker count of the forest case.
 */
import { log } from './common.js';

export const title = 'Native strategy: scaling, memory and coordination cost';

export async function run() {
  log('native: forest 1M rows at 1 and 2 workers, linear 50 configs native vs thread-pool, diabetes');
  const { measureAll } = await import('../native.js');
  return measureAll();
}
