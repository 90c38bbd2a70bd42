/**
 * Cluster mode end to end, with a real redis-server (password-protected, so we can check it is never printed)
 * and real `sweep worker` processes: a 30-task sweep survives a worker killed with SIGKILL mid-task, with every
 * task counted once and the metrics of a local run; native over the cluster equals local native on Friedman #1;
 * forged jobs naming modules outside --udf-dir are refused; finished sweeps leave no keys behind.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeDataset, publishDataset } from '../../dist/cluster/dataset-store.js';
import { makeTaskId } from '../../dist/cluster/keys.js';
import { loadData } from '../../dist/data/load.js';
import { executeSweep, prepareSweep } from '../../dist/api/run.js';
import { kill, ROOT, spawnSweep, startRedis, type RedisServer, type Spawned } from './redis-server.js';
import { messyCsv, usersCsv } from '../strategies/fold-fixture.js';

const PASSWORD = 's3cret-pw';
let server: RedisServer;
let url: string;
let redis: Redis;
const spawned: Spawned[] = [];

function worker(args: string[] = [], env: Record<string, string> = {}): Spawned {
  const w = spawnSweep(['worker', '--cluster', url, '--concurrency', '2', '--verbose', ...args], env);
  spawned.push(w);
  return w;
}

const metricsOf = (r: { trials: { params: unknown; metrics?: unknown }[] }) => r.trials.map((t) => [t.params, t.metrics]);

beforeAll(async () => {
  server = await startRedis(['--requirepass', PASSWORD]);
  url = `redis://:${PASSWORD}@127.0.0.1:${server.port}/0`;
  redis = new Redis({ host: '127.0.0.1', port: server.port, password: PASSWORD, maxRetriesPerRequest: null });
});

afterAll(async () => {
  await Promise.all(spawned.map((w) => kill(w.proc, 'SIGKILL')));
  redis?.disconnect();
  await server?.stop();
});

/** Two workers on an empty Redis (what an earlier test kept is flushed), once both have joined. */
async function freshWorkers(): Promise<Spawned[]> {
  await redis.flushdb();
  const ws = [worker(), worker()];
  await Promise.all(ws.map((w) => w.waitFor(/joined/)));
  return ws;
}

/** The sweep over the cluster, by native, thread-pool and udf, has no failed task and a local thread-pool run's metrics. */
async function expectEveryStrategyLocal(prep: Awaited<ReturnType<typeof prepareSweep>>, label = ''): Promise<void> {
  const reference = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
  for (const strategy of ['native', 'thread-pool', 'udf'] as const) {
    const remote = await executeSweep(prep, { strategy, workers: 2, cluster: { url } });
    expect(remote.tasks.failed, `${label} ${strategy}`).toBe(0);
    expect(metricsOf(remote), `${label} ${strategy}`).toEqual(metricsOf(reference));
  }
}

/** Each test starts its own workers: stop any a previous (possibly failed) test left running. */
async function stopWorkers(): Promise<void> {
  await Promise.all(spawned.map((w) => kill(w.proc, 'SIGKILL')));
}

