/**
 * Running a search (random, tpe, halving, hyperband): round after round, the method proposes configs from the finished trials of the
 * earlier rounds (sweep/search/methods.ts) and the strategy runs them (runTasks, the same path as a grid sweep:
 * checkpoints, retries, the cluster). Rounds are the only synchronisation, so the trials — and the best — are the
 * same with 1 or 16 workers and under every strategy.
 *
 * Resume: every round appends to one checkpoint; a resumed search proposes round 1 again (the same configs: the
 * proposals depend only on the seed and the history), finds its results in the checkpoint, proposes round 2 from
 * them exactly as the uninterrupted search did, and so on until a round has work left.
 */
import { createHash } from 'node:crypto';
import { beats } from '../eval/direction.js';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import type { Params } from '../models/params.js';
import { configKey, type TaskOutcome } from '../strategies/tasks.js';
import { baseId } from '../sweep/checkpoint.js';
import { aggregateTrials, bestOf, rankTrials } from '../sweep/aggregate.js';
import type { SweepResult } from '../sweep/result.js';
import { DEFAULT_FACTOR, planner, type TrialMeta, type TrialView } from '../sweep/search/methods.js';
import { spaceJson } from '../sweep/search/space.js';
import { modelIdentity } from '../strategies/identity.js';
import { selectRows } from '../data/dataset.js';
import { planFolds } from '../data/folds.js';
import { keyedRowOrder, keyedRowSample } from '../sweep/search/random.js';
import type { ExecuteOptions, PreparedSweep, TaskRun, TaskRunner } from './types.js';

let searches = 0;

