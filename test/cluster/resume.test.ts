/**
 * The driver dies, the sweep does not: a `sweep run --cluster` driver is SIGKILLed once at least 5 of its 30
 * results are in Redis; the worker goes on with the queued jobs, and the same command with --resume takes over
 * the results found in Redis, collects the rest, and reports all 30 tasks with the metrics of a local run.
 */
import { describe, expect, it } from 'vitest';
import { executeSweep, prepareSweep } from '../../dist/api/run.js';
import { kill, redisForTests } from './redis-server.js';

const fixture = redisForTests();
const spawnSweep = fixture.spawn;

const metricsOf = (r: { trials: { params: unknown; metrics?: unknown }[] }) => r.trials.map((t) => [t.params, t.metrics]);

/** The results hash of the (only) sweep in Redis and how many results it holds; 0 before the sweep exists. */
async function resultCount(): Promise<{ key: string | undefined; n: number }> {
  const [key] = await fixture.redis.keys('sweep:*:results');
  return { key, n: key === undefined ? 0 : await fixture.redis.hlen(key) };
}

describe('sweep run --cluster --resume after the driver died', () => {
  it('picks up the finished results from Redis: 30 tasks ok, metrics of a local run', async () => {
    const w = spawnSweep(['worker', '--cluster', fixture.server.url, '--concurrency', '1']);
    await w.waitFor(/joined/);
    const args = ['run', '--cluster', fixture.server.url, '--trees', '40,120', '--max-depth', '5,10,none', '--workers', '1', '--format', 'json', '--no-checkpoint', '--quiet'];
    const first = spawnSweep(args);
    let count = await resultCount();
    for (let i = 0; i < 1200 && count.n < 5; i++) {
      await new Promise((r) => setTimeout(r, 25));
      count = await resultCount();
    }
    expect(count.n).toBeGreaterThanOrEqual(5);
    await kill(first.proc, 'SIGKILL');
    // Nothing cleaned up: the sweep is still active and its results stay (the worker may add more meanwhile).
    expect(await fixture.redis.smembers('sweep:active')).toHaveLength(1);
    const atKill = count.n;
    expect(atKill).toBeLessThan(30); // otherwise the driver was not killed mid-sweep and nothing is tested

    const second = spawnSweep(args.map((a) => (a === '--quiet' ? '--resume' : a)));
    expect(await second.exited).toBe(0);
    const result = JSON.parse(second.stdout());
    expect(result.tasks).toEqual({ total: 30, ok: 30, failed: 0 });
    const found = /resuming sweep [0-9a-f]{16}: (\d+) results found in Redis/.exec(second.stderr());
    expect(found).not.toBeNull();
    expect(Number(found![1])).toBeGreaterThanOrEqual(atKill);

    const prep = await prepareSweep({ grid: { numTrees: [40, 120], maxDepth: [5, 10, 'none'] } });
    const local = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
    expect(metricsOf(result)).toEqual(metricsOf(local));
    // The completed sweep cleaned up after itself.
    await new Promise((r) => setTimeout(r, 300));
    expect(await fixture.redis.smembers('sweep:active')).toEqual([]);
    await kill(w.proc, 'SIGTERM');
  });
});
