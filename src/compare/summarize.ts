/**
 * From measured runs to the compare record: group the runs by (strategy, workers), summarise their wall times,
 * relate every mean to the fastest, write the verdicts and check the metrics. Pure (no timing, no processes),
 * so it is tested on fabricated runs.
 */
import { cpus } from 'node:os';
import { formatRelative } from '../util/format.js';
import { splitParams } from '../sweep/trial-params.js';
import type { SweepResult } from '../sweep/result.js';
import { checkMetricsIdentity, type LabelledResult } from './identity.js';
import type { CompareEntry, CompareResult, CompareRun, Isolation } from './result.js';
import { fastestIndex, relativeTo, summarize } from './stats.js';

export interface MeasuredRun {
  strategy: string;
  workers: number;
  repeat: number;
  result: SweepResult;
  peakRssBytes: number | null;
}

export interface CompareMeta {
  repeat: number;
  warmup: number;
  isolation: Isolation;
  /** Default: this machine. */
  machine?: CompareResult['machine'];
}

export function workersLabel(n: number): string {
  return `${n} worker${n === 1 ? '' : 's'}`;
}

export function runLabel(r: Pick<MeasuredRun, 'strategy' | 'workers' | 'repeat'>): string {
  return `${r.strategy} with ${workersLabel(r.workers)}, run ${r.repeat}`;
}

export function toCompareRun(m: MeasuredRun): CompareRun {
  return {
    strategy: m.strategy,
    workers: m.workers,
    repeat: m.repeat,
    wallMs: m.result.wallMs,
    taskMs: m.result.taskMs,
    startupMs: m.result.startupMs ?? null,
    peakRssBytes: m.peakRssBytes,
    bytesShipped: m.result.bytesShipped,
    failedTasks: m.result.tasks.failed,
  };
}

/** Entries in first-seen (strategy, workers) order, relative speeds against the fastest mean. */
export function makeEntries(runs: readonly CompareRun[]): CompareEntry[] {
  const groups = new Map<string, CompareRun[]>();
  for (const r of runs) {
    const key = `${r.strategy}\u0000${r.workers}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const entries: CompareEntry[] = [...groups.values()].map((rs) => {
    const startups = rs.map((r) => r.startupMs).filter((v): v is number => v !== null);
    const rss = rs.map((r) => r.peakRssBytes).filter((v): v is number => v !== null);
    return {
      strategy: rs[0].strategy,
      workers: rs[0].workers,
      wall: summarize(rs.map((r) => r.wallMs)),
      relative: { ratio: NaN, sd: NaN },
      taskMs: summarize(rs.map((r) => r.taskMs)).mean,
      efficiency: summarize(rs.map((r) => (r.wallMs > 0 ? r.taskMs / (r.wallMs * r.workers) : NaN))),
      startupMs: startups.length === 0 ? null : summarize(startups).mean,
      peakRssBytes: rss.length === 0 ? null : Math.max(...rss),
      bytesShipped: Math.max(...rs.map((r) => r.bytesShipped)),
      failedTasks: rs.reduce((s, r) => s + r.failedTasks, 0),
      wallTimes: rs.map((r) => r.wallMs),
    };
  });
  const f = fastestIndex(entries.map((e) => e.wall));
  if (f >= 0) for (const e of entries) e.relative = relativeTo(e.wall, entries[f].wall);
  return entries;
}

/**
 * One sentence per strategy: the fastest entry first ("… is the fastest", and how much faster than its own
 * slowest worker count), then every other strategy's best entry against it.
 */
export function verdicts(entries: readonly CompareEntry[]): string[] {
  const f = fastestIndex(entries.map((e) => e.wall));
  if (f < 0) return [];
  const fastest = entries[f];
  const who = (e: CompareEntry) => `${e.strategy} with ${workersLabel(e.workers)}`;
  const times = (e: CompareEntry) => `${formatRelative(e.relative.ratio, e.relative.sd)} ×`;
  const lines: string[] = [];
  const own = entries.filter((e) => e.strategy === fastest.strategy && e !== fastest);
  const slowestOwn = own.reduce<CompareEntry | undefined>((s, e) => (!s || e.wall.mean > s.wall.mean ? e : s), undefined);
  lines.push(`${who(fastest)} is the fastest` + (slowestOwn ? ` (${times(slowestOwn)} faster than with ${workersLabel(slowestOwn.workers)})` : ''));
  const strategies = [...new Set(entries.map((e) => e.strategy))].filter((s) => s !== fastest.strategy);
  for (const s of strategies) {
    const best = entries.filter((e) => e.strategy === s).reduce((b, e) => (e.wall.mean < b.wall.mean ? e : b));
    lines.push(`${who(fastest)} is ${times(best)} faster than ${who(best)}`);
  }
  return lines;
}

export function buildCompareResult(measured: readonly MeasuredRun[], meta: CompareMeta): CompareResult {
  if (measured.length === 0) throw new Error('compare: no runs to summarise');
  const first = measured[0].result;
  const runs = measured.map(toCompareRun);
  const entries = makeEntries(runs);
  const labelled: LabelledResult[] = measured.map((m) => ({ label: runLabel(m), result: m.result }));
  const metric = String(first.metric);
  const cpu = cpus();
  return {
    model: String(first.model),
    data: first.data,
    evaluation: first.evaluation,
    seed: first.seed,
    partitions: first.partitions,
    metric,
    configs: first.trials.length,
    folds: first.evaluation.splits?.length ?? ('folds' in first.evaluation ? first.evaluation.folds : 1),
    repeat: meta.repeat,
    warmup: meta.warmup,
    isolation: meta.isolation,
    machine: meta.machine ?? { node: process.version, cpus: cpu.length, cpu: cpu[0]?.model.trim() ?? 'unknown', platform: `${process.platform}-${process.arch}` },
    entries,
    fastest: fastestIndex(entries.map((e) => e.wall)),
    verdicts: verdicts(entries),
    identity: checkMetricsIdentity(labelled),
    ranking: first.trials.map((t) => ({ params: t.params, mean: t.metrics?.[metric] ?? null, sd: t.metricsStd?.[metric] ?? null })),
    varying: first.trials.length > 0 ? splitParams(first.trials).varying : [],
    runs,
  };
}
