/**
 * The words and cells every human-readable compare renderer shares (table, Markdown, HTML): the column headers,
 * one row of formatted cells per (strategy, workers), the heading line, the identity line and the footnotes.
 * Machine formats (JSON, CSV) keep full-precision numbers instead.
 */
import type { CompareEntry, CompareResult } from '../compare/result.js';
import { formatBytes, formatDuration, formatRelative, MISSING } from '../util/format.js';
import { formatEvaluation } from './summary.js';

export const COMPARE_HEAD = ['strategy', 'workers', 'wall time (mean ± σ)', 'min … max', 'relative', 'task time', 'efficiency', 'start-up', 'peak RSS', 'shipped'];

export function entryCells(e: CompareEntry): string[] {
  const wall = Number.isFinite(e.wall.sd) ? `${formatDuration(e.wall.mean)} ± ${formatDuration(e.wall.sd)}` : formatDuration(e.wall.mean);
  // Whole percents: a tenth of a percent of efficiency is below what repeated wall times resolve.
  const pct = (v: number) => Math.round(v * 100);
  const eff = !Number.isFinite(e.efficiency.mean) ? MISSING : Number.isFinite(e.efficiency.sd) ? `${pct(e.efficiency.mean)} ± ${pct(e.efficiency.sd)}%` : `${pct(e.efficiency.mean)}%`;
  return [
    e.strategy,
    String(e.workers),
    wall,
    `${formatDuration(e.wall.min)} … ${formatDuration(e.wall.max)}`,
    formatRelative(e.relative.ratio, e.relative.sd ?? undefined),
    formatDuration(e.taskMs),
    eff,
    e.startupMs === null ? MISSING : formatDuration(e.startupMs),
    e.peakRssBytes === null ? MISSING : formatBytes(e.peakRssBytes),
    formatBytes(e.bytesShipped),
  ];
}

/** "rf on diabetes (442 rows × 10 features), 3-fold CV, 2 configs, seed 42 — 3 runs each after 1 warm-up". */
export function headingLine(r: CompareResult): string {
  const runs = `${r.repeat} run${r.repeat === 1 ? '' : 's'} each` + (r.warmup > 0 ? ` after ${r.warmup} warm-up${r.warmup === 1 ? '' : 's'}` : '');
  return `${r.model} on ${r.data.name} (${r.data.rows.toLocaleString('en')} rows × ${r.data.features.length} features), ${formatEvaluation(r.evaluation)}, ${r.configs} config${r.configs === 1 ? '' : 's'}, seed ${r.seed} — ${runs}`;
}

export function machineLine(r: CompareResult): string {
  return `${r.machine.cpus} cores (${r.machine.cpu}), Node ${r.machine.node}, ${r.machine.platform}`;
}

/** "metrics identical: yes (…)" or "metrics identical: NO — …". */
export function identityLine(r: CompareResult): string {
  const id = r.identity;
  const scope = `${r.configs} configs × ${r.folds} fold${r.folds === 1 ? '' : 's'}, ${id.runs} runs, ${id.compared} values compared`;
  if (id.identical) return `metrics identical: yes (${scope}, max abs difference 0)`;
  return `metrics identical: NO — ${id.mismatchCount} value${id.mismatchCount === 1 ? ' differs' : 's differ'} (${scope}, max abs difference ${id.maxAbsDiff.toPrecision(3)})`;
}

/** One line per mismatch (the first `limit`). */
export function mismatchLines(r: CompareResult, limit = 10): string[] {
  const lines = r.identity.mismatches.slice(0, limit).map((m) => {
    const cfg = (r.varying.length > 0 ? r.varying : Object.keys(m.params)).map((n) => `${n}=${String(m.params[n])}`).join(' ');
    const fold = m.fold >= 0 ? ` fold ${m.fold}` : '';
    return `${cfg}${fold} ${m.metric}: ${String(m.expected)} (${m.reference}) ≠ ${String(m.actual)} (${m.run})`;
  });
  if (r.identity.mismatchCount > lines.length) lines.push(`… and ${r.identity.mismatchCount - lines.length} more`);
  return lines;
}

export function footnotes(r: CompareResult): string[] {
  return [
    'relative: mean wall time / the fastest mean, σ propagated from both; efficiency: summed task time / (wall × workers)',
    'start-up: starting the workers and handing them the data, apart from fit time',
    r.isolation === 'process'
      ? 'peak RSS: each run in its own child process (its own high-water mark, data loading included)'
      : 'peak RSS: not measured (runs shared one process, whose high-water mark never goes down)',
  ];
}
