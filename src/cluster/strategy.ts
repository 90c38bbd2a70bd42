/**
 * `--cluster URL`: a strategy that publishes the sweep instead of running it locally. The plan is the one every
 * strategy gets; the data is stored once (by content hash), each thread-pool or udf task becomes one job whose id
 * is its deterministic task id, and the native driver runs over the cluster as its transport (ClusterTransport). Outcomes reach the caller
 * through the same hooks as a local run, so progress, checkpoints and the report are unchanged.
 *
 * Resume: with `resume`, results already in Redis are reported instead of run again (failed ones run again, as
 * with checkpoints); without it, anything a previous run of the same sweep left is cleared first.
 */
import { basename } from 'node:path';
import { planFolds } from '../data/folds.js';
import { UsageError } from '../errors.js';
import type { Strategy, StrategyHooks, StrategyName, StrategyStats, SweepPlan } from '../strategies/strategy.js';
import { failure, type Task, type TaskOutcome, type TaskResult } from '../strategies/tasks.js';
import { ClusterSession, LOCK_TTL_MS } from './driver.js';
import { parseTaskFields } from '../strategies/record.js';
import { encodeDataset } from './dataset-store.js';
import { JOB_VERSION, MODULE_NAME, type ClusterJob } from './jobs.js';
import { sweepIdentity, sweepIdOf as makeSweepId, taskIdOf as makeTaskId, type SweepIdentity } from '../strategies/identity.js';
import { ClusterTransport, type NativeJobBase } from './native-driver.js';
import { runNativeOver } from '../strategies/native/driver/native.js';
import { assignPartitions } from '../strategies/native/assign.js';
import type { TaskRecord } from './results.js';
import { parseClusterUrl } from './url.js';

export interface ClusterOptions {
  /** redis://[user:pass@]host:port[/db] or rediss://… */
  url: string;
  /** Keep the sweep's queue and results in Redis after it completes. */
  keep?: boolean;
  /** Reuse results a previous (dead or interrupted) driver of the same sweep left in Redis. */
  resume?: boolean;
  /** One-line notices for the user (waiting for workers, resumed results, kept keys). */
  onNotice?: (message: string) => void;
  /** Seconds without progress and without a worker before the "start a worker" notice (default 5). */
  idleNoticeS?: number;
}

export interface ClusterStats extends StrategyStats {
  sweepId: string;
  dataHash: string;
  /** Results taken over from Redis (resume). */
  reused: number;
  /** Jobs sent, by kind (task, udf; native: edges, level, subtree, predict, linear, linear-predict). */
  jobsSent?: Record<string, number>;
}

