/**
 * The report of a run that was killed before it could write its result, rebuilt from its checkpoint: the header
 * says what the results were made from (data, model, evaluation, seed, partitions), every task line that passes the
 * checkpoint's checks is a finished fold, and the summary says how the run was asked for (command, metric and
 * direction, folds per trial, strategy and threads). Trials appear in the order their first fold was written; a
 * trial with fewer folds than the run's is "interrupted". The wall time is the time from the run's start to the
 * checkpoint's last write; `stoppedBy` says the report was rebuilt.
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Params } from '../models/params.js';
import { configKey } from '../strategies/tasks.js';
import { aggregateTrials, bestOf, liftDiagnostics, rankTrials } from './aggregate.js';
import { readCheckpoints, type CheckpointHeader } from './checkpoint.js';
import { RESULT_SCHEMA, type SweepResult } from './result.js';

/** What the summary of the run says (history.ts SweepSummary has these fields). */
export interface RunSummary {
  id: string;
  startedAt: string;
  command: string[];
  model: string;
  metric: string;
  direction: 'max' | 'min';
  fits: number;
  folds?: number;
  evaluation?: SweepResult['evaluation'];
  strategy?: string;
  workers?: number;
}

export function rebuildFromCheckpoint(summary: RunSummary, checkpoint: string): SweepResult {
  let text: string;
  try {
    text = readFileSync(checkpoint, 'utf8');
  } catch (err) {
    throw new UsageError(`sweep ${summary.id}: its checkpoint ${checkpoint} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const lines = text.split('\n');
  let header: CheckpointHeader;
  try {
    header = (JSON.parse(lines[0]) as { header: CheckpointHeader }).header;
    if (header?.tool !== 'sweep') throw new Error('no header');
  } catch {
    throw new UsageError(`sweep ${summary.id}: ${checkpoint} has no checkpoint header`);
  }
  // The configs, in the order their first fold was written.
  const configs: Params[] = [];
  const known = new Set<string>();
  let lastFold = -1;
  for (const raw of lines.slice(1)) {
    let line: { params?: unknown; fold?: unknown };
    try {
      line = JSON.parse(raw) as typeof line;
    } catch {
      continue; // a cut-off last line, or a bad one readCheckpoints reports
    }
    if (line === null || typeof line.params !== 'object' || line.params === null) continue;
    if (typeof line.fold === 'number') lastFold = Math.max(lastFold, line.fold);
    const key = configKey(line.params as Params);
    if (known.has(key)) continue;
    known.add(key);
    configs.push(line.params as Params);
  }
  const folds = summary.folds ?? lastFold + 1;
  const { done } = readCheckpoints([checkpoint], header, configs, folds);
  const labels = summary.model.startsWith('udf:') ? undefined : { features: header.data.features };
  const trials = rankTrials(aggregateTrials(configs, done, folds, labels), summary.metric, summary.direction);
  const taskMs = done.reduce((s, o) => s + o.fitMs + o.predictMs, 0);
  const wallMs = Math.max(0, statSync(checkpoint).mtimeMs - Date.parse(summary.startedAt));
  const workers = summary.workers ?? 1;
  return liftDiagnostics({
    schema: RESULT_SCHEMA,
    version: header.version,
    startedAt: summary.startedAt,
    command: summary.command,
    strategy: summary.strategy ?? 'unknown',
    model: summary.model,
    data: { name: header.data.name, rows: header.data.rows, features: header.data.features, target: header.data.target },
    evaluation: summary.evaluation ?? { folds },
    seed: header.seed,
    workers,
    partitions: header.partitions,
    metric: summary.metric,
    direction: summary.direction,
    wallMs,
    taskMs,
    speedup: wallMs > 0 ? taskMs / wallMs : 0,
    tasks: { total: summary.fits, ok: done.length, failed: 0 },
    bytesShipped: 0,
    interrupted: true,
    stoppedBy: `the run was killed before it finished (${done.length} of ${summary.fits} fits in its checkpoint); this report is rebuilt from the checkpoint, and ${summary.command.join(' ')} --resume finishes it`,
    trials,
    best: bestOf(trials),
  });
}