describe('cluster mode', () => {
  beforeEach(stopWorkers);
  it('runs a 30-task sweep on two workers, one SIGKILLed mid-task: every task once, metrics of a local run', async () => {
    const a = worker();
    const b = worker();
    await Promise.all([a.waitFor(/joined/), b.waitFor(/joined/)]);
    const grid = ['--trees', '40,120', '--max-depth', '5,10,none'];
    const driver = spawnSweep(['run', '--cluster', url, ...grid, '--format', 'json', '--no-checkpoint', '--keep']);
    spawned.push(driver);
    // Kill A the moment it starts a task (after a few tasks are done, so the sweep is well under way).
    await a.waitFor(/running t[0-9a-f]{32} \(task\)(?:[\s\S]*running t[0-9a-f]{32} \(task\)){3}/);
    const killedTask = [...a.stderr().matchAll(/running (t[0-9a-f]{32})/g)].at(-1)![1];
    await kill(a.proc, 'SIGKILL');
    expect(await driver.exited).toBe(0);
    const result = JSON.parse(driver.stdout());
    expect(result.tasks).toEqual({ total: 30, ok: 30, failed: 0 });

    // The results hash (kept with --keep) holds each task exactly once; the killed task was redone by B.
    const sweepId = /serving sweep ([0-9a-f]{16})/.exec(b.stderr())![1];
    const records = await redis.hgetall(`sweep:${sweepId}:results`);
    expect(Object.keys(records)).toHaveLength(30);
    expect(JSON.parse(records[killedTask]).by).toBe(`${JSON.parse(records[killedTask]).by.split(':')[0]}:${b.proc.pid}`);
    const events = await redis.xrange(`sweep:q-${sweepId}:events`, '-', '+');
    expect(events.some(([, fields]) => fields[1] === 'stalled' && fields[3] === killedTask)).toBe(true);

    // Same metrics as the local thread-pool run with the same seed.
    const prep = await prepareSweep({ grid: { numTrees: [40, 120], maxDepth: [5, 10, 'none'] } });
    const local = await executeSweep(prep, { strategy: 'thread-pool', workers: 2 });
    expect(metricsOf(result)).toEqual(metricsOf(local));
    for (const w of [a, b, driver]) expect(w.stderr() + w.stdout()).not.toContain(PASSWORD);
    await kill(b.proc, 'SIGTERM');
  });

  it('runs the native strategy over the cluster through the local driver: same metrics as local native, worker-side binning, subtree and predict jobs (Friedman #1, 10 000 rows)', async () => {
    const ws = await freshWorkers(); // flushes what the previous test kept (--keep)
    // Deep trees (maxDepth none), so small nodes leave the levels as subtree jobs.
    const prep = await prepareSweep({ data: 'friedman1:rows=10000', grid: { numTrees: [3, 5], maxDepth: [4, 'none'] }, evaluation: { kind: 'holdout', testFraction: 0.2 } });
    const notices: string[] = [];
    const remote = await executeSweep(prep, { strategy: 'native', workers: 2, cluster: { url, onNotice: (m) => notices.push(m) } });
    const local = await executeSweep(prep, { strategy: 'native', workers: 2 });
    const threadPool = await executeSweep(prep, { strategy: 'thread-pool', workers: 2 });
    expect(remote.tasks).toEqual({ total: 4, ok: 4, failed: 0 });
    expect(metricsOf(remote)).toEqual(metricsOf(local));
    expect(metricsOf(remote)).toEqual(metricsOf(threadPool));
    // The same job kinds as local threads: thresholds found by the workers (edges), levels, subtrees, predictions.
    const sent = remote.jobs ?? {};
    const localSent = local.jobs ?? {};
    expect(Object.keys(sent).sort()).toEqual(['edges', 'level', 'predict', 'subtree']);
    expect(Object.keys(sent).sort()).toEqual(Object.keys(localSent).sort());
    for (const kind of ['edges', 'level', 'predict', 'subtree']) expect(ws.some((w) => new RegExp(`running n\\d+-\\d+-\\d+ \\(native ${kind}\\)`).test(w.stderr()))).toBe(true);
    // A finished sweep (without --keep) leaves nothing in Redis.
    // (workers notice the end on their next poll and close; give them a few seconds)
    let left = await redis.keys('sweep:*');
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await redis.keys('sweep:*');
    }
    expect(left).toEqual([]);
    expect(notices.join('\n')).not.toContain(PASSWORD);
    await Promise.all(ws.map((w) => kill(w.proc, 'SIGTERM')));
  });

  it('runs classification over the cluster with the metrics of a local run: a forest (native, thread-pool, udf) and logistic regression (native, its sums per partition from the workers)', async () => {
    const ws = await freshWorkers();
    const evaluation = { kind: 'kfold', folds: 3 } as const;
    const forest = await prepareSweep({ data: 'iris', grid: { numTrees: [3, 6], criterion: ['gini', 'entropy'] }, evaluation });
    await expectEveryStrategyLocal(forest);
    const logistic = await prepareSweep({ data: 'wine', model: 'logistic', grid: { regParam: [0.01, 0.1] }, evaluation });
    const remote = await executeSweep(logistic, { strategy: 'native', workers: 2, cluster: { url } });
    expect(remote.jobs?.logistic).toBeGreaterThan(0);
    expect(metricsOf(remote)).toEqual(metricsOf(await executeSweep(logistic, { strategy: 'thread-pool', workers: 1 })));
    await Promise.all(ws.map((w) => kill(w.proc, 'SIGTERM')));
  }, 120_000);

  it('runs group k-fold and time-series splits over the cluster with the metrics of a local run (the group column travels with the data)', async () => {
    const ws = await freshWorkers();
    const file = usersCsv();
    for (const [evaluation, ignore] of [[{ kind: 'group-kfold', folds: 3, column: 'user' }, ['week']], [{ kind: 'time-series', splits: 3 }, ['user', 'week']]] as const) {
      const prep = await prepareSweep({ data: file, ignore: [...ignore], grid: { numTrees: [3, 5] }, evaluation });
      await expectEveryStrategyLocal(prep, evaluation.kind);
    }
    await Promise.all(ws.map((w) => kill(w.proc, 'SIGTERM')));
  }, 120_000);

  it('runs data with text columns and missing cells over the cluster with the metrics of a local run (types and the forest\'s missing bin travel with the data; the linear design with the jobs)', async () => {
    const ws = await freshWorkers();
    const file = messyCsv();
    const forest = await prepareSweep({ data: file, target: 'mpg', grid: { numTrees: [3, 5] }, evaluation: { kind: 'kfold', folds: 3 } });
    expect(forest.data.featureInfo?.[0]).toEqual({ kind: 'categorical', categories: ['Europe', 'Japan', 'USA'] });
    await expectEveryStrategyLocal(forest);
    const linear = await prepareSweep({ data: file, target: 'mpg', model: 'linear', grid: { regParam: [0, 0.1], impute: ['mean', 'median'] }, evaluation: { kind: 'kfold', folds: 3 } });
    const local = await executeSweep(linear, { strategy: 'thread-pool', workers: 1 });
    expect(local.tasks.failed).toBe(0);
    const remoteLinear = await executeSweep(linear, { strategy: 'native', workers: 2, cluster: { url } });
    expect(remoteLinear.trials.map((t) => t.error)).toEqual(local.trials.map(() => undefined));
    expect(metricsOf(remoteLinear)).toEqual(metricsOf(local));
    await Promise.all(ws.map((w) => kill(w.proc, 'SIGTERM')));
  }, 120_000);

  it('runs gradient boosting over the cluster (thread-pool, udf) with the metrics of a local run on text and missing cells; native refuses it in one line', async () => {
    const ws = await freshWorkers();
    const prep = await prepareSweep({ data: messyCsv(), target: 'mpg', model: 'gbt', grid: { iterations: [5, 15], subsample: [0.8] }, evaluation: { kind: 'kfold', folds: 3 } });
    const local = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
    expect(local.tasks.failed).toBe(0);
    for (const strategy of ['thread-pool', 'udf'] as const) {
      const remote = await executeSweep(prep, { strategy, workers: 2, cluster: { url } });
      expect(metricsOf(remote), strategy).toEqual(metricsOf(local));
      expect(remote.diagnostics, strategy).toEqual(local.diagnostics);
    }
    await expect(executeSweep(prep, { strategy: 'native', workers: 2, cluster: { url } })).rejects.toThrow('--strategy native does not fit --model gbt on a cluster');
    await Promise.all(ws.map((w) => kill(w.proc, 'SIGTERM')));
  }, 120_000);

  it('runs random, tpe, halving (trees and rows) and hyperband searches over the cluster with the trials and best of a local run', async () => {
    const ws = await freshWorkers();
    const trialsOf = (r: { trials: { number?: number; params: unknown; metrics: unknown; rung?: number }[] }) => [...r.trials].sort((a, b) => a.number! - b.number!).map((t) => [t.number, t.rung, t.params, t.metrics]);
    const grid = { numTrees: { min: 2, max: 8 }, maxDepth: { min: 2, max: 6 }, maxFeatures: { min: 0.3, max: 1 } };
    const evaluation = { kind: 'kfold', folds: 2 } as const;
    const tpe = await prepareSweep({ data: 'diabetes', grid, search: { method: 'tpe', trials: 12, batch: 5 }, evaluation });
    for (const strategy of ['thread-pool', 'native'] as const) {
      const remote = await executeSweep(tpe, { strategy, workers: 2, cluster: { url } });
      const local = await executeSweep(tpe, { strategy, workers: 2 });
      expect(remote.search).toMatchObject({ method: 'tpe', trialsFinished: 12, rounds: 3 });
      expect(trialsOf(remote), strategy).toEqual(trialsOf(local));
      expect(remote.best).toEqual(local.best);
    }
    const random = await prepareSweep({ data: 'diabetes', grid, search: { method: 'random', trials: 6 }, evaluation });
    expect(trialsOf(await executeSweep(random, { workers: 2, cluster: { url } }))).toEqual(trialsOf(await executeSweep(random, { workers: 1 })));
    const halving = await prepareSweep({ data: 'diabetes', grid: { numTrees: 9, maxDepth: { min: 2, max: 6 } }, search: { method: 'halving', trials: 9 }, evaluation });
    const remote = await executeSweep(halving, { workers: 2, cluster: { url } });
    expect(trialsOf(remote)).toEqual(trialsOf(await executeSweep(halving, { workers: 2 })));
    // Halving over rows: each rung's subsample is a dataset of its own in Redis; hyperband's brackets too.
    for (const search of [{ method: 'halving' }, { method: 'hyperband', minResource: 40 }] as const) {
      const prep = await prepareSweep({ data: 'diabetes', model: 'linear', grid: { regParam: { min: 0.001, max: 10, log: true } }, search: { ...search, resource: 'rows', ...(search.method === 'halving' ? { trials: 6 } : {}) }, evaluation });
      const onCluster = await executeSweep(prep, { strategy: 'native', workers: 2, cluster: { url } });
      expect(trialsOf(onCluster), search.method).toEqual(trialsOf(await executeSweep(prep, { workers: 1 })));
    }
    await Promise.all(ws.map((w) => kill(w.proc, 'SIGTERM')));
  }, 120_000);

  it('refuses forged jobs naming a UDF module outside --udf-dir, and runs one inside it by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-udfdir-'));
    const marker = join(dir, '..', `${dir.split('/').at(-1)}-evil-ran`);
    try {
      const udfDir = join(dir, 'udfs');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(udfDir);
      copyFileSync(join(ROOT, 'test/fixtures/udf/mean.mjs'), join(udfDir, 'mean.mjs'));
      symlinkSync(join(ROOT, 'test/fixtures/cluster/evil.mjs'), join(udfDir, 'link.mjs'));
      const w = worker(['--udf-dir', udfDir], { SWEEP_EVIL_MARKER: marker });
      await w.waitFor(/joined/);

      // A sweep registered by hand, as a hostile client with access to Redis could.
      const { data } = await loadData('diabetes', {});
      const encoded = encodeDataset(data);
      const sweepId = 'f0f0f0f0f0f0f0f0';
      await publishDataset(redis, encoded, sweepId);
      await redis.hset(`sweep:${sweepId}:meta`, { retries: '0', strategy: 'udf', dataHash: encoded.hash });
      await redis.sadd('sweep:active', sweepId);
      const queue = new Queue(`q-${sweepId}`, { connection: { host: '127.0.0.1', port: server.port, password: PASSWORD, maxRetriesPerRequest: null }, prefix: 'sweep' });
      const identity = { dataHash: encoded.hash, model: 'udf', evaluation: { kind: 'kfold', folds: 5 } as const, seed: 42, partitions: 16 };
      const jobs = ['../evil.mjs', `${ROOT}/test/fixtures/cluster/evil.mjs`, 'link.mjs', 'absent.mjs', 'mean.mjs'].map((module, k) => {
        const taskId = makeTaskId(identity, { k }, 0);
        const job = { v: 1, sweepId, dataHash: encoded.hash, seed: 42, partitions: 16, evaluation: identity.evaluation, kind: 'udf', taskId, model: 'rf', params: { k }, config: k, fold: 0, metric: 'rmse', module };
        return { module, taskId, job };
      });
      for (const { taskId, job } of jobs) await queue.add('udf', job, { jobId: taskId, attempts: 1 });
      const results = `sweep:${sweepId}:results`;
      for (let i = 0; i < 200 && (await redis.hlen(results)) < jobs.length; i++) await new Promise((r) => setTimeout(r, 50));
      const record = async (taskId: string) => JSON.parse((await redis.hget(results, taskId)) ?? '{}');
      const reasons = await Promise.all(jobs.map(async ({ taskId }) => (await queue.getJob(taskId))?.failedReason));

      expect((await record(jobs[0].taskId)).error.message).toContain(`job.module: "../evil.mjs" is not a plain file name inside the worker's --udf-dir`);
      expect((await record(jobs[1].taskId)).error.message).toContain('is not a plain file name');
      expect((await record(jobs[2].taskId)).error.message).toBe(`UDF module "link.mjs" refused: it resolves outside --udf-dir ${udfDir}`);
      expect((await record(jobs[3].taskId)).error.message).toBe(`UDF module "absent.mjs" refused: not found in --udf-dir ${udfDir}`);
      expect(reasons.slice(0, 4).every((r) => typeof r === 'string' && /refused/.test(r))).toBe(true);
      const ok = await record(jobs[4].taskId);
      expect(ok.status).toBe('ok');
      expect(ok.metrics.rows).toBe(442);
      expect(existsSync(marker)).toBe(false);
      expect(w.stderr()).toMatch(/refused job t[0-9a-f]{32} of sweep f0f0f0f0f0f0f0f0: job.module/);
      expect(w.stderr()).not.toContain(PASSWORD);
      await queue.close();
      await kill(w.proc, 'SIGTERM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(marker, { force: true });
    }
  });
});