export function clusterStrategy(name: StrategyName, opts: ClusterOptions): Strategy & { run(plan: SweepPlan, hooks: StrategyHooks): Promise<ClusterStats> } {
  const addr = parseClusterUrl(opts.url);
  return {
    name,
    async run(plan, hooks) {
      const t0 = performance.now();
      const notice = opts.onNotice ?? (() => {});
      const recomputed = planFolds(plan.data, plan.folds.evaluation, plan.seed).roles;
      if (Buffer.compare(recomputed, plan.folds.roles) !== 0) throw new UsageError('cluster mode needs the folds that (rows, evaluation, seed) give; this plan has others');
      const encoded = encodeDataset(plan.data);
      const udfName = name === 'udf' && plan.udf !== undefined ? basename(plan.udf) : undefined;
      if (udfName !== undefined && !MODULE_NAME.test(udfName)) throw new UsageError(`--udf ${plan.udf}: in cluster mode the module's file name must be a plain .mjs/.js name (letters, digits, _ . -)`);
      const identity: SweepIdentity = sweepIdentity(plan.data, plan.model, plan.folds.evaluation, plan.seed, plan.partitions, udfName !== undefined ? plan.udf : undefined);
      const sweepId = makeSweepId(name, identity, plan.configs, plan.folds.count);
      const session = await ClusterSession.open(addr, sweepId);
      let complete = false;
      // The session can fail on its own (keys vanished, Redis silent): that stops the sweep like an interrupt.
      const failed = new AbortController();
      session.onFailure(() => failed.abort());
      const signal = hooks.signal ? AbortSignal.any([hooks.signal, failed.signal]) : failed.signal;
      hooks = { ...hooks, signal };
      try {
        await session.lock((holder) => notice(`sweep ${sweepId} is locked by another driver (${holder.split(':').slice(0, 2).join(':')}); waiting up to ${LOCK_TTL_MS / 1000} s for it to expire`));
        if (!opts.resume) await session.reset();
        const run = await session.register(encoded, { retries: plan.retries, strategy: name });
        const base: NativeJobBase = { v: JOB_VERSION, sweepId, dataHash: encoded.hash, seed: plan.seed, partitions: plan.partitions, evaluation: plan.folds.evaluation };
        const taskIds = plan.tasks.map((t) => makeTaskId(identity, plan.configs[t.config], t.fold));
        const ledger = new Ledger(plan.tasks, taskIds, hooks);
        const reused = opts.resume ? await ledger.takeOver(session) : 0;
        if (opts.resume) notice(reused > 0 ? `resuming sweep ${sweepId}: ${reused} results found in Redis` : `resuming sweep ${sweepId}: no results in Redis yet`);
        session.collect((id, record) => ledger.deliver(id, record));
        const watch = watchWorkers(session, ledger, notice, opts.idleNoticeS ?? 5);
        const startupMs = performance.now() - t0;
        let extra: Partial<ClusterStats> = {};
        try {
          extra = await CLUSTER_DRIVERS[name]({ name, plan, hooks, session, run, base, ledger, udfName });
        } catch (err) {
          if (session.failure) throw session.failure;
          throw err;
        } finally {
          watch.stop();
        }
        if (session.failure) throw session.failure;
        complete = ledger.complete() && !hooks.signal?.aborted;
        if (!complete) notice(`interrupted: sweep ${sweepId} stays in Redis; its queued jobs keep running, and the same command with --resume collects the results`);
        else if (opts.keep) notice(`sweep ${sweepId} kept in Redis (--keep): results in sweep:${sweepId}:results`);
        return { bytesShipped: 0, ...extra, startupMs, sweepId, dataHash: encoded.hash, reused };
      } finally {
        await session.close({ complete, keep: Boolean(opts.keep), dataHash: encoded.hash });
      }
    },
  };
}

interface ClusterRun {
  name: StrategyName;
  plan: SweepPlan;
  hooks: StrategyHooks;
  session: ClusterSession;
  run: number;
  base: NativeJobBase;
  ledger: Ledger;
  udfName: string | undefined;
}

/**
 * How each strategy's driver runs over the cluster: thread-pool and udf tasks are one job each (the worker runs the
 * strategy's own task handler); native runs its one driver over the cluster as a native transport.
 */
const CLUSTER_DRIVERS: Record<StrategyName, (r: ClusterRun) => Promise<Partial<ClusterStats>>> = {
  'thread-pool': runTaskJobs,
  udf: runTaskJobs,
  native: async ({ plan, hooks, session, run, base, ledger }) => {
    // Native reports outcomes on the driver; each is also recorded under its task id, for --resume.
    const blocks = assignPartitions(plan.data.rows, plan.partitions, Math.max(1, Math.min(plan.workers, plan.partitions)));
    const transport = new ClusterTransport(session, run, base, plan.retries + 1, blocks);
    const stats = await runNativeOver({ ...plan, tasks: ledger.pending() }, { ...(hooks.signal ? { signal: hooks.signal } : {}), onOutcome: (o) => ledger.report(o, session) }, transport);
    return { bytesShipped: stats.bytesShipped, jobsSent: stats.jobsSent };
  },
};

async function runTaskJobs({ name, plan, hooks, session, base, ledger, udfName }: ClusterRun): Promise<Partial<ClusterStats>> {
  const jobs = ledger.pending().map((t) => ({ id: ledger.idOf(t), data: taskJob(name, plan, base, t, ledger.idOf(t), udfName) }));
  await session.enqueue(jobs, plan.retries + 1);
  await ledger.finished(hooks.signal);
  return { jobsSent: { [name === 'udf' ? 'udf' : 'task']: jobs.length } };
}

function taskJob(name: StrategyName, plan: SweepPlan, base: NativeJobBase, t: Task, taskId: string, udfName: string | undefined): ClusterJob {
  const common = { ...base, taskId, model: plan.model, params: plan.configs[t.config], config: t.config, fold: t.fold, ...(plan.taskTimeoutMs !== undefined ? { timeoutMs: Math.ceil(plan.taskTimeoutMs) } : {}) };
  if (name === 'udf') return { ...common, kind: 'udf', metric: plan.metric ?? 'r2', ...(udfName !== undefined ? { module: udfName } : {}) };
  return { ...common, kind: 'task' };
}

