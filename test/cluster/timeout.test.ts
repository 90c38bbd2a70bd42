/**
 * --task-timeout on the cluster: the driver puts `timeoutMs` in each job and the worker aborts the pool run
 * (piscina ends the thread) when it is exceeded, recording the failure as E_TIMEOUT; the worker's pool recovers
 * and the next sweep, without a timeout, succeeds on the same worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill, spawnSweep, startRedis, type RedisServer, type Spawned } from './redis-server.js';

let server: RedisServer;
const spawned: Spawned[] = [];

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await Promise.all(spawned.map((w) => kill(w.proc, 'SIGKILL')));
  await server?.stop();
});

describe('sweep run --cluster --task-timeout', () => {
  it('fails a task that runs too long on a worker ("task timed out", exit 1); the worker then runs the next sweep', async () => {
    const w = spawnSweep(['worker', '--cluster', server.url, '--concurrency', '1', '--verbose']);
    spawned.push(w);
    await w.waitFor(/joined/);
    // 300 unlimited-depth trees on 221 rows take far longer than 20 ms.
    const slow = spawnSweep(['run', '--cluster', server.url, '--trees', '300', '--max-depth', 'none', '--folds', '2', '--task-timeout', '0.02', '--format', 'json', '--no-checkpoint', '--quiet']);
    spawned.push(slow);
    expect(await slow.exited).toBe(1);
    const result = JSON.parse(slow.stdout());
    expect(result.tasks).toEqual({ total: 2, ok: 0, failed: 2 });
    expect(result.trials[0].error).toContain('task timed out after 0.02 s');

    const next = spawnSweep(['run', '--cluster', server.url, '--trees', '5', '--folds', '2', '--task-timeout', '60', '--format', 'json', '--no-checkpoint', '--quiet']);
    spawned.push(next);
    expect(await next.exited).toBe(0);
    expect(JSON.parse(next.stdout()).tasks).toEqual({ total: 2, ok: 2, failed: 0 });
    await kill(w.proc, 'SIGTERM');
  });
});
