/**
 * `sweep compare --cluster URL`: every run is published to real `sweep worker` processes (a real redis-server,
 * password-protected so we can check the password is never printed); the strategies agree on every metric,
 * and --workers is refused with --cluster (the cluster, not the driver, sets the parallelism).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill, spawnSweep, startRedis, type RedisServer, type Spawned } from './redis-server.js';

const PASSWORD = 'cmp-s3cret';
let server: RedisServer;
let url: string;
const spawned: Spawned[] = [];

beforeAll(async () => {
  server = await startRedis(['--requirepass', PASSWORD]);
  url = `redis://:${PASSWORD}@127.0.0.1:${server.port}/0`;
});

afterAll(async () => {
  await Promise.all(spawned.map((w) => kill(w.proc, 'SIGKILL')));
  await server?.stop();
});

const COMPARE = ['compare', '--model', 'linear', '--reg-param', '0,1', '--folds', '2', '--strategies', 'thread-pool,native', '--repeat', '1', '--warmup', '0'];

describe('sweep compare --cluster', () => {
  it('runs every strategy on one cluster worker: metrics identical, exit 0, password never printed', async () => {
    const w = spawnSweep(['worker', '--cluster', url, '--concurrency', '1', '--verbose']);
    spawned.push(w);
    await w.waitFor(/joined/);
    const cmp = spawnSweep([...COMPARE, '--cluster', url, '--quiet']);
    spawned.push(cmp);
    expect(await cmp.exited).toBe(0);
    expect(cmp.stdout()).toContain('metrics identical: yes');
    expect(cmp.stdout()).toMatch(/thread-pool/);
    expect(cmp.stdout()).toMatch(/native/);
    // The worker really ran both kinds of job: thread-pool tasks and native partition jobs.
    expect(w.stderr()).toMatch(/running t[0-9a-f]{32} \(task\)/);
    expect(w.stderr()).toMatch(/running n\d+-\d+-\d+ \(/);
    for (const p of [w, cmp]) expect(p.stderr() + p.stdout()).not.toContain(PASSWORD);
    await kill(w.proc, 'SIGTERM');
  });

  it('refuses --workers with --cluster, and a bad URL, before any work (exit 2, password redacted)', async () => {
    const withWorkers = spawnSweep([...COMPARE, '--cluster', url, '--workers', '1,2']);
    expect(await withWorkers.exited).toBe(2);
    expect(withWorkers.stderr()).toContain('--workers cannot be compared with --cluster');
    const badUrl = spawnSweep([...COMPARE, '--cluster', `http://u:${PASSWORD}@127.0.0.1:1`]);
    expect(await badUrl.exited).toBe(2);
    expect(badUrl.stderr()).toContain('the scheme must be redis: or rediss:');
    expect(badUrl.stderr()).not.toContain(PASSWORD);
  });
});
