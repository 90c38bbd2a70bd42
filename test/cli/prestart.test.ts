/** Which pool `sweep run` boots before loading the data: the library decides (poolToPrestart), the bin only asks. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { discardPrestarted, prestartFromArgs } from '../../dist/cli/prestart.js';
import { poolToPrestart } from '../../dist/strategies/thread-pool.js';

describe('poolToPrestart', () => {
  it('is a thread pool of one thread, or of the threads asked for (at most the cores), for the thread-pool strategy only', () => {
    expect(poolToPrestart({})).toEqual({ workers: 1 });
    expect(poolToPrestart({ strategy: 'thread-pool', workers: 2 })).toEqual({ workers: Math.min(2, availableParallelism()) });
    expect(poolToPrestart({ workers: 1024 })).toEqual({ workers: availableParallelism() });
    // Not for other strategies, a UDF, a cluster, a heap limit, or thread counts the sweep refuses.
    for (const q of [{ strategy: 'native' }, { strategy: 'udf' }, { udf: true }, { cluster: true }, { workerMemoryMb: 64 }, { workers: 0 }, { workers: 2000 }]) {
      expect(poolToPrestart(q), JSON.stringify(q)).toBeUndefined();
    }
  });
});

describe('prestartFromArgs', () => {
  it('starts nothing for other commands, other strategies, a UDF, a cluster (flag or SWEEP_CLUSTER), --help or a bad --workers', () => {
    for (const args of [['compare'], ['run', '--strategy', 'native'], ['run', '--strategy=udf'], ['run', '--udf', 'u.mjs'], ['run', '--cluster', 'redis://h'], ['run', '--help'], ['run', '--workers', 'x']]) {
      expect(prestartFromArgs(args, {}), args.join(' ')).toBe(false);
    }
    expect(prestartFromArgs(['run'], { SWEEP_CLUSTER: 'redis://h:1/0' })).toBe(false);
  });
  it('starts the pool of a plain thread-pool run', async () => {
    expect(prestartFromArgs(['run', '--trees', '10', '--workers', '1'], {})).toBe(true);
    await discardPrestarted();
  });
});
