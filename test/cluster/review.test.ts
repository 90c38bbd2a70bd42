/**
 * The hostile-input review (issue 12), cluster classes, against a real redis-server on 127.0.0.1: forged results
 * in Redis (4), two drivers of one sweep (17), Redis restarted empty mid-sweep (18), a worker whose Redis is down
 * on SIGTERM (19), a job whose payload is not JSON (20), a DB index out of range (21), the password from the
 * environment (22). Each ends with one clear line and the right exit code, never a stack or a hang.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { kill, redisForTests, startRedis, type Spawned } from './redis-server.js';

const fixture = redisForTests();
const STACK_FRAME = /^\s+at /m;

function sweep(args: string[], env: Record<string, string> = {}): Spawned {
  return fixture.spawn(args, env);
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let v = await probe();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    v = await probe();
  }
  return v;
}

const resultKeys = () => fixture.redis.keys('sweep:*:results');

describe('cluster: the hostile-input review', () => {
  it('[21] a DB index out of range is one line, exit 2, and writes nothing into DB 0', async () => {
    const before = await fixture.redis.dbsize();
    const r = sweep(['run', '--cluster', `redis://127.0.0.1:${fixture.server.port}/99`, '--trees', '1', '--folds', '2', '--no-checkpoint']);
    expect(await r.exited).toBe(2);
    const lines = r.stderr().trim().split('\n');
    expect(lines[0]).toBe(`sweep: --cluster redis://127.0.0.1:${fixture.server.port}/99: database 99 cannot be selected on that server (ERR DB index is out of range)`);
    expect(r.stderr()).not.toMatch(STACK_FRAME);
    expect(await fixture.redis.dbsize()).toBe(before);
    const w = sweep(['worker', '--cluster', `redis://127.0.0.1:${fixture.server.port}/99`]);
    expect(await w.exited).toBe(2);
    expect(w.stderr()).toContain('database 99 cannot be selected');
  });

  it('[4] forged results in Redis: a non-JSON value and r2 "HACKED" fail their tasks instead of crashing or counting', async () => {
    await fixture.redis.flushdb();
    const w = sweep(['worker', '--cluster', fixture.server.url, '--concurrency', '1']);
    await w.waitFor(/joined/);
    // Plant forged results under real task ids before the worker gets to them: pause the worker's queue by
    // letting the driver publish while we overwrite each result as soon as its key appears.
    const args = ['run', '--cluster', fixture.server.url, '--model', 'linear', '--reg-param', '0,1,2', '--folds', '2', '--format', 'json', '--no-checkpoint', '--quiet', '--keep'];
    const first = sweep(args);
    expect(await first.exited).toBe(0);
    const [key] = await resultKeys();
    const ids = Object.keys(await fixture.redis.hgetall(key));
    expect(ids).toHaveLength(6);
    const good = JSON.parse((await fixture.redis.hget(key, ids[1]))!);
    await fixture.redis.hset(key, ids[0], 'not json{');
    await fixture.redis.hset(key, ids[1], JSON.stringify({ ...good, metrics: { ...good.metrics, r2: 'HACKED' } }));
    // --resume reads every result back from Redis: the two forged ones are not reused but run again.
    const second = sweep([...args.filter((a) => a !== '--quiet'), '--resume']);
    expect(await second.exited).toBe(0);
    expect(second.stderr()).toMatch(/resuming sweep [0-9a-f]{16}: 4 results found in Redis/);
    expect(second.stderr()).not.toMatch(STACK_FRAME);
    const a = JSON.parse(first.stdout());
    const b = JSON.parse(second.stdout());
    expect(b.tasks).toEqual({ total: 6, ok: 6, failed: 0 });
    expect(b.trials.map((t: { metrics: unknown }) => t.metrics)).toEqual(a.trials.map((t: { metrics: unknown }) => t.metrics));
    await kill(w.proc, 'SIGTERM');
  });

  it('[20] a job whose payload is not JSON is failed for good and reported to the driver, not retried every second', async () => {
    await fixture.redis.flushdb();
    const d = sweep(['run', '--cluster', fixture.server.url, '--model', 'linear', '--reg-param', '0,1', '--folds', '2', '--format', 'json', '--no-checkpoint', '--quiet']);
    // No worker yet: the jobs wait. Corrupt one of them, then start a worker.
    const waiting = await until(
      async () => {
        const [q] = await fixture.redis.keys('sweep:q-*:wait');
        return q === undefined ? [] : (await fixture.redis.lrange(q, 0, -1)).map((id) => ({ q: q.slice(0, -':wait'.length), id }));
      },
      (ids) => ids.length === 4,
    );
    expect(waiting).toHaveLength(4);
    await fixture.redis.hset(`${waiting[0].q}:${waiting[0].id}`, 'data', 'not json{');
    const w = sweep(['worker', '--cluster', fixture.server.url, '--concurrency', '1']);
    const code = await Promise.race([d.exited, new Promise<string>((r) => setTimeout(() => r('hung'), 30_000))]);
    expect(code).toBe(1);
    const result = JSON.parse(d.stdout());
    expect(result.tasks).toEqual({ total: 4, ok: 3, failed: 1 });
    expect(result.trials.some((t: { error?: string }) => /its data is not JSON/.test(t.error ?? ''))).toBe(true);
    await w.waitFor(new RegExp(`refused job ${waiting[0].id} of sweep [0-9a-f]{16}: its data is not JSON`));
    await kill(w.proc, 'SIGTERM');
  });

  it('[17] a second driver of the same sweep is refused while the first runs; the first finishes with every result', async () => {
    await Promise.all(fixture.spawned.map((p) => kill(p.proc, 'SIGKILL'))); // no worker: the first driver waits
    await fixture.redis.flushdb();
    const args = ['run', '--cluster', fixture.server.url, '--trees', '30,60', '--max-depth', '6,none', '--folds', '3', '--format', 'json', '--no-checkpoint', '--quiet'];
    const first = sweep(args);
    await until(() => fixture.redis.keys('sweep:*:lock'), (k) => k.length === 1);
    const second = sweep(args);
    expect(await second.exited).toBe(2);
    expect(second.stderr()).toMatch(/^sweep: sweep [0-9a-f]{16} is already being run by another driver \([^)]+\) on redis:\/\/127\.0\.0\.1:\d+\/0$/m);
    expect(second.stderr()).not.toMatch(STACK_FRAME);
    const w = sweep(['worker', '--cluster', fixture.server.url, '--concurrency', '2']);
    expect(await first.exited).toBe(0);
    expect(JSON.parse(first.stdout()).tasks).toEqual({ total: 12, ok: 12, failed: 0 });
    await kill(w.proc, 'SIGTERM');
  });

  it('[18] Redis restarted empty mid-sweep: the driver fails with one line instead of waiting forever', async () => {
    const own = await startRedis();
    try {
      const d = sweep(['run', '--cluster', own.url, '--trees', '5', '--folds', '2', '--no-checkpoint', '--quiet']);
      const probe = new Redis({ host: '127.0.0.1', port: own.port, maxRetriesPerRequest: null, lazyConnect: true });
      await probe.connect();
      await until(() => probe.keys('sweep:[0-9a-f]*:meta'), (k) => k.length >= 1);
      // No worker: the jobs wait. Empty the server as a restart without persistence would.
      await probe.flushall();
      probe.disconnect();
      const code = await Promise.race([d.exited, new Promise<string>((r) => setTimeout(() => r('hung'), 30_000))]);
      expect(code).toBe(1);
      const lines = d.stderr().trim().split('\n');
      expect(lines[0]).toMatch(/^sweep: sweep [0-9a-f]{16}'s keys are gone from Redis \(the server restarted without its data, or they were deleted\)$/);
      expect(lines[1]).toBe('hint: run the same command with --resume: it re-runs what is missing');
      expect(d.stderr()).not.toMatch(STACK_FRAME);
    } finally {
      await own.stop();
    }
  });

  it('[19] a worker whose Redis is down leaves within the grace period on one SIGTERM', async () => {
    const own = await startRedis();
    const w = sweep(['worker', '--cluster', own.url, '--concurrency', '1']);
    await w.waitFor(/joined/);
    await own.stop();
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    w.proc.kill('SIGTERM');
    const code = await Promise.race([w.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 20_000))]);
    expect(code).toBe(143);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('[22] the password can come from SWEEP_CLUSTER_PASSWORD, the URL from SWEEP_CLUSTER; neither is printed', async () => {
    const own = await startRedis(['--requirepass', 'p4ssw0rd-from-env']);
    try {
      const env = { SWEEP_CLUSTER: own.url, SWEEP_CLUSTER_PASSWORD: 'p4ssw0rd-from-env' };
      const w = sweep(['worker', '--concurrency', '1'], env);
      await w.waitFor(/joined redis:\/\/127\.0\.0\.1:\d+\/0 /);
      const d = sweep(['run', '--model', 'linear', '--folds', '2', '--format', 'json', '--no-checkpoint'], env);
      expect(await d.exited).toBe(0);
      expect(JSON.parse(d.stdout()).tasks.ok).toBe(2);
      expect(d.stderr() + w.stderr()).not.toContain('p4ssw0rd-from-env');
      const wrong = sweep(['run', '--model', 'linear', '--folds', '2', '--no-checkpoint'], { SWEEP_CLUSTER: own.url });
      expect(await wrong.exited).toBe(1);
      expect(wrong.stderr()).toMatch(/cannot reach the cluster at redis:\/\/127\.0\.0\.1:\d+\/0: NOAUTH/);
      await kill(w.proc, 'SIGTERM');
    } finally {
      await own.stop();
    }
  });
});