export async function executeSearch(prep: PreparedSweep, opts: ExecuteOptions, { runTasks, resultOf }: TaskRunner): Promise<SweepResult> {
  const settings = prep.search;
  const plan = planner(settings, prep.space, prep.defaults, prep.seed, prep.direction);
  const configs: Params[] = [];
  const metas: (TrialMeta | undefined)[] = [];
  const outcomes: TaskOutcome[] = [];
  const firstTrialOf = new Map<string, number>();
  const checkpoint = opts.checkpoint ?? (opts.autoCheckpoint || opts.resume ? searchCheckpointPath(prep, opts.checkpointDir ?? '.sweep') : undefined);
  const runs: TaskRun[] = [];
  let repeats = 0;
  let reused = 0;
  let rounds = 0;
  let stopped = false;
  // --time-budget: no round starts after the deadline, and the round running at it stops dispatching.
  const deadline = settings.timeBudgetMs !== undefined ? performance.now() + settings.timeBudgetMs : undefined;
  let budgetSpent = false;
  // Halving over rows: the keyed order every rung takes its first rows from, computed once.
  let rowOrder: Uint32Array | undefined;
  // Known only for random and tpe; halving's rungs shrink as they go (the progress total grows with them).
  const contextBase = `search:${process.pid}:${++searches}`;
  let total = settings.method === 'random' || settings.method === 'tpe' ? (settings.trials ?? 0) * prep.folds.count : 0;
  for (let round = plan.next([]); round !== undefined; round = plan.next(views(prep, configs, metas, outcomes))) {
    if (opts.signal?.aborted) {
      stopped = true;
      break;
    }
    if (deadline !== undefined && performance.now() >= deadline) {
      budgetSpent = true;
      break;
    }
    const first = configs.length;
    if (settings.method === 'halving' || settings.method === 'hyperband') total += round.configs.length * prep.folds.count;
    // Halving over rows: the rung cross-validates on its subsample (its own folds), so its tasks are its own.
    const rows = settings.resource === 'rows' ? round.meta![0].resource : undefined;
    const rungPrep = rows === undefined ? prep : subsampled(prep, rows, (rowOrder ??= keyedRowOrder(prep.data.rows, prep.seed)));
    // A config proposed before shares that trial's result (its tasks would give the same bits).
    const fresh: Params[] = [];
    const trialOfFresh: number[] = [];
    const repeatOf = new Map<number, number>();
    round.configs.forEach((params, i) => {
      const key = rows === undefined ? configKey(params) : `${configKey(params)}#rows=${rows}`;
      const earlier = firstTrialOf.get(key);
      configs.push(params);
      metas.push(round.meta?.[i]);
      if (earlier !== undefined) {
        repeatOf.set(first + i, earlier);
        repeats++;
        return;
      }
      firstTrialOf.set(key, first + i);
      fresh.push(params);
      trialOfFresh.push(first + i);
    });
    const before = outcomes.length;
    const failedBefore = outcomes.filter((o) => o.status === 'failed').length;
    const budget = new AbortController();
    const timer = deadline === undefined ? undefined : setTimeout(() => budget.abort(), Math.max(0, deadline - performance.now()));
    const signal = opts.signal ? AbortSignal.any([opts.signal, budget.signal]) : budget.signal;
    const run = await runTasks(
      { ...rungPrep, configs: fresh },
      {
        ...opts,
        signal,
        // One context per data set across the rounds: threads keep their binned data and grown trees.
        contextId: `${contextBase}:${rows ?? 'all'}`,
        keepPool: true,
        // A subsample is other data: its results go to a checkpoint of their own (its header names that data).
        ...(checkpoint !== undefined ? { checkpoint: rows === undefined ? checkpoint : rungCheckpoint(checkpoint, rows) } : {}),
        autoCheckpoint: false,
        onResume: undefined,
        onOutcome: (o) => opts.onOutcome?.({ ...o, config: trialOfFresh[o.config] }),
        onTrial: opts.onTrial && ((t) => opts.onTrial!({ ...t, number: trialOfFresh[t.number ?? 0] })),
        onProgress: (p) => opts.onProgress?.({ done: before + p.done, failed: failedBefore + p.failed, total }),
      },
    ).finally(() => clearTimeout(timer));
    rounds++;
    runs.push(run);
    reused += run.reused;
    for (const o of run.outcomes) outcomes.push({ ...o, config: trialOfFresh[o.config] });
    for (const [trial, earlier] of repeatOf) for (const o of outcomes.filter((x) => x.config === earlier)) outcomes.push({ ...o, config: trial });
    if (budget.signal.aborted && !opts.signal?.aborted) {
      budgetSpent = true;
      break;
    }
    if (run.aborted || run.checkpointError !== undefined) {
      stopped = true;
      break;
    }
  }
  // The pool the rounds shared (thread-pool) goes now; nothing else would destroy it.
  if (runs.some((r) => r.strategy === 'thread-pool')) await (await import('../strategies/thread-pool.js')).discardPrestarted();
  if (opts.resume) opts.onResume?.({ files: checkpoint !== undefined ? [checkpoint] : [], reused, total, warnings: [] });
  const merged = mergeRuns(runs);
  // A spent budget ends the search as planned: what finished is the result, not an interruption.
  const interrupted = (merged.aborted && !budgetSpent) || stopped;
  // Trials the budget stopped before any of their tasks ran are not part of the result (numbers kept as proposed).
  const shown = budgetSpent ? [...new Set(outcomes.map((o) => o.config))].sort((a, b) => a - b) : configs.map((_, i) => i);
  const indexOf = new Map(shown.map((c, i) => [c, i]));
  const run = { ...merged, outcomes: outcomes.map((o) => ({ ...o, config: indexOf.get(o.config)! })), aborted: interrupted };
  const { interrupted: _partly, ...built } = resultOf({ ...prep, configs: shown.map((c) => configs[c]) }, run, shown.length * prep.folds.count);
  const withMeta = {
    ...built,
    ...(interrupted || (!budgetSpent && _partly) ? { interrupted: true as const } : {}),
    trials: built.trials.map((t) => {
      const number = shown[t.number!];
      return metas[number] ? { ...t, number, ...metas[number] } : { ...t, number };
    }),
  };
  // Halving: a trial at a larger resource ranks above any at a smaller one (scikit-learn picks the best of the
  // last iteration), then by the metric.
  const trials = settings.resource !== undefined ? rankTrials(withMeta.trials, prep.metric, prep.direction, (t) => t.resource ?? 0) : withMeta.trials;
  const result = { ...withMeta, trials, best: bestOf(trials) };
  const finished = result.trials.filter((t) => t.status === 'ok' || t.status === 'failed').length;
  const asked = settings.method === 'random' || settings.method === 'tpe' ? (settings.trials ?? 0) : configs.length;
  return {
    ...result,
    search: {
      method: settings.method, trialsAsked: asked, trialsFinished: finished, batch: settings.method === 'random' ? asked : settings.method === 'tpe' ? settings.batch : 0, rounds, repeats,
      ...(settings.resource !== undefined ? { resource: settings.resource, maxResource: settings.maxResource!, factor: settings.factor ?? DEFAULT_FACTOR } : {}),
      ...(settings.timeBudgetMs !== undefined ? { timeBudgetMs: settings.timeBudgetMs, budgetSpent } : {}),
    },
    bestSoFar: bestSoFar(result, prep.direction),
  };
}