/** Which tasks are done: each task id is reported once, whatever arrives twice. */
class Ledger {
  private readonly byId = new Map<string, Task[]>();
  private readonly idOfTask = new Map<Task, string>();
  private readonly reported = new Set<string>();
  private wake: (() => void) | undefined;
  lastProgress = Date.now();

  constructor(private readonly tasks: readonly Task[], ids: readonly string[], private readonly hooks: StrategyHooks) {
    tasks.forEach((t, k) => {
      this.idOfTask.set(t, ids[k]);
      const list = this.byId.get(ids[k]) ?? [];
      list.push(t);
      this.byId.set(ids[k], list);
    });
  }

  idOf(t: Task): string {
    return this.idOfTask.get(t)!;
  }

  pending(): Task[] {
    return this.tasks.filter((t) => !this.reported.has(this.idOf(t)));
  }

  complete(): boolean {
    return this.reported.size === this.byId.size;
  }

  /** Report results a previous run left; failed ones are forgotten so they run again. Returns how many were reused. */
  async takeOver(session: ClusterSession): Promise<number> {
    const existing = await session.results();
    const failed: string[] = [];
    let reused = 0;
    for (const [id, record] of existing) {
      if (!this.byId.has(id) || this.reported.has(id)) continue;
      const checked = parseTaskFields(record);
      if ('record' in checked && checked.record.status === 'ok') {
        this.deliver(id, record);
        reused++;
      } else failed.push(id); // failed or invalid: run again
    }
    await session.forget(failed);
    return reused;
  }

  /** Report a result read from Redis; one that does not pass the record schema fails its task, naming why. */
  deliver(id: string, raw: unknown): void {
    const tasks = this.byId.get(id);
    if (!tasks || this.reported.has(id)) return;
    const checked = parseTaskFields(raw);
    const rec =
      'record' in checked
        ? checked.record
        : (failure({ name: 'InvalidResult', code: 'E_INVALID_RESULT', message: `invalid result record in Redis for ${id}: ${checked.problem}` }) as TaskResult);
    this.reported.add(id);
    this.lastProgress = Date.now();
    for (const t of tasks) {
      const outcome: TaskOutcome = { config: t.config, fold: t.fold, status: rec.status, fitMs: rec.fitMs, predictMs: rec.predictMs };
      if (rec.metrics) outcome.metrics = rec.metrics as TaskOutcome['metrics'];
      if (rec.error) outcome.error = rec.error;
      if (rec.diagnostics) outcome.diagnostics = rec.diagnostics;
      this.hooks.onOutcome(outcome);
    }
    if (this.complete()) this.wake?.();
  }

  /** A native outcome, made on the driver: reported, and recorded in Redis for --resume. */
  report(o: TaskOutcome, session: ClusterSession): void {
    const id = this.idOf(this.tasks.find((t) => t.config === o.config && t.fold === o.fold)!);
    const rec: TaskRecord = { status: o.status, fitMs: o.fitMs, predictMs: o.predictMs, by: 'driver', ...(o.metrics ? { metrics: o.metrics } : {}), ...(o.error ? { error: o.error } : {}), ...(o.diagnostics ? { diagnostics: o.diagnostics } : {}) };
    void session.redis.hsetnx(session.keys.results, id, JSON.stringify(rec)).catch(() => {});
    this.deliver(id, rec);
  }

  /** Resolves when every task is reported or the signal aborts. */
  finished(signal?: AbortSignal): Promise<void> {
    if (this.complete() || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/** Tell the user, once, when nothing happens and no worker serves the sweep. */
function watchWorkers(session: ClusterSession, ledger: Ledger, notice: (m: string) => void, idleS: number): { stop(): void } {
  let told = false;
  const timer = setInterval(() => {
    if (told || Date.now() - ledger.lastProgress < idleS * 1000) return;
    void session.workersServing().then((n) => {
      if (n !== 0 || told) return;
      told = true;
      notice(`no worker is serving sweep ${session.sweepId} yet: start one with  sweep worker --cluster ${session.addr.display}`);
    });
  }, 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