/** Where a rung over `rows` rows checkpoints: beside the search's checkpoint, FILE.rows-N.jsonl. */
export function rungCheckpoint(path: string, rows: number): string {
  return /\.jsonl$/.test(path) ? path.replace(/\.jsonl$/, `.rows-${rows}.jsonl`) : `${path}.rows-${rows}`;
}

/** The sweep on the first `rows` rows of the keyed order (random.ts keyedRowSample), with folds of its own. */
function subsampled(prep: PreparedSweep, rows: number, order: Uint32Array): PreparedSweep {
  if (rows >= prep.data.rows) return prep;
  const keep = keyedRowSample(prep.data.rows, rows, prep.seed, order);
  const data = { ...selectRows(prep.data, keep), name: `${prep.data.name} (${rows} of ${prep.data.rows} rows)` };
  const { warnings: _notes, ...folds } = planFolds(data, prep.folds.evaluation, prep.seed);
  return { ...prep, data, folds };
}

/** The trials so far as a planner sees them: params, the ranking metric when finite, and halving's meta. */
function views(prep: PreparedSweep, configs: readonly Params[], metas: readonly (TrialMeta | undefined)[], outcomes: readonly TaskOutcome[]): TrialView[] {
  return aggregateTrials(configs, outcomes, prep.folds.count).map((t) => {
    const v = t.status === 'ok' ? t.metrics?.[prep.metric] : undefined;
    const meta = metas[t.number!];
    return { number: t.number!, params: t.params, value: v !== undefined && Number.isFinite(v) ? v : undefined, ...(meta ? { meta } : {}) };
  });
}


/** The best ranking metric so far after each trial (in trial order) that has one. */
function bestSoFar(result: SweepResult, direction: 'max' | 'min'): { number: number; value: number }[] {
  const byNumber = [...result.trials].sort((a, b) => a.number! - b.number!);
  const out: { number: number; value: number }[] = [];
  let best: number | undefined;
  for (const t of byNumber) {
    const v = t.status === 'ok' ? t.metrics?.[result.metric] : undefined;
    if (v === undefined || !Number.isFinite(v)) continue;
    if (best === undefined || beats(v, best, direction)) best = v;
    out.push({ number: t.number!, value: best });
  }
  return out;
}

/** The rounds' runs as one: wall times and bytes summed, the widest worker count, the first stop. */
function mergeRuns(runs: readonly TaskRun[]): Omit<TaskRun, 'outcomes'> {
  const jobs: Record<string, number> = {};
  for (const r of runs) for (const [k, n] of Object.entries(r.stats.jobsSent ?? {})) jobs[k] = (jobs[k] ?? 0) + n;
  const stopped = runs.find((r) => r.checkpointError !== undefined)?.checkpointError;
  return {
    strategy: runs[0]?.strategy ?? 'thread-pool',
    workers: Math.max(1, ...runs.map((r) => r.workers)),
    wallMs: runs.reduce((s, r) => s + r.wallMs, 0),
    stats: { bytesShipped: runs.reduce((s, r) => s + r.stats.bytesShipped, 0), startupMs: runs.reduce((s, r) => s + (r.stats.startupMs ?? 0), 0), ...(Object.keys(jobs).length > 0 ? { jobsSent: jobs } : {}) },
    aborted: runs.some((r) => r.aborted),
    reused: runs.reduce((s, r) => s + r.reused, 0),
    ...(stopped !== undefined ? { checkpointError: stopped } : {}),
  };
}

/** A search's default checkpoint: the sweep's base id and the search's own (method, space, trials, batch). */
export function searchCheckpointPath(prep: PreparedSweep, dir: string): string {
  const model = modelIdentity(prep.model, prep.udf);
  const base = baseId({ data: prep.data, model, evaluation: prep.folds.evaluation, seed: prep.seed, partitions: prep.partitions, configs: [] });
  const s = prep.search;
  const id = createHash('sha256')
    .update(JSON.stringify({ method: s.method, trials: s.trials, batch: s.batch, space: spaceJson(prep.space), defaults: configKey(prep.defaults), metric: prep.metric, direction: prep.direction }))
    .digest('hex')
    .slice(0, 8);
  return join(dir, `${base}-${s.method}-${id}.jsonl`);
}
